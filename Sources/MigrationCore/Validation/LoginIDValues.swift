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
    /// The fields' names as `ranges` reads them (made once, not per record).
    private let names: [(name: String, bytes: [UInt8])]

    init(pass: ValidationPass) {
        self.pass = pass
        let identifier = pass.settings.identifier.loginIDType
        fields = LoginIDType.allCases.map { type in
            let kind: DuplicateKind = type == identifier ? .identifier : DuplicateKind(type)
            return (type.recordField, Array(type.recordField.utf8), type, kind, LoginIDKeys.seed(kind.fingerprintKind))
        }
        names = fields.map { (name: $0.name, bytes: $0.bytes) }
    }

    /// The kind and unique key of record `n`'s login ID whose fingerprint is `h`, or nil when
    /// none of its login IDs has that fingerprint. `span`: the record's span, when the caller
    /// has it (one lock of the index per chunk of members instead of one per member).
    func key(_ n: Int, fingerprint h: UInt64, span known: RecordSpan? = nil) -> (kind: DuplicateKind, key: String)? {
        let raws: [String?]
        switch pass.edits[n] {
        case .excluded?: return nil
        case .replaced(let value)?: raws = fields.map { value[$0.name]?.stringValue }
        case nil:
            let span = known ?? pass.index.span(n)
            if pass.index.csv == nil {
                let bytes = pass.index.rawBytes(span)
                if let found = Self.ranges(bytes, names) {
                    // A value already in the server's form is its own key (the common case): its
                    // bytes are hashed where they lie, and only the one that matches becomes a String.
                    for i in fields.indices {
                        guard let range = found[i] else { continue }
                        if LoginIDKeys.hash(seed: fields[i].seed, bytes: bytes, range) == h {
                            return (fields[i].kind, String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self))
                        }
                    }
                    return normalised(n, fields.indices.map { i in found[i].map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) } },
                                      fingerprint: h)
                }
            }
            if case .success(let value) = pass.index.loadRecord(span: span) {
                raws = fields.map { value[$0.name]?.stringValue }
            } else {
                raws = [String?](repeating: nil, count: fields.count)
            }
        }
        // A value already in the server's form is its own key (the common case: try them all first).
        for (i, f) in fields.enumerated() {
            guard var raw = raws[i] else { continue }
            let direct = raw.withUTF8 { LoginIDKeys.hash(seed: f.seed, bytes: UnsafeRawBufferPointer($0), 0..<$0.count) }
            if direct == h { return (f.kind, raw) }
        }
        return normalised(n, raws, fingerprint: h)
    }

    /// The key when no raw value is its own key: each value normalised by the login-ID rules,
    /// and when that does not give the fingerprint either, the full validator's keys.
    private func normalised(_ n: Int, _ raws: [String?], fingerprint h: UInt64) -> (kind: DuplicateKind, key: String)? {
        for (i, f) in fields.enumerated() {
            guard let raw = raws[i] else { continue }
            if case .success(let login) = LoginIDRules.normalizeWithUniqueKey(raw, type: f.type, project: pass.settings.project, formatChecked: true),
               LoginIDKeys.hash(f.kind.fingerprintKind, login.uniqueKey) == h {
                return (f.kind, login.uniqueKey)
            }
        }
        let v = pass.verdict(n)
        if let id = v.identifierKey, LoginIDKeys.hash("id", id) == h { return (.identifier, id) }
        for (type, value) in v.otherLoginIDs where LoginIDKeys.hash(type.rawValue, value) == h { return (DuplicateKind(type), value) }
        return nil
    }

    /// The string values of the given top-level fields of a JSON object (the last of repeated
    /// keys, as the validator takes them), or nil when the bytes are not a plain object this
    /// reader follows (escapes in a key or a login-ID value): the caller then parses the record.
    static func scan(_ bytes: UnsafeRawBufferPointer, _ names: [[UInt8]]) -> [String?]? {
        guard names.count <= 3 else { return nil }
        let padded = names + [[UInt8]](repeating: [], count: 3 - names.count)
        guard let found = ranges(bytes, padded.map { (name: "", bytes: $0) }) else { return nil }
        return (0..<names.count).map { i in found[i].map { String(decoding: UnsafeRawBufferPointer(rebasing: bytes[$0]), as: UTF8.self) } }
    }

    /// Where the values of up to three top-level string fields are (content ranges, no quotes).
    struct Found {
        var values: (Range<Int>?, Range<Int>?, Range<Int>?) = (nil, nil, nil)
        subscript(i: Int) -> Range<Int>? {
            get { i == 0 ? values.0 : (i == 1 ? values.1 : values.2) }
            set { if i == 0 { values.0 = newValue } else if i == 1 { values.1 = newValue } else { values.2 = newValue } }
        }
    }

    /// `scan` without building strings: the ranges of the values of the fields `names` (at most
    /// three; an empty name matches no key), or nil when the reader cannot follow the record.
    static func ranges(_ bytes: UnsafeRawBufferPointer, _ names: [(name: String, bytes: [UInt8])]) -> Found? {
        var r = FastPathReader(bytes: bytes)
        var out = Found()
        r.skipWhitespace()
        guard r.consume(UInt8(ascii: "{")) else { return nil }
        r.skipWhitespace()
        if r.consume(UInt8(ascii: "}")) { return out }
        while true {
            guard let key = r.plainString(), r.colon() else { return nil }
            var wanted: Int?
            for (i, name) in names.enumerated() where name.bytes.count == key.count && !name.bytes.isEmpty {
                if name.bytes.withUnsafeBytes({ memcmp(bytes.baseAddress! + key.lowerBound, $0.baseAddress!, key.count) == 0 }) { wanted = i; break }
            }
            if let wanted {
                if r.pos < bytes.count, bytes[r.pos] == UInt8(ascii: "\"") {
                    guard let value = r.plainString() else { return nil }
                    out[wanted] = value
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
