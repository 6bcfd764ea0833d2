import Foundation

/// A source system's records turned into Authgear import records, by a mapping that is data:
/// the CSV mapping format extended to JSON sources (see `RecordMappingFile`). Applied to one
/// record at a time, when the record is read, so a source of millions opens at once.
public struct RecordMapping: Sendable {
    /// The source format it is for (`auth0`, `firebase`, …).
    public let format: String?
    /// Where the source system's own user id is: the record's legacy key in reports.
    public let key: SourcePath?
    /// Column names of a CSV without a header row (Firebase), in order.
    public let columns: [String]?
    /// Arrays of `{name, value}` pairs read as objects before mapping (Cognito's `Attributes`).
    public let flatten: [(path: SourcePath, name: String, value: String)]
    /// Only source elements that pass this test are records (Django's `model`: `auth.group`
    /// elements are not users). Decided by the index scan: other elements get no record number.
    public let only: MappingCondition?
    /// Records the import must leave out (Supabase's deleted and anonymous users), each rule with
    /// the reason reports give. They keep their record number and line; validation marks them
    /// excluded, so they are counted, named and never sent. The first rule that holds is the reason.
    public let skip: [(reason: String, when: MappingCondition)]
    public let rules: [MappingRule]
    /// What the import cannot carry, by where it is in a source record (and, optionally, when it
    /// counts): counted, said once.
    public let notImported: [(path: SourcePath, what: String, when: MappingCondition?)]
    /// The distinct `what`s of `notImported`, in order: `Mapped.notImported` indexes this.
    public let notImportedLabels: [String]
    /// The mapping as JSON, exactly as it was given (for `--mapping-out` and the TUI).
    public let document: JSONValue
    /// Password hashes joined from another file by legacy key (Auth0's hash export).
    public var passwords: PasswordJoin?

    /// Parses a mapping document (`RecordMappingFile` describes the format).
    public init(document: JSONValue) throws(CSVMappingError) {
        let parsed = try RecordMappingFile.parse(document)
        self = parsed
    }

    init(format: String?, key: SourcePath?, columns: [String]?, flatten: [(path: SourcePath, name: String, value: String)],
         only: MappingCondition?, skip: [(reason: String, when: MappingCondition)] = [], rules: [MappingRule],
         notImported: [(path: SourcePath, what: String, when: MappingCondition?)], document: JSONValue) {
        self.format = format
        self.key = key
        self.columns = columns
        self.flatten = flatten
        self.only = only
        self.skip = skip
        var rules = rules
        for i in rules.indices { rules[i].splitField = rules[i].path }
        for i in rules.indices where rules[i].source.wildcardPrefix != nil {
            rules[i].claimed = Set(rules.compactMap { rules[i].source.claimedSuffix(by: $0.source) })
        }
        self.rules = rules
        self.notImported = notImported
        var labels: [String] = []
        for entry in notImported where !labels.contains(entry.what) { labels.append(entry.what) }
        self.notImportedLabels = labels
        self.document = document
    }

    /// One mapped record: the import record, the warnings its mapping gave (a password that
    /// cannot be carried), which `notImportedLabels` it had data for, and the `skip` rule that
    /// leaves it out (an index into `skip`), if one does.
    public struct Mapped: Sendable {
        public var record: JSONValue
        public var notes: [Issue]
        public var notImported: [Int]
        public var skipped: Int? = nil

        public init(record: JSONValue, notes: [Issue], notImported: [Int], skipped: Int? = nil) {
            self.record = record
            self.notes = notes
            self.notImported = notImported
            self.skipped = skipped
        }
    }

    /// Whether `source` is a record at all (see `only`).
    public func admits(_ source: JSONValue) -> Bool {
        only?.holds(for: prepared(source)) ?? true
    }

    /// The `skip` rule (index into `skip`) that leaves `source` out of the import, if any.
    public func skipReason(_ source: JSONValue) -> Int? {
        guard !skip.isEmpty else { return nil }
        return skipReason(prepared: prepared(source))
    }

    private func skipReason(prepared record: JSONValue) -> Int? {
        skip.firstIndex { $0.when.holds(for: record) }
    }

    /// The legacy key of `source` (its system's user id), if the mapping names one.
    public func legacyKey(_ source: JSONValue) -> String? {
        key.flatMap { $0.value(in: prepared(source)) }.flatMap(SourceText.scalar)
    }

    /// Maps one source record. Rules apply in order; the first rule to set a field wins.
    public func map(_ source: JSONValue) -> Mapped {
        let record = prepared(source)
        var notes: [Issue] = []
        var tree = OrderedTree()
        for rule in rules {
            for (path, value) in rule.apply(to: record, notes: &notes) { tree.set(path, value) }
        }
        if let passwords, let k = legacyKey(source), let hash = passwords.hashes[k] {
            switch PasswordScheme.classify(hash) {
            case .bcrypt(let h):
                if !tree.has(["password"]) {
                    tree.set(["password", "type"], .string("bcrypt"))
                    tree.set(["password", "password_hash"], .string(h))
                }
            case .notImportable(let name): notes.append(PasswordScheme.notImportableIssue(name))
            case .none: break
            }
        }
        var dropped: [Int] = []
        for entry in notImported where SourceText.isPresent(entry.path.value(in: record)) && entry.when?.holds(for: record) != false {
            if let i = notImportedLabels.firstIndex(of: entry.what), !dropped.contains(i) { dropped.append(i) }
        }
        return Mapped(record: tree.value, notes: notes, notImported: dropped, skipped: skip.isEmpty ? nil : skipReason(prepared: record))
    }

    private func prepared(_ source: JSONValue) -> JSONValue {
        guard !flatten.isEmpty else { return source }
        var record = source
        for f in flatten {
            guard case .array(let items)? = f.path.value(in: record), let pointer = JSONPointer(f.path.description) else { continue }
            let members = items.compactMap { item -> JSONMember? in
                guard let name = item[f.name].flatMap(SourceText.scalar), let value = item[f.value] else { return nil }
                return JSONMember(name, value)
            }
            record = record.replacing(at: pointer, with: .object(members)) ?? record
        }
        return record
    }
}

/// Builds an object whose members keep the order they were first set in.
struct OrderedTree {
    private final class Node {
        var keys: [String] = []
        var children: [String: Node] = [:]
        var leaves: [String: JSONValue] = [:]
    }
    private let root = Node()

    func has(_ path: [String]) -> Bool {
        var node = root
        for (i, key) in path.enumerated() {
            if i == path.count - 1 { return node.leaves[key] != nil || node.children[key] != nil }
            guard let next = node.children[key] else { return false }
            node = next
        }
        return false
    }

    /// Sets `value` at `path` unless something is already there.
    mutating func set(_ path: [String], _ value: JSONValue) {
        var node = root
        for (i, key) in path.enumerated() {
            if i == path.count - 1 {
                guard node.leaves[key] == nil, node.children[key] == nil else { return }
                node.keys.append(key)
                node.leaves[key] = value
                return
            }
            if node.leaves[key] != nil { return }
            if let next = node.children[key] { node = next; continue }
            let next = Node()
            node.keys.append(key)
            node.children[key] = next
            node = next
        }
    }

    var value: JSONValue { OrderedTree.value(root) }

    private static func value(_ node: Node) -> JSONValue {
        .object(node.keys.map { key in JSONMember(key, node.leaves[key] ?? value(node.children[key]!)) })
    }
}

/// Password hashes from a separate export, joined to the profile records by the source's user
/// id (never by e-mail: case differences and users without an address break that join).
public struct PasswordJoin: Sendable {
    /// Legacy key → hash.
    public let hashes: [String: String]
    public let path: String

    /// Reads an Auth0 password-hash export (NDJSON or a JSON array, one user per element):
    /// the user id is `auth0|` + (`alt_id` ?? `_id.$oid`), the hash `passwordHash`.
    public static func auth0(path: String) throws(SourceError) -> PasswordJoin {
        let index = try RecordIndex.open(path: path, format: .auth0)
        try index.waitUntilComplete()
        var hashes: [String: String] = [:]
        for n in 0..<index.count {
            guard case .success(let source) = index.loadSource(span: index.span(n)),
                  let hash = source["passwordHash"]?.stringValue else { continue }
            guard let id = source["alt_id"]?.stringValue ?? source["_id"]?["$oid"]?.stringValue else { continue }
            hashes[id.contains("|") ? id : "auth0|" + id] = hash
        }
        return PasswordJoin(hashes: hashes, path: path)
    }
}
