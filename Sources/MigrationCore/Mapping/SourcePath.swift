/// Where a mapping entry reads in a source record: a JSON pointer (`/profile/email`) whose
/// tokens may also be
/// - `[key=value]`: the first element of an array whose member `key` has that value
///   (`/credentials/[type=password]/secretData`);
/// - a last token ending in `*`: every member whose name starts with the text before it
///   (`/user_metadata/*`, `/custom:*`), each mapped to the target with its suffix.
/// A string met where an object or array is needed is read as JSON (Keycloak's `secretData`,
/// Supabase's `raw_user_meta_data` from a dashboard export, Firebase's `customAttributes`).
/// For a CSV source the record is the row as an object keyed by header: `/Mail` reads column "Mail".
public struct SourcePath: Sendable, Equatable, CustomStringConvertible {
    enum Token: Sendable, Equatable {
        case key(String)
        case select(key: String, value: String)
    }
    let tokens: [Token]
    /// The member-name prefix of a trailing wildcard (`""` for `/*`), nil when there is none.
    let wildcardPrefix: String?
    public let description: String

    /// Parses `text`; nil when it is not a pointer (does not start with `/`).
    public init?(_ text: String) {
        guard let pointer = JSONPointer(text), !pointer.tokens.isEmpty else { return nil }
        var tokens: [Token] = []
        var wildcard: String?
        for (i, raw) in pointer.tokens.enumerated() {
            if raw.hasPrefix("["), raw.hasSuffix("]"), let eq = raw.firstIndex(of: "=") {
                let key = String(raw[raw.index(after: raw.startIndex)..<eq])
                let value = String(raw[raw.index(after: eq)..<raw.index(before: raw.endIndex)])
                tokens.append(.select(key: key, value: value))
            } else if i == pointer.tokens.count - 1, raw.hasSuffix("*") {
                wildcard = String(raw.dropLast())
            } else {
                tokens.append(.key(raw))
            }
        }
        self.tokens = tokens
        self.wildcardPrefix = wildcard
        self.description = text
    }

    /// The member name `other` reads by name among this wildcard path's members, if it does
    /// (`/user_metadata/*` and `/user_metadata/locale` → `locale`).
    func claimedSuffix(by other: SourcePath) -> String? {
        guard let prefix = wildcardPrefix, other.wildcardPrefix == nil, other.tokens.count == tokens.count + 1,
              Array(other.tokens.prefix(tokens.count)) == tokens, case .key(let name)? = other.tokens.last,
              name.hasPrefix(prefix), name.count > prefix.count else { return nil }
        return String(name.dropFirst(prefix.count))
    }

    /// The value at this path (nil when absent or null); for a wildcard path, use `members(in:)`.
    func value(in record: JSONValue) -> JSONValue? {
        var current = record
        for token in tokens {
            guard let next = SourcePath.step(current, token) else { return nil }
            current = next
        }
        return current.isNull ? nil : current
    }

    /// For a wildcard path: (suffix, value) of every matching member, in order.
    func members(in record: JSONValue) -> [(String, JSONValue)] {
        guard let prefix = wildcardPrefix else { return [] }
        var current = record
        for token in tokens {
            guard let next = SourcePath.step(current, token) else { return [] }
            current = next
        }
        guard case .object(let members) = SourcePath.container(current) else { return [] }
        return members.compactMap { m in
            guard m.key.hasPrefix(prefix), m.key.count > prefix.count, !m.value.isNull else { return nil }
            return (String(m.key.dropFirst(prefix.count)), m.value)
        }
    }

    private static func step(_ value: JSONValue, _ token: Token) -> JSONValue? {
        let current = container(value)
        switch token {
        case .key(let key):
            switch current {
            case .object: return current[key]
            case .array(let items):
                guard let i = Int(key), i >= 0, i < items.count else { return nil }
                return items[i]
            default: return nil
            }
        case .select(let key, let wanted):
            guard case .array(let items) = current else { return nil }
            return items.first { item in item[key].map { SourceText.scalar($0) == wanted } ?? false }
        }
    }

    /// A string that holds a JSON object or array, parsed; anything else as it is.
    static func container(_ value: JSONValue) -> JSONValue {
        guard case .string(let text) = value, let first = text.utf8.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x09 && $0 != 0x0D }),
              first == UInt8(ascii: "{") || first == UInt8(ascii: "[") else { return value }
        return (try? JSONParser.parse(text)) ?? value
    }
}

/// Scalar values as text, for comparisons and conversions.
enum SourceText {
    /// A string as is, a boolean as `true`/`false`, a number as its text; nil for containers and null.
    static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n
        default: return nil
        }
    }

    /// Whether a value carries anything: not null, "", [] or {}.
    static func isPresent(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .null?: return false
        case .string(let s)?:
            // A first byte that is printable ASCII decides without trimming (the common case, per record).
            if let first = s.utf8.first, first > 0x20, first < 0x7F { return true }
            return !s.trimmingCharacters(in: .whitespaces).isEmpty
        case .array(let a)?: return !a.isEmpty
        case .object(let o)?: return !o.isEmpty
        default: return true
        }
    }
}
