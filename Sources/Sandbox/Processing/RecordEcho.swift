import MigrationCore

/// The `record` echo of a detail (spec §9.5): the input decoded as Go does (`map[string]interface{}`:
/// last duplicate key wins, numbers become float64), redacted, keys sorted.
enum RecordEcho {
    static let placeholder = JSONValue.string("REDACTED")

    /// The echo of `record`, or nil when there is none (not an object, or `{}`).
    static func make(_ record: JSONValue) -> JSONValue? {
        guard case .object(let members) = record, !members.isEmpty else { return nil }
        return redact(goValue(record))
    }

    /// The value after a round trip through Go's generic decoding and encoding.
    static func goValue(_ value: JSONValue) -> JSONValue {
        switch value {
        case .number(let text): return .number(SandboxNumbers.normalize(text))
        case .array(let items): return .array(items.map(goValue))
        case .object(let members):
            var last: [[UInt8]: Int] = [:]
            for (i, m) in members.enumerated() { last[Array(m.key.utf8)] = i }
            let ordered = last.sorted { $0.key.lexicographicallyPrecedes($1.key) }
            return .object(ordered.map { JSONMember(members[$0.value].key, goValue(members[$0.value].value)) })
        default: return value
        }
    }

    /// `Record.Redact`: password hashes and TOTP secrets become `"REDACTED"` (keys added when missing).
    static func redact(_ record: JSONValue) -> JSONValue {
        var out = record
        if let password = record["password"] { out = set(out, "password", redactPassword(password)) }
        if let mfa = record["mfa"] {
            switch mfa {
            case .null: break
            case .object:
                var m = mfa
                if let p = mfa["password"] { m = set(m, "password", redactPassword(p)) }
                if let totp = mfa["totp"] {
                    switch totp {
                    case .null: break
                    case .object: m = set(m, "totp", set(totp, "secret", placeholder))
                    default: m = set(m, "totp", placeholder)
                    }
                }
                out = set(out, "mfa", m)
            default: out = set(out, "mfa", placeholder)
            }
        }
        return out
    }

    private static func redactPassword(_ value: JSONValue) -> JSONValue {
        switch value {
        case .null: return .null
        case .object: return set(value, "password_hash", placeholder)
        default: return placeholder
        }
    }

    /// Sets `key` keeping the members sorted by key bytes.
    private static func set(_ object: JSONValue, _ key: String, _ value: JSONValue) -> JSONValue {
        guard case .object(var members) = object else { return object }
        if let i = members.firstIndex(where: { $0.key == key }) {
            members[i].value = value
        } else {
            let at = members.firstIndex(where: { !Array($0.key.utf8).lexicographicallyPrecedes(Array(key.utf8)) }) ?? members.count
            members.insert(JSONMember(key, value), at: at)
        }
        return .object(members)
    }
}
