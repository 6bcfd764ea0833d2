/// Edits made to records without touching the source file: record number → replacement
/// record, or the record left out of the import. Every change can be undone and redone: an
/// edit of one record is one step, and an operation applied to many records at once (a bulk
/// fix) is one step for all of them.
public struct EditOverlay: Sendable, Equatable {
    /// What an edit does to one record.
    public enum Change: Sendable, Equatable {
        /// Send this record instead of the source's.
        case replaced(JSONValue)
        /// Do not send this record at all.
        case excluded
    }

    /// The state of one record before and after a step.
    public struct Step: Sendable, Equatable {
        public var record: Int
        public var before: Change?
        public var after: Change?
        public init(record: Int, before: Change?, after: Change?) {
            self.record = record
            self.before = before
            self.after = after
        }
    }

    /// One undoable step: one record's edit (no label), or an operation on many records (its
    /// label, such as "lowercase /email"), undone and redone as a whole. Steps are in record order.
    public struct Entry: Sendable, Equatable {
        public var label: String?
        public var steps: [Step]
        public init(label: String?, steps: [Step]) {
            self.label = label
            self.steps = steps
        }
        public var isGroup: Bool { label != nil }
        public func touches(_ record: Int) -> Bool {
            if steps.count == 1 { return steps[0].record == record }
            // Steps are sorted by record: binary search.
            var lo = 0, hi = steps.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if steps[mid].record < record { lo = mid + 1 } else { hi = mid }
            }
            return lo < steps.count && steps[lo].record == record
        }
    }

    /// What `undoEntry`/`redoEntry` did.
    public enum Outcome: Sendable, Equatable {
        case nothing
        case record(Int)
        /// A whole operation: its label and how many records it touched.
        case group(label: String, records: Int)
        /// The operation cannot be undone (redone) as a whole: `record` was edited since; undo that first.
        case blocked(label: String, record: Int)
    }

    public private(set) var changes: [Int: Change] = [:]
    private var undoStack: [Entry] = []
    private var redoStack: [Entry] = []

    public init(changes: [Int: Change] = [:], groups: [Entry] = []) {
        self.changes = changes
        undoStack = groups.filter(\.isGroup)
    }

    public var isEmpty: Bool { changes.isEmpty }
    public var canUndo: Bool { !undoStack.isEmpty }
    public var canRedo: Bool { !redoStack.isEmpty }
    public var excludedCount: Int { changes.values.filter { $0 == .excluded }.count }
    /// The operations on many records that can still be undone, oldest first (saved with the edits).
    public var undoableGroups: [Entry] { undoStack.filter(\.isGroup) }

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

    /// Applies one operation to many records as a single undo step: record → its new state
    /// (nil = as in the source). Records whose state does not change are left out of the step.
    /// Returns how many records changed.
    @discardableResult
    public mutating func apply(group label: String, _ targets: [Int: Change?]) -> Int {
        var steps: [Step] = []
        steps.reserveCapacity(targets.count)
        for n in targets.keys.sorted() {
            let after = targets[n]!
            let before = changes[n]
            if before != after { steps.append(Step(record: n, before: before, after: after)) }
        }
        guard !steps.isEmpty else { return 0 }
        for s in steps { changes[s.record] = s.after }
        undoStack.append(Entry(label: label, steps: steps))
        let touched = Set(steps.map(\.record))
        redoStack.removeAll { $0.steps.contains { touched.contains($0.record) } }
        return steps.count
    }

    /// Undoes the last step — of `record` only when given (each record's edits are undone on
    /// their own, whatever was edited since in other records); returns the record it touched.
    @discardableResult
    public mutating func undo(record: Int? = nil) -> Int? { touched(record, undoing: true) }

    /// Redoes the last undone step — of `record` only when given; returns the record it touched.
    @discardableResult
    public mutating func redo(record: Int? = nil) -> Int? { touched(record, undoing: false) }

    /// Undoes the last step touching `record` (any record when nil). When it is an operation on
    /// many records, all of them are undone together — unless one was edited since (then nothing
    /// changes and `.blocked` names it).
    public mutating func undoEntry(record: Int? = nil) -> Outcome { move(record, undoing: true) }

    /// Redoes the last undone step touching `record` (any record when nil), a whole operation at once.
    public mutating func redoEntry(record: Int? = nil) -> Outcome { move(record, undoing: false) }

    /// `move`, answering with the record it touched (an operation's first record, or `record`).
    private mutating func touched(_ record: Int?, undoing: Bool) -> Int? {
        let first = (undoing ? undoStack : redoStack).last(where: { record == nil || $0.touches(record!) })?.steps.first?.record
        switch move(record, undoing: undoing) {
        case .record(let n): return n
        case .group: return record ?? first
        case .nothing, .blocked: return nil
        }
    }

    /// Moves the last entry touching `record` from the undo stack to the redo stack (or back),
    /// putting its records in the state before (or after) it — unless a record of an operation
    /// on many records was edited since.
    private mutating func move(_ record: Int?, undoing: Bool) -> Outcome {
        let stack = undoing ? undoStack : redoStack
        guard let i = stack.lastIndex(where: { record == nil || $0.touches(record!) }) else { return .nothing }
        let entry = stack[i]
        let expected = { (s: Step) in undoing ? s.after : s.before }
        if let label = entry.label, let moved = entry.steps.first(where: { changes[$0.record] != expected($0) }) {
            return .blocked(label: label, record: moved.record)
        }
        if undoing {
            undoStack.remove(at: i)
            redoStack.append(entry)
        } else {
            redoStack.remove(at: i)
            undoStack.append(entry)
        }
        for s in entry.steps { changes[s.record] = undoing ? s.before : s.after }
        return entry.label.map { .group(label: $0, records: entry.steps.count) } ?? .record(entry.steps[0].record)
    }

    private mutating func apply(_ step: Step) {
        guard step.before != step.after else { return }
        changes[step.record] = step.after
        undoStack.append(Entry(label: nil, steps: [step]))
        // A new edit of a record ends the redo of that record's undone steps, not of others'.
        redoStack.removeAll { $0.touches(step.record) }
    }

    public static func == (a: EditOverlay, b: EditOverlay) -> Bool { a.changes == b.changes }
}
