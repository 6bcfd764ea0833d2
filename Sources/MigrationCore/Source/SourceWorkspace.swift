/// Everything a run needs to know about its source: the index, the edits, the run settings,
/// and (after `validate`) each record's verdict. The TUI and the headless commands share it.
public final class SourceWorkspace: @unchecked Sendable {
    // @unchecked Sendable: `edits` and `report` are mutated only by the owner (the CLI's main
    // task or the TUI's main actor); the index is itself Sendable.
    public let index: RecordIndex
    public var edits: EditOverlay
    public var settings: ValidationSettings
    public private(set) var report: ValidationReport?

    public init(index: RecordIndex, edits: EditOverlay = EditOverlay(), settings: ValidationSettings) {
        self.index = index
        self.edits = edits
        self.settings = settings
    }

    public var pass: ValidationPass { ValidationPass(index: index, edits: edits, settings: settings) }

    /// Validates every indexed record (the index should be complete).
    @discardableResult
    public func validate(progress: (@Sendable (Int, Int) -> Void)? = nil, shouldContinue: (@Sendable () -> Bool)? = nil) -> ValidationReport {
        let r = pass.run(progress: progress, shouldContinue: shouldContinue)
        report = r
        return r
    }

    /// Applies an edit and re-validates that record at once.
    public func edit(_ change: (inout EditOverlay) -> Void) {
        let before = edits
        change(&edits)
        guard var r = report else { return }
        let touched = Set(before.changes.keys).union(edits.changes.keys).filter { before[$0] != edits[$0] }
        for n in touched { pass.revalidate(n, in: &r) }
        report = r
    }

    /// Installs a report computed in the background from `validated` edits; records edited since
    /// then are re-validated so the report matches the current edits.
    public func adopt(_ fresh: ValidationReport, validatedWith validated: EditOverlay) {
        var r = fresh
        let touched = Set(validated.changes.keys).union(edits.changes.keys).filter { validated[$0] != edits[$0] }
        for n in touched where n < r.recordCount { pass.revalidate(n, in: &r) }
        report = r
    }
}
