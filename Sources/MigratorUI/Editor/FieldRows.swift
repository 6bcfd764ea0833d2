import MigrationCore

/// A record flattened for the editor: one row per field, nested objects expanded under a header row.
public struct FieldRow: Equatable, Sendable {
    public var pointer: JSONPointer
    public var depth: Int
    public var value: JSONValue
    /// An object shown as a header with its members below.
    public var isObject: Bool

    public var name: String { pointer.tokens.last ?? "(record)" }

    /// Rows of `value` (a record object).
    public static func rows(_ value: JSONValue) -> [FieldRow] {
        var out: [FieldRow] = []
        append(value, pointer: .root, depth: 0, to: &out)
        return out
    }

    private static func append(_ value: JSONValue, pointer: JSONPointer, depth: Int, to out: inout [FieldRow]) {
        guard case .object(let members) = value else { return }
        for m in members {
            let p = pointer.appending(m.key)
            if case .object = m.value {
                out.append(FieldRow(pointer: p, depth: depth, value: m.value, isObject: true))
                append(m.value, pointer: p, depth: depth + 1, to: &out)
            } else {
                out.append(FieldRow(pointer: p, depth: depth, value: m.value, isObject: false))
            }
        }
    }
}
