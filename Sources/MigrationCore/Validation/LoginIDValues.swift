import Foundation

/// Which login ID a duplicate group shares: the run's identifier, or another login-ID type.
enum DuplicateKind: UInt8, Sendable, CaseIterable {
    case identifier = 0, email, phone, username

    init(_ type: LoginIDType) {
        switch type {
        case .email: self = .email
        case .phone: self = .phone
        case .username: self = .username
        }
    }

    var loginIDType: LoginIDType? {
        switch self {
        case .identifier: return nil
        case .email: return .email
        case .phone: return .phone
        case .username: return .username
        }
    }

    /// The fingerprint kind `LoginIDKeys` hashes it under (`id`, or the login-ID type).
    var fingerprintKind: String { loginIDType?.rawValue ?? "id" }
}

/// The unique key behind one fingerprint of one record, found cheaply: the record's login-ID
/// fields are read straight from its bytes (a JSON source; a CSV row or an edit through the
/// record it maps to), and a raw value whose fingerprint is the one wanted is the key itself
/// (the server's normal form, as `RecordFastPath` fingerprints it). Otherwise the value is
/// normalised by the login-ID rules, and only when that does not give the fingerprint either is
/// the record validated in full. So confirming millions of group members costs about one scan
/// of each member's bytes, not a full validation.
struct LoginIDValues {
    let pass: ValidationPass
    private let fields: [(name: String, bytes: [UInt8], type: LoginIDType, kind: DuplicateKind, seed: UInt64)]

    init(pass: ValidationPass) {
        self.pass = pass
        let identifier = pass.settings.identifier.loginIDType
        fields = LoginIDType.allCases.map { type in
            let kind: DuplicateKind = type == identifier ? .identifier : DuplicateKind(type)
            return (type.recordField, Array(type.recordField.utf8), type, kind, LoginIDKeys.seed(kind.fingerprintKind))
        }
    }

    /// The kind and unique key of record `n`'s login ID whose fingerprint is `h`, or nil when
    /// none of its login IDs has that fingerprint.
    func key(_ n: Int, fingerprint h: UInt64) -> (kind: DuplicateKind, key: String)? {
        var raws: [String?] = [nil, nil, nil]
        switch pass.edits[n] {
        case .excluded?: return nil
        case .replaced(let value)?: raws = fields.map { value[$0.name]?.stringValue }
        case nil:
            let span = pass.index.span(n)
            if pass.index.csv == nil, let found = Self.scan(pass.index.rawBytes(span), fields.map(\.bytes)) {
                raws = found
            } else if case .success(let value) = pass.index.loadRecord(span: span) {
                raws = fields.map { value[$0.name]?.stringValue }
            }
        }
        // A value already in the server's form is its own key (the common case: try them all first).
        for (i, f) in fields.enumerated() {
            guard var raw = raws[i] else { continue }
            let direct = raw.withUTF8 { LoginIDKeys.hash(seed: f.seed, bytes: UnsafeRawBufferPointer($0), 0..<$0.count) }
            if direct == h { return (f.kind, raw) }
        }
        for (i, f) in fields.enumerated() {
            guard let raw = raws[i] else { continue }
            if case .success(let login) = LoginIDRules.normalizeWithUniqueKey(raw, type: f.type, project: pass.settings.project, formatChecked: true),
               LoginIDKeys.hash(f.kind.fingerprintKind, login.uniqueKey) == h {
                return (f.kind, login.uniqueKey)
            }
        }
        // The full validator's keys (a value the cheap reading did not give).
        let v = pass.verdict(n)
        if let id = v.identifierKey, LoginIDKeys.hash("id", id) == h { return (.identifier, id) }
        for (type, value) in v.otherLoginIDs where LoginIDKeys.hash(type.rawValue, value) == h { return (DuplicateKind(type), value) }
        return nil
    }

    /// The string values of the given top-level fields of a JSON object (the last of repeated
    /// keys, as the validator takes them), or nil when the bytes are not a plain object this
    /// reader follows (escapes in a key or a login-ID value): the caller then parses the record.
    static func scan(_ bytes: UnsafeRawBufferPointer, _ names: [[UInt8]]) -> [String?]? {
        var r = FastPathReader(bytes: bytes)
        var out = [String?](repeating: nil, count: names.count)
        r.skipWhitespace()
        guard r.consume(UInt8(ascii: "{")) else { return nil }
        r.skipWhitespace()
        if r.consume(UInt8(ascii: "}")) { return out }
        while true {
            guard let key = r.plainString(), r.colon() else { return nil }
            let wanted = names.firstIndex { name in
                name.count == key.count && name.withUnsafeBytes { memcmp(bytes.baseAddress! + key.lowerBound, $0.baseAddress!, key.count) == 0 }
            }
            if let wanted {
                if r.pos < bytes.count, bytes[r.pos] == UInt8(ascii: "\"") {
                    guard let value = r.plainString() else { return nil }
                    out[wanted] = r.string(value)
                } else {
                    guard skipValue(&r) else { return nil }
                    out[wanted] = nil
                }
            } else {
                guard skipValue(&r) else { return nil }
            }
            guard let more = r.next(close: UInt8(ascii: "}")) else { return nil }
            if !more { return out }
        }
    }

    /// Steps over one JSON value of a record already known to parse.
    private static func skipValue(_ r: inout FastPathReader) -> Bool {
        let bytes = r.bytes
        var depth = 0
        while r.pos < bytes.count {
            let b = bytes[r.pos]
            switch b {
            case UInt8(ascii: "\""):
                // Most strings are plain (read eight bytes at a time); one with escapes byte by byte.
                let start = r.pos
                if r.plainString() == nil {
                    r.pos = start + 1
                    while r.pos < bytes.count, bytes[r.pos] != UInt8(ascii: "\"") {
                        r.pos += bytes[r.pos] == UInt8(ascii: "\\") ? 2 : 1
                    }
                    guard r.pos < bytes.count else { return false }
                    r.pos += 1
                }
                if depth == 0 { return true }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                r.pos += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if depth == 0 { return true }   // the end of the record's object: the caller's `next` reads it
                depth -= 1
                r.pos += 1
                if depth == 0 { return true }
            case UInt8(ascii: ","):
                if depth == 0 { return true }
                r.pos += 1
            case 0x20, 0x0A, 0x0D, 0x09:
                if depth == 0 { return true }
                r.pos += 1
            default:
                r.pos += 1
            }
        }
        return false
    }
}
