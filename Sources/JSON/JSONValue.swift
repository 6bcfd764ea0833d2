import Foundation

/// A JSON value that keeps what the writer wrote: object members in their original order
/// (duplicates included) and numbers as their original text.
///
/// Records are parsed into this type on demand; the source bytes stay the reference, so an
/// unedited record is always sent exactly as it was written.
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    /// The number's text exactly as written (`1.0`, `1e3`, `-0`): never reformatted.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The JSON type names the server's schema library uses (`integer` numbers also report `number`).
    public var typeNames: [String] {
        switch self {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case .number(let text): return JSONValue.isIntegerText(text) ? ["integer", "number"] : ["number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [JSONMember]? { if case .object(let o) = self { return o } else { return nil } }
    public var numberText: String? { if case .number(let n) = self { return n } else { return nil } }
    public var doubleValue: Double? { numberText.flatMap(Double.init) }

    /// The value of the **last** member named `key` (the server's Go decoder keeps the last duplicate).
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }

    /// Whether an object has a member named `key` (present, possibly `null`).
    public func has(_ key: String) -> Bool {
        guard case .object(let members) = self else { return false }
        return members.contains(where: { $0.key == key })
    }

    /// A JSON number text is an integer for JSON Schema when its value has no fractional part
    /// (`1`, `-0`, `1.0`, `1e3` all count, as in Go's float64-based validator).
    public static func isIntegerText(_ text: String) -> Bool {
        if !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }) { return true }
        guard let d = Double(text), d.isFinite else { return false }
        return d.rounded(.towardZero) == d
    }
}

/// One `"key": value` pair of an object, in source order.
public struct JSONMember: Sendable, Equatable, Hashable {
    public var key: String
    public var value: JSONValue
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

extension JSONValue {
    /// Builds an object from key/value pairs, in order.
    public static func obj(_ pairs: KeyValuePairs<String, JSONValue>) -> JSONValue {
        .object(pairs.map { JSONMember($0.key, $0.value) })
    }

    /// The object with `key` set to `value` (replacing every member of that name in place,
    /// or appending it), or with `key` removed when `value` is nil.
    public func setting(_ key: String, to value: JSONValue?) -> JSONValue {
        guard case .object(var members) = self else { return self }
        if let value {
            if let first = members.firstIndex(where: { $0.key == key }) {
                members[first].value = value
                var i = members.count - 1
                while i > first { if members[i].key == key { members.remove(at: i) }; i -= 1 }
            } else {
                members.append(JSONMember(key, value))
            }
        } else {
            members.removeAll(where: { $0.key == key })
        }
        return .object(members)
    }

    /// The value at a JSON pointer (`/address/country`, `/roles/0`), or nil.
    public func value(at pointer: JSONPointer) -> JSONValue? {
        var current = self
        for token in pointer.tokens {
            switch current {
            case .object: guard let next = current[token] else { return nil }; current = next
            case .array(let items):
                guard let i = Int(token), i >= 0, i < items.count else { return nil }
                current = items[i]
            default: return nil
            }
        }
        return current
    }

    /// The value with the member or element at `pointer` replaced (nil removes it).
    /// Missing intermediate objects are created. Returns nil when the path crosses a non-container.
    public func replacing(at pointer: JSONPointer, with newValue: JSONValue?) -> JSONValue? {
        guard let first = pointer.tokens.first else { return newValue ?? .null }
        let rest = JSONPointer(tokens: Array(pointer.tokens.dropFirst()))
        switch self {
        case .object:
            let child = self[first] ?? .object([])
            if rest.tokens.isEmpty { return setting(first, to: newValue) }
            guard let updated = child.replacing(at: rest, with: newValue) else { return nil }
            return setting(first, to: updated)
        case .array(var items):
            guard let i = Int(first), i >= 0, i <= items.count else { return nil }
            if rest.tokens.isEmpty {
                if let newValue { if i == items.count { items.append(newValue) } else { items[i] = newValue } }
                else if i < items.count { items.remove(at: i) }
                return .array(items)
            }
            guard i < items.count, let updated = items[i].replacing(at: rest, with: newValue) else { return nil }
            items[i] = updated
            return .array(items)
        default:
            return nil
        }
    }
}

/// An RFC 6901 JSON pointer.
public struct JSONPointer: Sendable, Hashable, CustomStringConvertible, Comparable {
    public var tokens: [String]
    public init(tokens: [String]) { self.tokens = tokens }
    public static let root = JSONPointer(tokens: [])

    /// Parses `/a/b~1c` (`~1` is `/`, `~0` is `~`). Returns nil for text not starting with `/` (except "").
    public init?(_ text: String) {
        if text.isEmpty { self.tokens = []; return }
        guard text.hasPrefix("/") else { return nil }
        self.tokens = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    public func appending(_ token: String) -> JSONPointer { JSONPointer(tokens: tokens + [token]) }
    public func appending(_ index: Int) -> JSONPointer { appending(String(index)) }

    public var description: String {
        tokens.map { "/" + $0.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1") }.joined()
    }

    public static func < (a: JSONPointer, b: JSONPointer) -> Bool { a.description < b.description }
}
