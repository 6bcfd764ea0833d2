import MigrationCore

/// A validated `POST /_api/admin/users/export` body (spec §3.1–§3.2).
struct ExportRequest: Sendable, Equatable {
    enum Format: String, Sendable { case ndjson, csv }

    struct Field: Sendable, Equatable {
        var pointer: String
        var fieldName: String?
        /// `field_name`, else the pointer's unescaped tokens joined by `.`.
        var resolvedName: String { fieldName ?? ExportRequest.headerName(pointer) }
    }

    var format: Format
    /// Whether the body had a `csv` object (echoed as `"csv":{}` even when empty).
    var hasCSV: Bool
    /// `csv.fields` when given (nil = the default columns).
    var fields: [Field]?

    /// The request as the server echoes it (`omitempty` re-serialisation of the Go struct).
    var json: JSONValue {
        var members = [JSONMember("format", .string(format.rawValue))]
        if hasCSV {
            var csv: [JSONMember] = []
            if let fields {
                csv.append(JSONMember("fields", .array(fields.map { f in
                    var m: [JSONMember] = []
                    if !f.pointer.isEmpty { m.append(JSONMember("pointer", .string(f.pointer))) }
                    if let name = f.fieldName { m.append(JSONMember("field_name", .string(name))) }
                    return .object(m)
                })))
            }
            members.append(JSONMember("csv", .object(csv)))
        }
        return .object(members)
    }

    /// Rows 7–9 of §2.1 after the body was read: JSON, schema, unique CSV field names.
    static func parse(body: [UInt8]) -> Result<ExportRequest, APIError> {
        let value: JSONValue
        switch GoJSONBody.decode(body) {
        case .failure(let error): return .failure(error)
        case .success(let decoded):
            let causes = schemaCauses(decoded.value)
            if !causes.isEmpty { return .failure(.validationFailed("invalid request body", causes: causes)) }
            if let trailing = decoded.trailing { return .failure(trailing) }
            value = decoded.value
        }
        let csv = value["csv"]
        let fields = csv?["fields"]?.arrayValue.map { items in
            items.map { Field(pointer: $0["pointer"]?.stringValue ?? "", fieldName: $0["field_name"]?.stringValue) }
        }
        let request = ExportRequest(format: Format(rawValue: value["format"]?.stringValue ?? "")!, hasCSV: csv != nil, fields: fields)
        if let fields {
            let names = fields.map(\.resolvedName)
            if Set(names).count != names.count {
                return .failure(APIError(name: "Invalid", reason: "UserExportNonUniqueFieldNames", message: "field names are not unique", code: 400,
                                         info: .obj(["field_names": .array(names.map(JSONValue.string))])))
            }
        }
        return .success(request)
    }

    /// The schema's failures as causes, sorted by location (import spec §8 shapes).
    static func schemaCauses(_ value: JSONValue) -> [JSONValue] {
        var causes: [(String, JSONValue)] = []
        func cause(_ location: String, _ kind: String, _ details: JSONValue?) {
            var members = [JSONMember("location", .string(location)), JSONMember("kind", .string(kind))]
            if let details { members.append(JSONMember("details", details)) }
            causes.append((location, .object(members)))
        }
        func type(_ location: String, _ actual: JSONValue, _ expected: String) -> Bool {
            let ok: Bool
            switch (expected, actual) {
            case ("object", .object), ("array", .array), ("string", .string): ok = true
            default: ok = false
            }
            if !ok {
                cause(location, "type", .obj(["actual": .array(actual.typeNames.map(JSONValue.string)), "expected": .array([.string(expected)])]))
            }
            return ok
        }
        func required(_ location: String, _ object: [JSONMember], _ names: [String]) {
            let present = Set(object.map(\.key))
            let missing = names.filter { !present.contains($0) }
            guard !missing.isEmpty else { return }
            let actual: JSONValue = present.isEmpty ? .null : .array(present.sorted(by: GoOrder.less).map(JSONValue.string))
            cause(location, "required", .obj(["actual": actual, "expected": .array(names.map(JSONValue.string)),
                                              "missing": .array(missing.map(JSONValue.string))]))
        }
        guard type("", value, "object"), case .object(let root) = value else { return causes.map(\.1) }
        required("", root, ["format"])
        for member in root where member.key != "format" && member.key != "csv" { cause("/" + member.key, "", nil) }
        if let format = value["format"], type("/format", format, "string"), !["ndjson", "csv"].contains(format.stringValue!) {
            cause("/format", "enum", .obj(["actual": format, "expected": .array([.string("ndjson"), .string("csv")])]))
        }
        if let csv = value["csv"], type("/csv", csv, "object"), let fields = csv["fields"], type("/csv/fields", fields, "array") {
            let items = fields.arrayValue!
            if items.isEmpty { cause("/csv/fields", "minItems", .obj(["actual": .number("0"), "expected": .number("1")])) }
            for (i, item) in items.enumerated() {
                let at = "/csv/fields/\(i)"
                guard type(at, item, "object"), case .object(let members) = item else { continue }
                required(at, members, ["pointer"])
                if let p = item["pointer"], type(at + "/pointer", p, "string"), let error = pointerError(p.stringValue!) {
                    cause(at + "/pointer", "format", .obj(["error": .string(error), "format": .string("json-pointer")]))
                }
                if let n = item["field_name"], type(at + "/field_name", n, "string"), n.stringValue!.isEmpty {
                    cause(at + "/field_name", "minLength", .obj(["actual": .number("0"), "expected": .number("1")]))
                }
            }
        }
        return causes.enumerated().sorted { a, b in
            a.element.0 == b.element.0 ? a.offset < b.offset : GoOrder.less(a.element.0, b.element.0)
        }.map(\.element.1)
    }

    /// `jsonpointer.ParseStringRepresentation`'s error: empty or `/`-led, `~` only before `0`/`1`.
    static func pointerError(_ s: String) -> String? {
        let scalars = Array(s.unicodeScalars)
        if scalars.isEmpty { return nil }
        if scalars[0] != "/" { return "0: expecting / but found: \"\(scalars[0])\"" }
        var i = 0
        while i < scalars.count {
            if scalars[i] == "~" {
                guard i + 1 < scalars.count else { return "\(i + 1): expecting 0 or 1 but found: EOF" }
                guard scalars[i + 1] == "0" || scalars[i + 1] == "1" else { return "\(i + 1): expecting 0 or 1 but found: \"\(scalars[i + 1])\"" }
            }
            i += 1
        }
        return nil
    }

    /// The reference tokens of a valid pointer, unescaped (`""` → none, `/` → one empty token).
    static func tokens(_ s: String) -> [String] {
        guard !s.isEmpty else { return [] }
        return s.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~") }
    }

    static func pointer(_ s: String) -> JSONPointer { JSONPointer(tokens: tokens(s)) }

    /// The CSV header of a pointer: its tokens joined by `.`.
    static func headerName(_ s: String) -> String { tokens(s).joined(separator: ".") }

    static func escapeToken(_ s: String) -> String {
        s.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }
}
