/// What a validation pass found for every record of a source.
public struct ValidationReport: Sendable {
    /// One record's verdict.
    public enum Status: UInt8, Sendable {
        case valid = 0, warnings, errors, excluded
    }

    public internal(set) var status: [Status]
    /// Issues of the records that have any, by 0-based record number.
    public internal(set) var issues: IssueTable
    /// Byte length of each record's compact JSON as it will be sent (0 for unreadable records).
    public internal(set) var recordSizes: [Int32]
    /// Records with data the import cannot carry, per label of the mapping's `notImportedLabels`
    /// (empty when no record has any, or the source has no mapping).
    public internal(set) var notImported: [Int] = []

    /// Sendable records whose password hash cannot be imported (`password.not_importable`): they
    /// arrive without a password.
    /// Counted over the records' own issues only (`password.not_importable` is never a duplicate
    /// finding), so a file whose records are all in duplicate groups words none of them.
    public var withoutImportablePassword: Int {
        var n = 0
        issues.forEachOwn { k, list in
            if isSendable(k), list.contains(where: { $0.rule == "password.not_importable" }) { n += 1 }
        }
        return n
    }

    /// Fingerprints of every record's login IDs, for finding duplicates again after an edit.
    var loginIDs = LoginIDKeys()

    public var recordCount: Int { status.count }
    /// Set when the source changed (was truncated) while the pass read it: the verdicts were
    /// built from bytes that are no longer the file's, and must not be used.
    public internal(set) var sourceFailure: SourceError?

    public init(count: Int) {
        status = [Status](repeating: .valid, count: count)
        issues = IssueTable()
        recordSizes = [Int32](repeating: 0, count: count)
    }

    public var validCount: Int { status.lazy.filter { $0 == .valid || $0 == .warnings }.count }
    public var errorCount: Int { status.lazy.filter { $0 == .errors }.count }
    public var warningCount: Int { status.lazy.filter { $0 == .warnings }.count }
    public var excludedCount: Int { status.lazy.filter { $0 == .excluded }.count }

    /// Records per status, counted in one pass.
    public struct Totals: Sendable, Equatable {
        public var valid = 0, warnings = 0, errors = 0, excluded = 0
        /// Sendable records whose password cannot be imported: they arrive without one.
        public var withoutPassword = 0
        /// Records that can be sent (valid, with or without warnings).
        public var sendable: Int { valid + warnings }
    }

    public func totals() -> Totals {
        var t = Totals()
        for s in status {
            switch s {
            case .valid: t.valid += 1
            case .warnings: t.warnings += 1
            case .errors: t.errors += 1
            case .excluded: t.excluded += 1
            }
        }
        t.withoutPassword = withoutImportablePassword
        return t
    }

    /// Records that can be sent: no errors and not excluded.
    public func isSendable(_ record: Int) -> Bool { status[record] == .valid || status[record] == .warnings }

    /// Counts of issues per (severity, rule), most frequent first.
    public func countsByRule() -> [(severity: Issue.Severity, rule: String, count: Int)] {
        issues.countsByRule().values.map { (severity: $0.0, rule: $0.1, count: $0.2) }
            .sorted { ($0.severity, -$0.count, $0.rule) < ($1.severity, -$1.count, $1.rule) }
    }

    /// Replaces one record's own verdict (after an edit); its duplicate findings stay those of
    /// `issues.duplicates` until they are confirmed again.
    public mutating func update(_ record: Int, issues list: [Issue], size: Int, excluded: Bool = false) {
        recordSizes[record] = Int32(clamping: size)
        if excluded {
            status[record] = .excluded
            issues[record] = nil
            return
        }
        issues[record] = list.isEmpty ? nil : list
        refreshStatus(record)
    }

    /// Sets a (not excluded) record's status from its own issues and its duplicate findings.
    mutating func refreshStatus(_ record: Int) {
        let own = issues.own(record) ?? []
        let inGroup = issues.duplicates.contains(record)
        if own.contains(where: { $0.severity == .error }) || (inGroup && issues.duplicates.hasError(record)) {
            status[record] = .errors
        } else {
            status[record] = own.isEmpty && !inGroup ? .valid : .warnings
        }
    }
}
