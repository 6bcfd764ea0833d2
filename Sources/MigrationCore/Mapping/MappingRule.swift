import Foundation

/// One entry of a record mapping: where it reads in the source record, where it writes in the
/// import record, and how the value is converted on the way.
public struct MappingRule: Sendable, Equatable {
    /// What a rule does to a value besides its type conversion.
    public enum Transform: String, Sendable, CaseIterable {
        /// `true` when the source value is present (not null, "", [] or {}): `email_verified_at` → `email_verified`.
        case present
        /// Epoch seconds or milliseconds, or `YYYY-MM-DD hh:mm:ss[.ffffff][±hh[:mm]]`, to RFC 3339.
        case rfc3339
        /// The text's UTF-8 bytes as upper-case unpadded base32 (a raw TOTP key such as Keycloak's).
        case base32
        /// A password hash: bcrypt is carried (as `type: "bcrypt"` + the hash, Django's `bcrypt$`
        /// prefix removed); any other scheme is left out with a `password.not_importable` warning.
        case password
        /// Lower-cased text.
        case lowercase
        /// A phone number typed for people (`+1 415 555 0142`, `(415) 555-0142`): spaces, dashes,
        /// dots and brackets removed.
        case phone
        /// A POSIX-style locale (`en_US`) as a BCP 47 tag (`en-US`).
        case bcp47
        /// A group path (Keycloak's `/engineering/backend`) as an Authgear group key
        /// (`engineering:backend`): the path's segments joined with `:`, each character a key
        /// cannot hold (keys are `[A-Za-z_][A-Za-z0-9:_]*`) as `_`. Applies to each list item.
        case groupKey = "group_key"
    }

    public let source: SourcePath
    /// Dotted target path in the import record; a trailing `*` takes a wildcard source's member names.
    public let field: String
    public let type: CSVValueType?
    public let transform: Transform?
    public let trueWords: [String]
    public let falseWords: [String]
    public let separator: String?
    public let stripPrefix: String?
    public let addPrefix: String?
    /// Source text → the value written; text not listed writes nothing.
    public let values: [String: JSONValue]?
    /// List items left out (a trailing `*` matches a prefix).
    public let drop: [String]
    /// `true` when the value is one of the items at this path (a list, or text split on `separator`).
    public let memberOf: SourcePath?
    /// The password scheme the source always uses, or where the record names it.
    public let scheme: String?
    public let schemeFrom: SourcePath?
    /// The rule applies only to records that pass this test (Okta: `profile.login` is a
    /// username only when it is not an e-mail address).
    public var when: MappingCondition? = nil
    /// For a wildcard source: the member names (suffixes) another rule of the mapping reads
    /// by name, left to that rule (`/customAttributes/roles` → roles, not also custom_attributes.roles).
    var claimed: Set<String> = []

    /// `field` split at its dots, once per mapping (`RecordMapping` fills it): splitting it for
    /// every record was the mapped sources' hot spot.
    var splitField: [String]? = nil

    var path: [String] { splitField ?? field.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }

    /// The values this rule writes, as (target path, value) pairs, plus a warning when it met a
    /// password it cannot carry.
    func apply(to record: JSONValue, notes: inout [Issue]) -> [([String], JSONValue)] {
        if let when, !when.holds(for: record) { return [] }
        if source.wildcardPrefix != nil {
            let base = Array(path.dropLast())
            return source.members(in: record).compactMap { suffix, value in
                claimed.contains(suffix) ? nil : convert(value, record: record, notes: &notes).map { (base + [suffix], $0) }
            }
        }
        guard let value = source.value(in: record) else {
            return []
        }
        if transform == .password {
            return password(value, record: record, notes: &notes)
        }
        return convert(value, record: record, notes: &notes).map { [(path, $0)] } ?? []
    }

    private func password(_ value: JSONValue, record: JSONValue, notes: inout [Issue]) -> [([String], JSONValue)] {
        guard let text = SourceText.scalar(value) else { return [] }
        let hasher = schemeFrom.flatMap { $0.value(in: record) }.flatMap(SourceText.scalar)
        switch PasswordScheme.classify(strip(text), hasher: hasher, fixed: scheme) {
        case .bcrypt(let hash):
            let object = Array(path.dropLast())
            return [(object + ["type"], .string("bcrypt")), (path, .string(hash))]
        case .notImportable(let name):
            notes.append(PasswordScheme.notImportableIssue(name, pointer: "/" + path.dropLast().joined(separator: "/")))
            return []
        case .none:
            return []
        }
    }

    private func strip(_ text: String) -> String {
        guard let stripPrefix, text.hasPrefix(stripPrefix) else { return text }
        return String(text.dropFirst(stripPrefix.count))
    }

    /// The converted value, or nil when nothing is written.
    func convert(_ value: JSONValue, record: JSONValue, notes: inout [Issue]) -> JSONValue? {
        if transform == .present { return SourceText.isPresent(value) ? .bool(true) : nil }
        if let memberOf {
            guard let item = SourceText.scalar(value).map(strip) else { return nil }
            let list: [String]
            switch memberOf.value(in: record).map(SourcePath.container) {
            case .array(let items)?: list = items.compactMap(SourceText.scalar).map(strip)
            case .string(let s)?: list = CSVColumn.split(strip(s), on: separator ?? ";").map { CSVColumn.trimmed($0) }
            default: list = []
            }
            return list.contains(where: { $0.caseInsensitiveCompare(item) == .orderedSame }) ? .bool(true) : nil
        }
        if let values {
            guard let key = SourceText.scalar(value).map(strip) else { return nil }
            return values[key]
        }
        switch value {
        case .string(let raw):
            var text = strip(raw)
            if text.isEmpty { return nil }
            if let addPrefix, !text.hasPrefix(addPrefix) { text = addPrefix + text }
            switch transform {
            case .rfc3339?: return TimestampText.rfc3339(text).map(JSONValue.string) ?? .string(text)
            case .base32?: return .string(Base32.encode(Array(text.utf8)))
            case .lowercase?: return .string(text.lowercased())
            case .phone?: return .string(String(text.unicodeScalars.filter { !" -.()\u{A0}".unicodeScalars.contains($0) }.map(Character.init)))
            case .bcp47?: return .string(text.replacingOccurrences(of: "_", with: "-"))
            case .groupKey? where type != .list: return .array([.string(GroupKey.of(path: text))])
            default: break
            }
            let column = CSVColumn(index: 0, header: source.description, field: field, type: type ?? .string, source: .mappingFile,
                                   trueWords: trueWords, falseWords: falseWords, separator: separator ?? ";")
            guard case .success(let converted) = column.value(of: text) else { return .string(text) }
            if case .array(let items) = converted { return dropped(items) }
            return converted
        case .number(let n):
            if transform == .rfc3339 { return TimestampText.rfc3339(n).map(JSONValue.string) ?? value }
            if type == .string { return .string(n) }
            return value
        case .bool(let b):
            if type == .string { return .string(b ? "true" : "false") }
            return value
        case .array(let items):
            if type == .list || type == nil { return dropped(items.map { item in SourceText.scalar(item).map { .string(strip($0)) } ?? item }) }
            return value
        case .object:
            return value
        case .null:
            return nil
        }
    }

    private func dropped(_ items: [JSONValue]) -> JSONValue? {
        var items = items
        if transform == .groupKey {
            items = items.compactMap { item in item.stringValue.map { GroupKey.of(path: $0) }.flatMap { $0.isEmpty ? nil : JSONValue.string($0) } ?? item }
        }
        let kept = items.filter { item in
            guard let text = item.stringValue else { return true }
            return !drop.contains { pattern in pattern.hasSuffix("*") ? text.hasPrefix(pattern.dropLast()) : text == pattern }
        }
        return kept.isEmpty ? nil : .array(kept)
    }
}

/// Source timestamps as RFC 3339.
enum TimestampText {
    static func rfc3339(_ text: String) -> String? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if !t.isEmpty, t.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let n = Double(t) {
            let seconds = t.utf8.count >= 12 ? n / 1000 : n
            let formatter = ISO8601DateFormatter()
            formatter.formatOptions = t.utf8.count >= 12 ? [.withInternetDateTime, .withFractionalSeconds] : [.withInternetDateTime]
            return formatter.string(from: Date(timeIntervalSince1970: seconds))
        }
        // `2024-01-15 10:30:00.000000+00`, `2024-01-01 00:00:00`, `2024-01-01T00:00:00Z`
        var s = t
        guard s.utf8.count >= 19 else { return nil }
        let dateEnd = s.index(s.startIndex, offsetBy: 10)
        if s[dateEnd] == " " { s.replaceSubrange(dateEnd...dateEnd, with: "T") }
        let timeEnd = s.index(s.startIndex, offsetBy: 19)
        var rest = String(s[timeEnd...])
        var fraction = ""
        if rest.hasPrefix(".") {
            let digits = rest.dropFirst().prefix(while: \.isNumber)
            fraction = "." + digits
            rest = String(rest.dropFirst(1 + digits.count))
        }
        var zone = rest.trimmingCharacters(in: .whitespaces)
        if zone.isEmpty || zone == "UTC" { zone = "Z" }
        else if zone.count == 3, zone.first == "+" || zone.first == "-" { zone += ":00" }
        else if zone.count == 5, !zone.contains(":") { zone.insert(":", at: zone.index(zone.startIndex, offsetBy: 3)) }
        let out = String(s[..<timeEnd]) + fraction + zone
        return RFC3339.instant(out) != nil ? out : nil
    }
}

/// RFC 4648 base32, upper case, no padding (what `mfa.totp.secret` takes).
enum Base32 {
    static func encode(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for b in bytes {
            buffer = (buffer << 8) | Int(b)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Authgear role and group keys: `[A-Za-z_][A-Za-z0-9:_]*` (authgear-server `pkg/lib/rolesgroups/key.go`).
enum GroupKey {
    /// `/engineering/backend team` → `engineering:backend_team`; `""` for a path of no segments.
    static func of(path: String) -> String {
        let segments = path.split(separator: "/").map { segment in
            String(segment.unicodeScalars.map { s -> Character in
                s.isASCII && (s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_") ? Character(s) : "_"
            })
        }
        var key = segments.joined(separator: ":")
        if let first = key.unicodeScalars.first, ("0"..."9").contains(first) { key = "_" + key }
        return key
    }
}
