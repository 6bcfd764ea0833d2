import Foundation

/// Maps a CSV file's columns to Authgear import record fields and turns rows into records.
///
/// Defaults: a header equal to a record field (or a dotted path such as `address.country`,
/// `custom_attributes.member_id`, `mfa.totp.secret`; `password_hash` means `password.password_hash`)
/// maps to it. A mapping file overrides the defaults per header. Members follow header order;
/// nested objects sit where their first column is.
public struct CSVMapping: Sendable {
    /// Headers neither mapped nor matching a record field: their columns are ignored.
    public let unknownHeaders: [String]
    /// Every column of the header row and what happens to it, in header order.
    public let columns: [CSVColumn]
    /// The record layout: which column fills which member, in output order.
    let layout: [Slot]
    /// Indices of the columns that map to a field.
    let mappedIndices: [Int]

    /// One member of the output object: a column's value, a constant implied by another column, or a nested object.
    indirect enum Slot: Sendable {
        case column(key: String, index: Int)
        case implied(key: String, value: JSONValue, whenColumn: Int)
        case object(key: String, members: [Slot])
    }

    /// Builds the mapping for `header` (trimmed before matching), applying `mappingFile` (a JSON object) over the defaults.
    public init(header: [String], mappingFile: JSONValue?) throws {
        let names = header.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var firstIndex: [String: Int] = [:]
        for (index, name) in names.enumerated() where !name.isEmpty {
            if let first = firstIndex[name] {
                throw CSVMappingError(key: name,
                    message: "duplicate header \"\(name)\" in columns \(first + 1) and \(index + 1): rename one of them")
            }
            firstIndex[name] = index
        }
        let entries = try mappingFile.map(CSVMappingFile.entries) ?? [:]
        for key in entries.keys.sorted() where firstIndex[key] == nil {
            throw CSVMappingError(key: key, message: "mapping file, key \"\(key)\": no CSV column has this header "
                + "(headers: \(names.filter { !$0.isEmpty }.map { "\"\($0)\"" }.joined(separator: ", ")))")
        }

        var columns: [CSVColumn] = []
        var unknown: [String] = []
        for (index, name) in names.enumerated() {
            if let entry = entries[name] {
                if entry.skip || entry.path == nil {
                    columns.append(CSVColumn(index: index, header: name, field: nil, type: nil, source: .skipped))
                } else if let path = entry.path {
                    columns.append(CSVColumn(index: index, header: name, field: path.joined(separator: "."),
                                             type: entry.type ?? CSVRecordFields.defaultType(for: path), source: .mappingFile,
                                             trueWords: entry.trueWords, falseWords: entry.falseWords,
                                             separator: entry.separator ?? ";"))
                }
            } else if let path = CSVRecordFields.defaultPath(forHeader: name) {
                columns.append(CSVColumn(index: index, header: name, field: path.joined(separator: "."),
                                         type: CSVRecordFields.defaultType(for: path), source: .header))
            } else {
                columns.append(CSVColumn(index: index, header: name, field: nil, type: nil, source: .unknown))
                if !unknown.contains(name) { unknown.append(name) }
            }
        }
        try CSVMapping.checkConflicts(columns)
        self.columns = columns
        self.unknownHeaders = unknown
        self.layout = CSVMapping.layout(columns)
        self.mappedIndices = columns.filter { $0.type != nil }.map(\.index)
    }

    /// Two columns may not fill the same field, nor a field and something inside it.
    private static func checkConflicts(_ columns: [CSVColumn]) throws {
        let mapped = columns.filter { $0.field != nil }
        for (i, a) in mapped.enumerated() {
            for b in mapped[(i + 1)...] {
                let pa = a.path, pb = b.path
                let shorter = pa.count <= pb.count ? pa : pb
                guard Array(pa.prefix(shorter.count)) == Array(pb.prefix(shorter.count)) else { continue }
                let why = pa == pb ? "both map to \"\(a.field!)\""
                    : "\"\(shorter.joined(separator: "."))\" would replace the object that also holds \"\((pa.count > pb.count ? pa : pb).joined(separator: "."))\""
                throw CSVMappingError(key: b.header, message: "\(a.label) and \(b.label) conflict: \(why); map or skip one of them")
            }
        }
    }

    /// The member layout: columns in header order, nested objects at their first column, and an
    /// implied `type: "bcrypt"` before a password hash whose `type` no column gives.
    private static func layout(_ columns: [CSVColumn]) -> [Slot] {
        struct Node { var key: String; var slot: Slot?; var children: [Node] }
        func insert(_ path: ArraySlice<String>, _ slot: Slot, into nodes: inout [Node]) {
            let key = path.first!
            if path.count == 1 { nodes.append(Node(key: key, slot: slot, children: [])); return }
            if let i = nodes.firstIndex(where: { $0.key == key && $0.slot == nil }) {
                insert(path.dropFirst(), slot, into: &nodes[i].children)
            } else {
                var node = Node(key: key, slot: nil, children: [])
                insert(path.dropFirst(), slot, into: &node.children)
                nodes.append(node)
            }
        }
        func slots(_ nodes: [Node]) -> [Slot] {
            nodes.map { $0.slot ?? .object(key: $0.key, members: slots($0.children)) }
        }
        let paths = Set(columns.compactMap(\.field))
        var roots: [Node] = []
        for column in columns where column.field != nil {
            let path = column.path
            if path.last == "password_hash",
               CSVRecordFields.passwordObjects.contains(Array(path.dropLast())),
               !paths.contains((path.dropLast() + ["type"]).joined(separator: ".")) {
                insert((path.dropLast() + ["type"])[...],
                       .implied(key: "type", value: .string("bcrypt"), whenColumn: column.index), into: &roots)
            }
            insert(path[...], .column(key: path.last!, index: column.index), into: &roots)
        }
        return slots(roots)
    }

    /// Turns one row's fields into a record (empty cells leave their field out).
    public func record(from fields: [String], line: Int) -> Result<JSONValue, CSVRowError> {
        guard fields.count == columns.count else {
            let what = fields.count > columns.count ? "too many fields" : "too few fields"
            return .failure(CSVRowError(line: line, column: min(fields.count, columns.count) + 1,
                message: "\(what): the row has \(fields.count) field\(fields.count == 1 ? "" : "s") but the header has \(columns.count)"))
        }
        var values = [JSONValue?](repeating: nil, count: fields.count)
        for index in mappedIndices where !fields[index].isEmpty {
            switch columns[index].value(of: fields[index]) {
            case .success(let value): values[index] = value
            case .failure(let reason):
                return .failure(CSVRowError(line: line, column: index + 1, message: reason.message))
            }
        }
        return .success(.object(CSVMapping.members(layout, values)))
    }

    private static func members(_ slots: [Slot], _ values: [JSONValue?]) -> [JSONMember] {
        var result: [JSONMember] = []
        result.reserveCapacity(slots.count)
        for slot in slots {
            switch slot {
            case .column(let key, let index):
                if let value = values[index] { result.append(JSONMember(key, value)) }
            case .implied(let key, let value, let index):
                if values[index] != nil { result.append(JSONMember(key, value)) }
            case .object(let key, let children):
                let inner = members(children, values)
                if !inner.isEmpty { result.append(JSONMember(key, .object(inner))) }
            }
        }
        return result
    }
}
