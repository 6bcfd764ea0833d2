/// One field an edit changed: its pointer, the source's value and the edited one (nil = absent).
public struct FieldChange: Sendable, Equatable {
    public var pointer: JSONPointer
    public var old: JSONValue?
    public var new: JSONValue?
    public init(pointer: JSONPointer, old: JSONValue?, new: JSONValue?) {
        self.pointer = pointer
        self.old = old
        self.new = new
    }
}

/// An edited record as a diff against the source's record: nested objects field by field,
/// arrays and scalars as whole values.
public enum RecordDiff {
    public static func changes(from original: JSONValue?, to edited: JSONValue) -> [FieldChange] {
        var out: [FieldChange] = []
        diff(original, edited, at: .root, into: &out)
        return out
    }

    private static func diff(_ a: JSONValue?, _ b: JSONValue?, at pointer: JSONPointer, into out: inout [FieldChange]) {
        if a == b { return }
        if case .object(let am)? = a, case .object(let bm)? = b {
            var seen = Set<String>()
            for m in am where seen.insert(m.key).inserted { diff(m.value, b?[m.key], at: pointer.appending(m.key), into: &out) }
            for m in bm where seen.insert(m.key).inserted { diff(nil, m.value, at: pointer.appending(m.key), into: &out) }
            return
        }
        // A scalar or array changed, a field added or removed (at the root: a record that was not an object).
        out.append(FieldChange(pointer: pointer, old: a, new: b))
    }

    /// `record` with `changes` applied (their new values set, absent ones deleted), or nil when a
    /// change's path crosses a value that is not an object or array.
    public static func applying(_ changes: [FieldChange], to record: JSONValue) -> JSONValue? {
        var r = record
        for c in changes {
            if c.pointer.tokens.isEmpty {
                guard let new = c.new else { return nil }
                r = new
                continue
            }
            guard let next = r.replacing(at: c.pointer, with: c.new) else { return nil }
            r = next
        }
        return r
    }
}
