/// A test on a source record, written as data in a mapping document: which records are records
/// at all (`only`), which rows are skipped (`skip`), when an entry applies (`when`) and when a
/// `not_imported` entry counts. One of:
///
/// ```json
/// {"present": "/deleted_at"}                       the value is there: not null, "", [] or {}
/// {"absent": "/deleted_at"}                        missing, null, "", [] or {}
/// {"equals": {"/is_anonymous": true}}              the value's text is that ("true" matches true)
/// {"equals": {"/status": ["SUSPENDED", "LOCKED_OUT"]}}   … one of these
/// {"contains": {"/profile/login": "@"}}            the value's text contains that text
/// {"not": {…}}   {"any": [{…}, …]}   {"all": [{…}, …]}
/// {"/model": "auth.user"}                          shorthand of "equals" (pointer keys only)
/// ```
///
/// Several pointers in one `equals` / `contains` object must all hold. Pointers are
/// `SourcePath`s: `[key=value]` selectors and JSON inside strings work as in `"map"`.
public indirect enum MappingCondition: Sendable, Equatable {
    case present(SourcePath)
    case absent(SourcePath)
    /// The value's scalar text is one of these.
    case equals(SourcePath, [String])
    case contains(SourcePath, String)
    case not(MappingCondition)
    case any([MappingCondition])
    case all([MappingCondition])

    static let operators = ["present", "absent", "equals", "contains", "not", "any", "all"]

    /// Whether `record` (a source record, after `flatten`) passes the test.
    public func holds(for record: JSONValue) -> Bool {
        switch self {
        case .present(let path): return SourceText.isPresent(path.value(in: record))
        case .absent(let path): return !SourceText.isPresent(path.value(in: record))
        case .equals(let path, let texts):
            guard let text = path.value(in: record).flatMap(SourceText.scalar) else { return false }
            return texts.contains(text)
        case .contains(let path, let part):
            guard let text = path.value(in: record).flatMap(SourceText.scalar) else { return false }
            return text.contains(part)
        case .not(let inner): return !inner.holds(for: record)
        case .any(let list): return list.contains { $0.holds(for: record) }
        case .all(let list): return list.allSatisfy { $0.holds(for: record) }
        }
    }

    /// Parses a condition; `fail(message)` makes the error, naming where it is in the mapping.
    static func parse(_ value: JSONValue, _ fail: (String) -> CSVMappingError) throws(CSVMappingError) -> MappingCondition {
        let shape = "a condition is {\"present\": \"/pointer\"}, {\"absent\": …}, {\"equals\": {\"/pointer\": value or [values]}}, "
            + "{\"contains\": {\"/pointer\": \"text\"}}, {\"not\": condition}, {\"any\": [conditions]} or {\"all\": [conditions]}"
        guard case .object(let members) = value, !members.isEmpty else { throw fail(shape) }
        func path(_ text: String) throws(CSVMappingError) -> SourcePath {
            guard let p = SourcePath(text), p.wildcardPrefix == nil else {
                throw fail("\"\(text)\" is not a JSON pointer into the source record (it must start with / and have no *)")
            }
            return p
        }
        // `{"/model": "auth.user"}`: pointer keys only, read as "equals".
        if members.allSatisfy({ $0.key.hasPrefix("/") }) {
            return try equalities(value, path, fail, shape)
        }
        guard members.count == 1, let op = members.first, operators.contains(op.key) else {
            let keys = members.map(\.key).joined(separator: ", ")
            throw fail("\(keys) is not one condition (one of \(operators.joined(separator: ", ")) per object); " + shape)
        }
        switch op.key {
        case "present", "absent":
            guard let text = op.value.stringValue else { throw fail("\"\(op.key)\" takes a JSON pointer (\"/deleted_at\")") }
            return op.key == "present" ? .present(try path(text)) : .absent(try path(text))
        case "equals":
            return try equalities(op.value, path, fail, shape)
        case "contains":
            guard case .object(let pairs) = op.value, !pairs.isEmpty else { throw fail("\"contains\" takes {\"/pointer\": \"text\"}") }
            var list: [MappingCondition] = []
            for pair in pairs {
                guard let text = pair.value.stringValue else { throw fail("\"contains\": \"\(pair.key)\" must be given a text") }
                list.append(.contains(try path(pair.key), text))
            }
            return list.count == 1 ? list[0] : .all(list)
        case "not":
            return .not(try parse(op.value, fail))
        default:
            guard case .array(let items) = op.value, !items.isEmpty else { throw fail("\"\(op.key)\" takes a non-empty array of conditions") }
            var list: [MappingCondition] = []
            for item in items { list.append(try parse(item, fail)) }
            return op.key == "any" ? .any(list) : .all(list)
        }
    }

    private static func equalities(_ value: JSONValue, _ path: (String) throws(CSVMappingError) -> SourcePath,
                                   _ fail: (String) -> CSVMappingError, _ shape: String) throws(CSVMappingError) -> MappingCondition {
        guard case .object(let pairs) = value, !pairs.isEmpty else { throw fail("\"equals\" takes {\"/pointer\": value or [values]}") }
        var list: [MappingCondition] = []
        for pair in pairs {
            let texts: [String]
            if case .array(let items) = pair.value {
                texts = items.compactMap(SourceText.scalar)
                guard texts.count == items.count, !texts.isEmpty else { throw fail("\"\(pair.key)\": the values to compare with must be strings, numbers or booleans") }
            } else if let text = SourceText.scalar(pair.value) {
                texts = [text]
            } else {
                throw fail("\"\(pair.key)\": the value to compare with must be a string, number, boolean or an array of them; " + shape)
            }
            list.append(.equals(try path(pair.key), texts))
        }
        return list.count == 1 ? list[0] : .all(list)
    }
}
