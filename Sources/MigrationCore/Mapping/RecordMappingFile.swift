/// Reads the extended mapping format: the CSV mapping format's entries, keyed by a JSON pointer
/// into the source record instead of a CSV header, inside a small document:
///
/// ```json
/// {"format": "auth0", "key": "/user_id",
///  "map": {"/email": "email",
///          "/blocked": {"field": "disabled", "values": {"true": true}},
///          "/phone": {"field": "phone_number", "add_prefix": "+"},
///          "/user_metadata/*": "custom_attributes.*",
///          "/first_name": ["given_name", "name"]},
///  "not_imported": {"/identities/[isSocial=true]": "OAuth/social identities"}}
/// ```
///
/// A document without a `"map"` object is the plain CSV form (keys are headers).
public enum RecordMappingFile {
    static let documentKeys = ["format", "key", "columns", "flatten", "only", "skip", "map", "not_imported"]
    static let entryKeys = ["field", "type", "true", "false", "separator", "skip", "transform", "strip_prefix", "add_prefix",
                            "values", "drop", "member_of", "scheme", "scheme_from", "when"]

    /// Whether `document` is the extended form (has a `"map"` object).
    public static func isExtended(_ document: JSONValue) -> Bool {
        guard case .object(let members)? = document["map"] else { return false }
        return !members.contains { $0.key == "field" || $0.key == "skip" }
    }

    static func parse(_ document: JSONValue) throws(CSVMappingError) -> RecordMapping {
        func fail(_ key: String?, _ message: String) -> CSVMappingError {
            CSVMappingError(key: key, message: "mapping file" + (key.map { ", \"\($0)\"" } ?? "") + ": " + message)
        }
        guard case .object(let top) = document, case .object(let map)? = document["map"] else {
            throw fail(nil, "expected {\"map\": {\"/source/pointer\": \"field\", …}} (keys: \(documentKeys.joined(separator: ", ")))")
        }
        for m in top where !documentKeys.contains(m.key) {
            throw fail(m.key, "unknown key (allowed: \(documentKeys.joined(separator: ", ")))")
        }
        func path(_ text: String, _ key: String) throws(CSVMappingError) -> SourcePath {
            guard let p = SourcePath(text) else { throw fail(key, "\"\(text)\" is not a JSON pointer into the source record (it must start with /)") }
            return p
        }
        let format = document["format"]?.stringValue
        let key: SourcePath?
        if let text = document["key"]?.stringValue { key = try path(text, "key") } else { key = nil }
        var columns: [String]?
        if let list = document["columns"] {
            guard case .array(let items) = list, !items.isEmpty, items.allSatisfy({ $0.stringValue != nil }) else {
                throw fail("columns", "must be a non-empty array of column names (for a CSV without a header row)")
            }
            columns = items.compactMap(\.stringValue)
        }
        var flatten: [(path: SourcePath, name: String, value: String)] = []
        if case .object(let items)? = document["flatten"] {
            for item in items {
                guard let name = item.value["name"]?.stringValue, let value = item.value["value"]?.stringValue else {
                    throw fail("flatten", "\"\(item.key)\" must be {\"name\": \"…\", \"value\": \"…\"}")
                }
                flatten.append((try path(item.key, "flatten"), name, value))
            }
        }
        var only: MappingCondition?
        if let value = document["only"] {
            only = try MappingCondition.parse(value) { fail("only", $0) }
        }
        // `"skip": {"reason": condition, …}`: rows the import leaves out, said with the reason.
        var skip: [(reason: String, when: MappingCondition)] = []
        if let value = document["skip"] {
            guard case .object(let items) = value else {
                throw fail("skip", "must be an object: the reason reports give → the condition, e.g. {\"deleted (deleted_at set)\": {\"present\": \"/deleted_at\"}}")
            }
            for item in items {
                skip.append((item.key, try MappingCondition.parse(item.value) { fail("skip", "\"\(item.key)\": " + $0) }))
            }
        }
        var rules: [MappingRule] = []
        for member in map {
            let source = try path(member.key, member.key)
            let entries: [JSONValue]
            if case .array(let list) = member.value { entries = list } else { entries = [member.value] }
            for entry in entries {
                if let rule = try self.rule(source, entry, key: member.key, fail) { rules.append(rule) }
            }
        }
        var notImported: [(path: SourcePath, what: String, when: MappingCondition?)] = []
        if case .object(let items)? = document["not_imported"] {
            for item in items {
                // "label", or {"what": "label", "when": condition}
                let what = item.value.stringValue ?? item.value["what"]?.stringValue
                guard let what else {
                    throw fail("not_imported", "\"\(item.key)\" must name what is not imported (a text, or {\"what\": text, \"when\": condition})")
                }
                var when: MappingCondition?
                if let condition = item.value["when"] { when = try MappingCondition.parse(condition) { fail("not_imported", "\"\(item.key)\": " + $0) } }
                notImported.append((try path(item.key, "not_imported"), what, when))
            }
        }
        return RecordMapping(format: format, key: key, columns: columns, flatten: flatten, only: only, skip: skip, rules: rules,
                             notImported: notImported, document: document)
    }

    private static func rule(_ source: SourcePath, _ entry: JSONValue, key: String,
                             _ fail: (String?, String) -> CSVMappingError) throws(CSVMappingError) -> MappingRule? {
        func field(_ text: String) throws(CSVMappingError) -> String {
            var parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            if parts.last == "*" {
                guard source.wildcardPrefix != nil else { throw fail(key, "\"\(text)\" ends in * but the source pointer has no wildcard") }
                parts[parts.count - 1] = "x"
            }
            if parts == ["password_hash"] { parts = ["password", "password_hash"] }
            guard CSVRecordFields.isKnown(parts) else {
                throw fail(key, "\"\(text)\" is not a record field (allowed: \(CSVRecordFields.allowedDescription))")
            }
            return text == "password_hash" ? "password.password_hash" : text
        }
        switch entry {
        case .string(let text):
            return MappingRule(source: source, field: try field(text), type: nil, transform: nil, trueWords: [], falseWords: [],
                               separator: nil, stripPrefix: nil, addPrefix: nil, values: nil, drop: [], memberOf: nil,
                               scheme: nil, schemeFrom: nil)
        case .object(let options):
            for o in options where !entryKeys.contains(o.key) {
                throw fail(key, "unknown option \"\(o.key)\" (allowed: \(entryKeys.joined(separator: ", ")))")
            }
            if entry["skip"]?.boolValue == true { return nil }
            guard let target = entry["field"]?.stringValue else { throw fail(key, "\"field\" is missing (or \"skip\": true)") }
            var type: CSVValueType?
            if let t = entry["type"] {
                guard let name = t.stringValue, let parsed = CSVValueType(rawValue: name) else {
                    throw fail(key, "\"type\" must be one of \(CSVMappingFile.allowedTypes)")
                }
                type = parsed
            }
            var transform: MappingRule.Transform?
            if let t = entry["transform"] {
                guard let name = t.stringValue, let parsed = MappingRule.Transform(rawValue: name) else {
                    throw fail(key, "\"transform\" must be one of \(MappingRule.Transform.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                transform = parsed
            }
            func words(_ name: String) throws(CSVMappingError) -> [String] {
                guard let v = entry[name] else { return [] }
                guard case .array(let items) = v, items.allSatisfy({ $0.stringValue != nil }) else { throw fail(key, "\"\(name)\" must be an array of strings") }
                return items.compactMap(\.stringValue)
            }
            var values: [String: JSONValue]?
            if let v = entry["values"] {
                guard case .object(let items) = v else { throw fail(key, "\"values\" must be an object: source text → value") }
                values = Dictionary(items.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
            }
            func pointer(_ name: String) throws(CSVMappingError) -> SourcePath? {
                guard let text = entry[name]?.stringValue else { return nil }
                guard let p = SourcePath(text) else { throw fail(key, "\"\(name)\" must be a JSON pointer") }
                return p
            }
            var when: MappingCondition?
            if let condition = entry["when"] { when = try MappingCondition.parse(condition) { fail(key, "\"when\": " + $0) } }
            let resolved = try field(target)
            if transform == .password, !(resolved.hasSuffix("password_hash")) {
                throw fail(key, "\"transform\": \"password\" needs a password_hash field")
            }
            return MappingRule(source: source, field: resolved, type: type, transform: transform,
                               trueWords: try words("true"), falseWords: try words("false"),
                               separator: entry["separator"]?.stringValue, stripPrefix: entry["strip_prefix"]?.stringValue,
                               addPrefix: entry["add_prefix"]?.stringValue, values: values, drop: try words("drop"),
                               memberOf: try pointer("member_of"), scheme: entry["scheme"]?.stringValue, schemeFrom: try pointer("scheme_from"),
                               when: when)
        default:
            throw fail(key, "expected a field path or an object with \(entryKeys.joined(separator: ", "))")
        }
    }
}
