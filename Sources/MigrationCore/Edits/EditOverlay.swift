/// Edits made to records without touching the source file: record number → replacement
/// record, or the record left out of the import. Every change can be undone and redone.
public struct EditOverlay: Sendable, Equatable {
    /// What an edit does to one record.
    public enum Change: Sendable, Equatable {
        /// Send this record instead of the source's.
        case replaced(JSONValue)
        /// Do not send this record at all.
        case excluded
    }

    /// One undoable step: the state of a record before and after it.
    public struct Step: Sendable, Equatable {
        public var record: Int
        public var before: Change?
        public var after: Change?
    }

    public private(set) var changes: [Int: Change] = [:]
    private var undoStack: [Step] = []
    private var redoStack: [Step] = []

    public init(changes: [Int: Change] = [:]) {
        self.changes = changes
    }

    public var isEmpty: Bool { changes.isEmpty }
    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }
    public var excludedCount: Int { changes.values.filter { $0 == .excluded }.count }

    public subscript(record: Int) -> Change? { changes[record] }

    /// Replaces record `record` with `value`.
    public mutating func replace(_ record: Int, with value: JSONValue) {
        apply(Step(record: record, before: changes[record], after: .replaced(value)))
    }

    /// Leaves record `record` out of the import.
    public mutating func exclude(_ record: Int) {
        apply(Step(record: record, before: changes[record], after: .excluded))
    }

    /// Drops any edit of `record`, going back to the source's version.
    public mutating func revert(_ record: Int) {
        guard changes[record] != nil else { return }
        apply(Step(record: record, before: changes[record], after: nil))
    }

    /// Undoes the last step — of `record` only when given (each record's edits are undone on
    /// their own, whatever was edited since in other records); returns the record it touched.
    @discardableResult
    public mutating func undo(record: Int? = nil) -> Int? {
        guard let i = undoStack.lastIndex(where: { record == nil || $0.record == record }) else { return nil }
        let step = undoStack.remove(at: i)
        changes[step.record] = step.before
        redoStack.append(step)
        return step.record
    }

    /// Redoes the last undone step — of `record` only when given; returns the record it touched.
    @discardableResult
    public mutating func redo(record: Int? = nil) -> Int? {
        guard let i = redoStack.lastIndex(where: { record == nil || $0.record == record }) else { return nil }
        let step = redoStack.remove(at: i)
        changes[step.record] = step.after
        undoStack.append(step)
        return step.record
    }

    private mutating func apply(_ step: Step) {
        guard step.before != step.after else { return }
        changes[step.record] = step.after
        undoStack.append(step)
        // A new edit of a record ends the redo of that record's undone steps, not of others'.
        redoStack.removeAll { $0.record == step.record }
    }

    public static func == (a: EditOverlay, b: EditOverlay) -> Bool { a.changes == b.changes }
}
