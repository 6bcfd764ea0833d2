import Foundation
import Synchronization

/// Validates every record of an indexed source, on all cores, with progress and cancellation,
/// and finds what no single record shows: identifiers (and other login IDs) that occur more
/// than once in the file after the server's normalisation.
public struct ValidationPass: Sendable {
    public let index: RecordIndex
    public let edits: EditOverlay
    public let settings: ValidationSettings

    public init(index: RecordIndex, edits: EditOverlay = EditOverlay(), settings: ValidationSettings) {
        self.index = index
        self.edits = edits
        self.settings = settings
    }

    /// Result of validating one record, as the pass and single-record re-validation share it.
    public struct RecordVerdict: Sendable {
        public var issues: [Issue]
        public var size: Int
        public var excluded: Bool
        public var normalizedIdentifier: String?
        public var identifierKey: String?
        public var otherLoginIDs: [LoginIDType: String]
    }

    /// Validates record `n` (with its edit, if any).
    public func verdict(_ n: Int, span: RecordSpan? = nil) -> RecordVerdict {
        let validator = RecordValidator(settings: settings)
        switch edits[n] {
        case .excluded?:
            return RecordVerdict(issues: [], size: 0, excluded: true, normalizedIdentifier: nil, identifierKey: nil, otherLoginIDs: [:])
        case .replaced(let value)?:
            let r = validator.validate(value)
            let size = JSONWriter().bytes(value).count
            return RecordVerdict(issues: sized(r.issues, size, value), size: size, excluded: false,
                                 normalizedIdentifier: r.normalizedIdentifier, identifierKey: r.identifierKey, otherLoginIDs: r.otherLoginIDs)
        case nil:
            let span = span ?? index.span(n)
            switch index.loadMapped(span: span) {
            case .failure(let problem):
                return RecordVerdict(issues: [problem.issue], size: 0, excluded: false, normalizedIdentifier: nil, identifierKey: nil, otherLoginIDs: [:])
            case .success(let mapped):
                // A row the mapping skips (Supabase's deleted users) is left out like an excluded one.
                if mapped.skipped != nil {
                    return RecordVerdict(issues: [], size: 0, excluded: true, normalizedIdentifier: nil, identifierKey: nil, otherLoginIDs: [:])
                }
                let value = mapped.record
                let r = validator.validate(value)
                let size = !index.isMapped ? JSONCompactor.compactLength(index.rawBytes(span)) : JSONWriter().bytes(value).count
                return RecordVerdict(issues: sized(mapped.notes + r.issues, size, value) + csvRowWarnings(span), size: size, excluded: false,
                                     normalizedIdentifier: r.normalizedIdentifier, identifierKey: r.identifierKey, otherLoginIDs: r.otherLoginIDs)
            }
        }
    }

    /// Runs the pass over every record, alongside the index scan if that is still running.
    /// `progress` is called now and then with (records done, total); returning
    /// false from `shouldContinue` stops early (the report then covers what was done).
    public func run(progress: (@Sendable (Int, Int) -> Void)? = nil,
                    shouldContinue: (@Sendable () -> Bool)? = nil) -> ValidationReport {
        // Chunks are handed out in order; a worker whose chunk is not indexed yet waits for
        // the scan, so validation runs alongside indexing instead of after it.
        let chunk = 4096
        let next = Atomic<Int>(0)
        let done = Atomic<Int>(0)
        // Finished chunks are merged in order by whichever worker finishes the next one, so
        // the report is ready when the last chunk is, and it always covers a prefix of the file.
        let merged = Mutex(OrderedMerge())
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        // Plain records are judged from their bytes (a CSV row from the JSON it maps to); the
        // rest by the full validator.
        let fastPath = RecordFastPath(settings: settings)
        let sizeLimit = RecordSizeRule.limit(settings)
        let labels = index.recordMapping?.notImportedLabels.count ?? 0
        let preset = index.recordMapping != nil
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            var scratch: [UInt8] = []
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                let start = c * chunk
                var available = index.count
                while available < start + chunk && !index.isComplete {
                    if let shouldContinue, !shouldContinue() { return }
                    usleep(200)
                    available = index.count
                }
                available = index.count
                guard start < available else { return }
                if let shouldContinue, !shouldContinue() { return }
                // The source was cut short under the pass: stop reading it (the report says why).
                if index.file.changedWhileReading { return }
                let range = start..<min(available, start + chunk)
                let spans = index.spans(range)
                var local = ChunkResult(base: range.lowerBound, count: range.count)
                let unedited = edits.isEmpty
                for (k, span) in spans.enumerated() {
                    let n = range.lowerBound + k
                    // A mapped source's record is built once here, for the counts and the fast path.
                    var mapped: RecordMapping.Mapped?
                    if preset, case .success(let m) = index.loadMapped(span: span) {
                        mapped = m
                        if labels > 0, m.skipped == nil { local.countNotImported(m.notImported, labels: labels) }
                    }
                    if unedited || edits[n] == nil, let v = fastVerdict(fastPath, span, mapped: mapped, sizeLimit: sizeLimit, scratch: &scratch) {
                        local.record(k, v)
                    } else {
                        local.record(k, verdict(n, span: span))
                    }
                }
                merged.withLock { $0.add(local, number: c) }
                if let first = spans.first, let last = spans.last { index.file.releasePages(first.start..<last.end) }
                let finished = done.wrappingAdd(range.count, ordering: .relaxed).newValue
                progress?(finished, index.isComplete ? index.count : max(finished, index.count))
            }
        }
        let (merge, keys) = merged.withLock { $0.finish() }
        var report = merge
        DuplicateFinder(pass: self).report(candidates: keys.duplicateGroups(), into: &report)
        report.loginIDs = keys
        if index.file.hasShrunk() { report.sourceFailure = index.file.changedError() }
        return report
    }

    /// The fast path's verdict, or nil to let `verdict(_:span:)` decide (which alone adds
    /// `record.too_large`: the fast path steps aside for a record too large to send).
    /// `scratch` is the worker's buffer for a CSV row's bytes, reused from row to row.
    private func fastVerdict(_ fastPath: RecordFastPath, _ span: RecordSpan, mapped preloaded: RecordMapping.Mapped?,
                             sizeLimit: Int, scratch: inout [UInt8]) -> RecordFastPath.Verdict? {
        let v: RecordFastPath.Verdict?
        if !index.isMapped {
            v = fastPath.check(index.rawBytes(span))
        } else if index.recordMapping == nil, index.csv != nil {
            // A CSV row of the project's own columns: its request bytes straight from the row
            // (`CSVRowWriter`, the bytes `JSONWriter` writes of the record the slow path builds),
            // no `JSONValue`. A row that does not map, or a file cut short under the read, is
            // left to `verdict`, which words the problem.
            if index.file.changedWhileReading { return nil }
            scratch.removeAll(keepingCapacity: true)
            guard index.recordBytes(span: span, into: &scratch), !index.file.changedWhileReading else { return nil }
            v = scratch.withUnsafeBytes { fastPath.check($0) }.map { fast in
                var fast = fast
                let extra = csvRowWarnings(span)
                if !extra.isEmpty { fast.issues += extra }
                return fast
            }
        } else {
            let loaded: RecordMapping.Mapped
            if let preloaded { loaded = preloaded } else {
                guard case .success(let m) = index.loadMapped(span: span) else { return nil }
                loaded = m
            }
            if loaded.skipped != nil { return nil }  // `verdict` leaves it out
            // A mapping's notes (a password it could not carry) come first, as in `verdict`; a CSV row's
            // own warnings (a stray quote) last.
            v = JSONWriter().bytes(loaded.record).withUnsafeBytes { fastPath.check($0) }.map { fast in
                var fast = fast
                if !loaded.notes.isEmpty { fast.issues = loaded.notes + fast.issues }
                let extra = csvRowWarnings(span)
                if !extra.isEmpty { fast.issues += extra }
                return fast
            }
        }
        guard let v, v.size <= sizeLimit else { return nil }
        return v
    }

    /// A CSV row with a quote inside an unquoted field: the quote is kept as a character (as
    /// mainstream CSV readers keep it), and the row gets one warning saying so.
    private func csvRowWarnings(_ span: RecordSpan) -> [Issue] {
        guard let csv = index.csv else { return [] }
        let row = index.rawBytes(span)
        guard let stray = CSVRowParser.strayQuote(row) else { return [] }
        let (line, column) = CSVRowParser.position(of: stray.offset, in: row, line: Int(span.line))
        let header = stray.field < csv.header.count ? " (\"\(csv.header[stray.field])\")" : ""
        let field = stray.field < csv.mapping.columns.count ? csv.mapping.columns[stray.field].field : nil
        let pointer = field.map { "/" + $0.replacingOccurrences(of: ".", with: "/") } ?? ""
        return [.warning(pointer, rule: "csv.quote_in_unquoted_field",
            "line \(line), column \(column): a quote inside the unquoted field of CSV column \(stray.field + 1)\(header) is kept as a character; if the field was meant to be quoted, quote all of it and double the quotes inside (\"a\"\"b\")")]
    }

    /// `issues` plus `record.too_large` when the record cannot fit in any request.
    private func sized(_ issues: [Issue], _ size: Int, _ value: JSONValue) -> [Issue] {
        guard let tooLarge = RecordSizeRule.issue(size: size, record: value, settings: settings) else { return issues }
        return issues + [tooLarge]
    }

    /// Validates one record again (after an edit) and updates `report`, including duplicate
    /// findings between this record and the others.
    public func revalidate(_ n: Int, in report: inout ValidationReport) {
        let v = verdict(n)
        let before = report.loginIDs.fingerprints(of: [n])
        let after = LoginIDKeys.hashes(of: v)
        report.update(n, issues: v.issues, size: v.size, excluded: v.excluded)
        report.loginIDs.replace(n, with: after)
        // Duplicate findings change for every record that shared an old or a new login ID with
        // this one, and for the records those share login IDs with: find that closed set, clear
        // its duplicate findings, and confirm its groups again.
        var affected = report.loginIDs.records(having: before.union(after)).union([n])
        var fingerprints = Set<UInt64>()
        while true {
            fingerprints = report.loginIDs.fingerprints(of: affected)
            let grown = affected.union(report.loginIDs.records(having: fingerprints))
            if grown.count == affected.count { break }
            affected = grown
        }
        report.issues.duplicates.remove(groupsOf: affected)
        for m in affected where report.status[m] != .excluded { report.refreshStatus(m) }
        DuplicateFinder(pass: self).report(candidates: report.loginIDs.groups(among: fingerprints), into: &report)
    }

    static func isDuplicateFinding(_ issue: Issue) -> Bool {
        issue.rule == "duplicate_identifier" || issue.rule == "duplicate_login_id"
    }
}

/// Chunk results put together in chunk order as they arrive.
struct OrderedMerge {
    private var report = ValidationReport(count: 0)
    private var keys = LoginIDKeys()
    private var waiting: [Int: ChunkResult] = [:]
    private var next = 0

    mutating func add(_ part: ChunkResult, number: Int) {
        waiting[number] = part
        while let part = waiting.removeValue(forKey: next) {
            report.status.append(contentsOf: part.status)
            report.recordSizes.append(contentsOf: part.sizes)
            for (k, list) in part.issues { report.issues.append(part.base + k, list) }
            keys.append(part.loginIDHashes, base: part.base)
            if !part.notImported.isEmpty {
                if report.notImported.isEmpty { report.notImported = part.notImported }
                else { for i in part.notImported.indices { report.notImported[i] += part.notImported[i] } }
            }
            next += 1
        }
    }

    /// The report of the chunks merged so far (chunks after a gap, left by a cancelled pass, are dropped).
    func finish() -> (ValidationReport, LoginIDKeys) { (report, keys) }
}

/// One chunk's results, merged in chunk order as chunks finish.
struct ChunkResult: Sendable {
    let base: Int
    let count: Int
    var status: [ValidationReport.Status]
    var sizes: [Int32]
    /// (record offset in the chunk, its issues) for records that have any, in order.
    var issues: [(Int, [Issue])] = []
    /// (record offset in the chunk, fingerprint) of every login ID the chunk's records would create.
    var loginIDHashes: [(Int32, UInt64)] = []
    /// Records of the chunk with data that cannot be imported, per label of the mapping's `notImported`.
    var notImported: [Int] = []

    mutating func countNotImported(_ found: [Int], labels: Int) {
        guard !found.isEmpty else { return }
        if notImported.isEmpty { notImported = [Int](repeating: 0, count: labels) }
        for i in found { notImported[i] += 1 }
    }

    init(base: Int, count: Int) {
        self.base = base
        self.count = count
        status = [ValidationReport.Status](repeating: .valid, count: count)
        sizes = [Int32](repeating: 0, count: count)
    }

    mutating func record(_ k: Int, _ v: ValidationPass.RecordVerdict) {
        sizes[k] = Int32(clamping: v.size)
        if v.excluded { status[k] = .excluded; return }
        if !v.issues.isEmpty {
            issues.append((k, v.issues))
            status[k] = v.issues.contains { $0.severity == .error } ? .errors : .warnings
        }
        for h in LoginIDKeys.hashes(of: v) { loginIDHashes.append((Int32(k), h)) }
    }

    mutating func record(_ k: Int, _ v: RecordFastPath.Verdict) {
        sizes[k] = Int32(clamping: v.size)
        if !v.issues.isEmpty {
            issues.append((k, v.issues))
            status[k] = .warnings
        }
        if v.fingerprintCount > 0 { loginIDHashes.append((Int32(k), v.fingerprints.0)) }
        if v.fingerprintCount > 1 { loginIDHashes.append((Int32(k), v.fingerprints.1)) }
        if v.fingerprintCount > 2 { loginIDHashes.append((Int32(k), v.fingerprints.2)) }
    }
}
