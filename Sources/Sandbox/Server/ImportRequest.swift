import MigrationCore

/// A validated `POST /_api/admin/users/import` body (spec §4.1).
struct ImportRequest: Sendable {
    static let bodyMaxSize = 500_000
    static let identifiers = ["preferred_username", "email", "phone_number"]

    var identifier: String
    var upsert: Bool
    var records: [JSONValue]

    /// Checks 4–7 of spec §3.1 after the content type passed check 3: JSON content type,
    /// then JSON syntax, then the request schema. `body` is at most `bodyMaxSize` bytes.
    static func parse(body: [UInt8]) -> Result<ImportRequest, APIError> {
        let value: JSONValue, trailing: APIError?
        switch GoJSONBody.decode(body) {
        case .failure(let error): return .failure(error)
        case .success(let decoded): (value, trailing) = decoded
        }
        let causes = schemaCauses(value)
        if !causes.isEmpty { return .failure(.validationFailed("invalid request body", causes: causes)) }
        if let trailing { return .failure(trailing) }
        return .success(ImportRequest(identifier: value["identifier"]?.stringValue ?? "",
                                      upsert: value["upsert"]?.boolValue ?? false,
                                      records: value["records"]?.arrayValue ?? []))
    }

    /// The `RequestSchema` failures as `{location, kind, details}` causes sorted by location.
    static func schemaCauses(_ value: JSONValue) -> [JSONValue] {
        var causes: [(String, JSONValue)] = []
        func cause(_ location: String, _ kind: String, _ details: JSONValue?) {
            var members = [JSONMember("location", .string(location)), JSONMember("kind", .string(kind))]
            if let details { members.append(JSONMember("details", details)) }
            causes.append((location, .object(members)))
        }
        func typeCause(_ location: String, _ actual: JSONValue, _ expected: String) {
            cause(location, "type", .obj(["actual": .array(actual.typeNames.map(JSONValue.string)),
                                          "expected": .array([.string(expected)])]))
        }
        guard case .object(let members) = value else {
            typeCause("", value, "object")
            return causes.map(\.1)
        }
        let known: Set<String> = ["upsert", "identifier", "records"]
        var present: [String] = []
        var seen: Set<String> = []
        for member in members where seen.insert(member.key).inserted { present.append(member.key) }
        let missing = ["identifier", "records"].filter { !seen.contains($0) }
        if !missing.isEmpty {
            let actual: JSONValue = present.isEmpty ? .null : .array(present.sorted(by: GoOrder.less).map(JSONValue.string))
            cause("", "required", .obj(["actual": actual, "expected": .array([.string("identifier"), .string("records")]),
                                        "missing": .array(missing.map(JSONValue.string))]))
        }
        for key in present where !known.contains(key) { cause("/" + escapePointer(key), "", nil) }
        if let upsert = value["upsert"], upsert.boolValue == nil { typeCause("/upsert", upsert, "boolean") }
        if let identifier = value["identifier"] {
            if identifier.stringValue == nil { typeCause("/identifier", identifier, "string") }
            if !identifiers.contains(where: { identifier == .string($0) }) {
                cause("/identifier", "enum", .obj(["actual": identifier, "expected": .array(identifiers.map(JSONValue.string))]))
            }
        }
        if let records = value["records"] {
            if case .array(let items) = records {
                if items.isEmpty { cause("/records", "minItems", .obj(["actual": .number("0"), "expected": .number("1")])) }
                for (i, item) in items.enumerated() {
                    if case .object = item { continue }
                    typeCause("/records/\(i)", item, "object")
                }
            } else {
                typeCause("/records", records, "array")
            }
        }
        return causes.enumerated().sorted { a, b in
            a.element.0 == b.element.0 ? a.offset < b.offset : GoOrder.less(a.element.0, b.element.0)
        }.map(\.element.1)
    }

    private static func escapePointer(_ key: String) -> String {
        key.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}

/// Go's string ordering: byte-wise.
enum GoOrder {
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}

/// Go's decoder accepts invalid UTF-8 and lone surrogate escapes (replacing them by U+FFFD);
/// the strict MigrationCore parser refuses them, so such bodies are rewritten first.
enum GoLeniency {
    static func sanitized(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + 16)
        var i = 0
        var inString = false
        let n = bytes.count
        while i < n {
            let c = bytes[i]
            if !inString {
                if c == UInt8(ascii: "\"") { inString = true }
                out.append(c); i += 1; continue
            }
            if c == UInt8(ascii: "\"") { inString = false; out.append(c); i += 1; continue }
            if c == UInt8(ascii: "\\"), i + 1 < n {
                if bytes[i + 1] == UInt8(ascii: "u"), i + 6 <= n, let unit = hex4(bytes, i + 2) {
                    if (0xD800...0xDBFF).contains(unit), i + 12 <= n, bytes[i + 6] == UInt8(ascii: "\\"),
                       bytes[i + 7] == UInt8(ascii: "u"), let low = hex4(bytes, i + 8), (0xDC00...0xDFFF).contains(low) {
                        out.append(contentsOf: bytes[i..<(i + 12)]); i += 12; continue
                    }
                    if (0xD800...0xDFFF).contains(unit) { out.append(contentsOf: Array("\\uFFFD".utf8)); i += 6; continue }
                }
                out.append(c); out.append(bytes[i + 1]); i += 2; continue
            }
            if c < 0x80 { out.append(c); i += 1; continue }
            let length = validUTF8Length(bytes, i)
            if length == 0 { out.append(contentsOf: [0xEF, 0xBF, 0xBD]); i += 1 } else {
                out.append(contentsOf: bytes[i..<(i + length)]); i += length
            }
        }
        return out
    }

    private static func hex4(_ b: UnsafeRawBufferPointer, _ at: Int) -> UInt32? {
        guard at + 4 <= b.count else { return nil }
        var v: UInt32 = 0
        for k in 0..<4 {
            guard let d = UInt32(String(UnicodeScalar(b[at + k])), radix: 16) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    /// Length of a valid UTF-8 sequence at `i`, or 0 (Go then decodes one byte as U+FFFD).
    private static func validUTF8Length(_ b: UnsafeRawBufferPointer, _ i: Int) -> Int {
        UTF8Bytes.sequenceLength(b, at: i, end: b.count)
    }
}
