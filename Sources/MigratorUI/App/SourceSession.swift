import Foundation
import MigrationCore

/// The open source as the screens see it: records (edited or original), their issues, and the
/// columns worth showing. Lives on the UI thread; background work (indexing, the validation
/// pass) hands results back through messages and the runtime installs them here.
public final class SourceSession {
    public let path: String
    public let workspace: SourceWorkspace
    public let mappingPath: String?
    public let editsPath: String
    /// Issues of records validated on demand while the background pass has not finished.
    private var onDemand: [Int: [Issue]] = [:]
    /// Status totals of the current report, counted once per report or edit (not per frame).
    private var cachedTotals: ValidationReport.Totals?
    /// Top-level fields shown as table columns, chosen from the first records.
    public private(set) var columns: [String] = []
    /// When each edited record's edit was last saved (`EditTimes`, beside the edits file).
    public private(set) var editTimes: [Int: Date]

    public init(path: String, workspace: SourceWorkspace, mappingPath: String?, editsPath: String) {
        self.path = path
        self.workspace = workspace
        self.mappingPath = mappingPath
        self.editsPath = editsPath
        self.editTimes = EditTimes.load(path: EditTimes.path(forEdits: editsPath))
        chooseColumns()
    }

    public var index: RecordIndex { workspace.index }
    public var count: Int { workspace.index.count }
    public var report: ValidationReport? { workspace.report }
    public var identifier: ImportIdentifier { workspace.settings.identifier }

    /// The record as it will be sent: its edit if edited, else parsed from the source (an
    /// excluded record shows as the source has it); nil when unreadable.
    public func record(_ n: Int) -> JSONValue? {
        switch workspace.edits[n] {
        case .replaced(let v)?: return v
        case .excluded?: return original(n)
        case nil: return original(n)
        }
    }

    /// The record as the source file has it.
    public func original(_ n: Int) -> JSONValue? {
        guard n < count, case .success(let v) = workspace.index.loadRecord(n) else { return nil }
        return v
    }

    /// Why a record cannot be parsed at all, if so.
    public func loadProblem(_ n: Int) -> RecordProblem? {
        guard n < count, case .failure(let p) = workspace.index.loadRecord(n) else { return nil }
        return p
    }

    public func isExcluded(_ n: Int) -> Bool { workspace.edits[n] == .excluded }
    public func isEdited(_ n: Int) -> Bool { workspace.edits[n] != nil }
    public func line(_ n: Int) -> Int { n < count ? Int(workspace.index.span(n).line) : 0 }

    /// The record's issues: from the report when the pass has run, else validated now (and remembered).
    public func issues(_ n: Int) -> [Issue] {
        if let r = workspace.report, n < r.recordCount { return r.issues[n] ?? [] }
        if let cached = onDemand[n] { return cached }
        let v = workspace.pass.verdict(n)
        onDemand[n] = v.issues
        return v.issues
    }

    /// valid / warnings / errors / excluded, from the report or on demand.
    public func status(_ n: Int) -> ValidationReport.Status {
        if let r = workspace.report, n < r.recordCount { return r.status[n] }
        if isExcluded(n) { return .excluded }
        let list = issues(n)
        if list.contains(where: { $0.severity == .error }) { return .errors }
        return list.isEmpty ? .valid : .warnings
    }

    /// Installs a finished background pass.
    public func adopt(_ report: ValidationReport, validatedWith edits: EditOverlay) {
        workspace.adopt(report, validatedWith: edits)
        onDemand.removeAll()
        cachedTotals = nil
    }

    /// Records per status in the report (nil before the first pass).
    public var totals: ValidationReport.Totals? {
        guard let report = workspace.report else { return nil }
        if let cachedTotals { return cachedTotals }
        let t = report.totals()
        cachedTotals = t
        return t
    }

    /// Applies an edit (re-validated at once) and saves the edits file.
    public func edit(_ change: (inout EditOverlay) -> Void) throws {
        let before = workspace.edits
        workspace.edit(change)
        onDemand.removeAll()
        cachedTotals = nil
        try save(editsBefore: before)
    }

    /// Applies an operation on many records as one undo step, installing the report its preview
    /// computed for exactly these edits (`plan.base` must be the current edits), and saves.
    public func apply(_ plan: BulkPlan) throws {
        precondition(plan.base == workspace.edits, "a bulk plan applies only to the edits it was computed on")
        let before = workspace.edits
        workspace.edits.apply(group: plan.operation.label, plan.targets)
        if let report = plan.report { workspace.adopt(report, validatedWith: workspace.edits) }
        onDemand.removeAll()
        cachedTotals = nil
        try save(editsBefore: before)
    }

    /// Installs `edits` without re-validating here (an undo of an operation on many records: the
    /// caller starts a background pass, whose report is adopted when it ends), and saves.
    public func replaceEdits(_ edits: EditOverlay) throws {
        let before = workspace.edits
        workspace.edits = edits
        onDemand.removeAll()
        cachedTotals = nil
        try save(editsBefore: before)
    }

    /// Saves the edits file and the times of the records whose edit changed since `before`.
    private func save(editsBefore before: EditOverlay) throws {
        try EditStore(path: editsPath).save(workspace.edits, for: workspace.index.file)
        EditTimes.stamp(&editTimes, from: before, to: workspace.edits, at: Date())
        try EditTimes.save(editTimes, to: EditTimes.path(forEdits: editsPath))
    }

    private func chooseColumns() {
        var seen: [String] = []
        let id = identifier.field
        let sample = min(count, 200)
        for n in 0..<sample {
            guard case .object(let members)? = original(n) else { continue }
            for m in members where !seen.contains(m.key) { seen.append(m.key) }
        }
        let preferred = [id, "name", "given_name", "family_name", "email", "phone_number", "preferred_username"]
        var ordered: [String] = []
        for key in preferred where seen.contains(key) && !ordered.contains(key) { ordered.append(key) }
        for key in seen where !ordered.contains(key) && !Secrets.isSecretField(key) { ordered.append(key) }
        if ordered.isEmpty { ordered = [id] }
        columns = ordered
    }

    /// Re-chooses columns once more records are indexed (the first call may have seen none).
    public func refreshColumnsIfEmpty() {
        if columns.count <= 1 { chooseColumns() }
    }
}
