import Foundation

/// A bulk operation worked out on a copy of the edits before it is applied: which records it
/// changes, and what the validator says of them afterwards (duplicates across the file
/// included). Computed off the UI thread; applying it is one undo step (`EditOverlay.apply(group:)`),
/// and its report is installed as is when the edits have not changed since.
public struct BulkPlan: Sendable {
    /// Up to this many changed records are re-validated one by one; more, by a pass over the file.
    public static let incrementalLimit = 32

    public struct Counts: Sendable, Equatable {
        /// Records the operation was asked to change (the marked ones).
        public var targeted = 0
        /// Records whose edit state changes.
        public var changed = 0
        /// Of the changed records: invalid before and sendable after, and the other way round.
        public var becomeValid = 0
        public var becomeInvalid = 0
        /// Of the changed records: still with errors afterwards.
        public var stillInvalid = 0
        /// Records with errors in the whole file before and after (other records' duplicate findings can change too).
        public var invalidBefore = 0
        public var invalidAfter = 0
        public init() {}
    }

    public var operation: BulkOperation
    /// Record → its new edit state, for the records that change.
    public var targets: [Int: EditOverlay.Change?]
    public var counts: Counts
    /// The edits the plan was computed on, and the report after it (nil before the first validation).
    public var base: EditOverlay
    public var report: ValidationReport?

    /// Works out `operation` on `records` (record numbers in `index`) over `edits`, re-validating
    /// the changed records on a copy of `report`. `progress(done, total)` is called every 256
    /// records; nil when `shouldContinue` turned false.
    public static func compute(_ operation: BulkOperation, records: IndexSet, index: RecordIndex, edits: EditOverlay,
                               settings: ValidationSettings, report: ValidationReport?,
                               progress: (@Sendable (Int, Int) -> Void)? = nil,
                               shouldContinue: @escaping @Sendable () -> Bool = { true }) -> BulkPlan? {
        var targets: [Int: EditOverlay.Change?] = [:]
        let method = settings.project.phoneInput.validationMethod
        let total = records.count
        var done = 0
        for n in records where n < index.count {
            let current = edits[n]
            let value: JSONValue?
            switch current {
            case .replaced(let v)?: value = v
            default: value = { if case .success(let v) = index.loadRecord(n) { return v } else { return nil } }()
            }
            let after = operation.applied(to: current, record: value, phoneMethod: method)
            if after != current { targets[n] = after }
            done += 1
            if done & 255 == 0 {
                guard shouldContinue() else { return nil }
                progress?(done, total * 2)
            }
        }
        var counts = Counts()
        counts.targeted = total
        counts.changed = targets.count
        var after = edits
        after.apply(group: operation.label, targets)
        guard var r = report else {
            return BulkPlan(operation: operation, targets: targets, counts: counts, base: edits, report: nil)
        }
        counts.invalidBefore = r.errorCount
        let before = r.status
        let pass = ValidationPass(index: index, edits: after, settings: settings)
        if targets.count <= incrementalLimit {
            for n in targets.keys.sorted() where n < r.recordCount { pass.revalidate(n, in: &r) }
        } else {
            // Re-validating one record costs a look at every record's login IDs (duplicates):
            // for many records one pass over the file on every core is far cheaper.
            r = pass.run(progress: { done, all in progress?(total + done * total / max(1, all), total * 2) }, shouldContinue: shouldContinue)
            guard shouldContinue(), r.recordCount == before.count else { return nil }
        }
        for n in targets.keys where n < r.recordCount {
            let was = before[n] == .errors, now = r.status[n] == .errors
            if was && !now && r.status[n] != .excluded { counts.becomeValid += 1 }
            if !was && now { counts.becomeInvalid += 1 }
            if now { counts.stillInvalid += was ? 1 : 0 }
        }
        counts.invalidAfter = r.errorCount
        progress?(total * 2, total * 2)
        return BulkPlan(operation: operation, targets: targets, counts: counts, base: edits, report: r)
    }
}
