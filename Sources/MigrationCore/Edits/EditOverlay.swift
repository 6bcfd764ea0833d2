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

    /// Undoes the last step; returns the record it touched.
    @discardableResult
    public mutating func undo() -> Int? {
        guard let step = undoStack.popLast() else { return nil }
        changes[step.record] = step.before
        redoStack.append(step)
        return step.record
    }

    /// Redoes the last undone step; returns the record it touched.
    @discardableResult
    public mutating func redo() -> Int? {
        guard let step = redoStack.popLast() else { return nil }
        changes[step.record] = step.after
        undoStack.append(step)
        return step.record
    }

    private mutating func apply(_ step: Step) {
        guard step.before != step.after else { return }
        changes[step.record] = step.after
        undoStack.append(step)
        redoStack.removeAll()
    }

    public static func == (a: EditOverlay, b: EditOverlay) -> Bool { a.changes == b.changes }
}
