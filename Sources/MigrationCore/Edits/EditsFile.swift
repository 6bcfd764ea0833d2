import Foundation

/// The edits of a source as a document a second reviewer can read and `--edits FILE` applies:
/// each edited record as a diff against the source's record (field: old → new, or excluded),
/// found again by a key (a login ID of the source's record), not only by its number, so an
/// edit still lands on its record when the source was re-exported — and refused, naming the
/// file, the entry and the record, when the record it was made to is no longer there.
///
/// ```json
/// {"format": "authgear-migrate edits", "version": 1,
///  "source": {"path": "users.json", "size": 1234, "fingerprint": "…"},
///  "edits": [
///   {"record": 11, "line": 12, "key": {"field": "/email", "value": "Bob@Example.com"},
///    "changes": [{"field": "/email", "old": "Bob@Example.com", "new": "bob@example.com"},
///                {"field": "/phone_number", "old": "12", "delete": true},
///                {"field": "/name", "added": true, "new": "Bob"}]},
///   {"record": 12, "key": {"field": "/email", "value": "spam@example.com"}, "exclude": true}]}
/// ```
public enum EditsFile {
    public static let formatName = "authgear-migrate edits"

    /// Fields tried, in order, as a record's key: the identifier first.
    static func keyFields(identifier: String) -> [JSONPointer] {
        var names = [identifier]
        for n in ["email", "phone_number", "preferred_username"] where !names.contains(n) { names.append(n) }
        return names.map { JSONPointer(tokens: [$0]) }
    }

    /// The document for `overlay`'s edits of `index`'s records.
    public static func document(_ overlay: EditOverlay, index: RecordIndex, identifier: String) -> JSONValue {
        let keys = keyFields(identifier: identifier)
        var entries: [JSONValue] = []
        for n in overlay.changes.keys.sorted() {
            let original: JSONValue? = n < index.count ? (try? index.loadRecord(n).get()) : nil
            var members = [JSONMember("record", .number(String(n)))]
            if n < index.count { members.append(JSONMember("line", .number(String(index.span(n).line)))) }
            if let original, let key = keys.first(where: { original.value(at: $0)?.stringValue != nil }) {
                members.append(JSONMember("key", .obj(["field": .string(key.description), "value": original.value(at: key)!])))
            }
            switch overlay.changes[n]! {
            case .excluded:
                members.append(JSONMember("exclude", .bool(true)))
            case .replaced(let edited):
                members.append(JSONMember("changes", .array(RecordDiff.changes(from: original, to: edited).map(json))))
            }
            entries.append(.object(members))
        }
        let file = index.file
        return .obj([
            "format": .string(formatName), "version": .number("1"),
            "source": .obj(["path": .string(file.path), "size": .number(String(file.size)), "fingerprint": .string(file.fingerprint())]),
            "edits": .array(entries),
        ])
    }

    static func json(_ c: FieldChange) -> JSONValue {
        var m = [JSONMember("field", .string(c.pointer.description))]
        // A secret's old value is not written (the new one has to be, to be applied): it is not checked.
        if let old = c.old, !SecretFields.isSecret(c.pointer) { m.append(JSONMember("old", old)) }
        if c.old == nil { m.append(JSONMember("added", .bool(true))) }
        if let new = c.new { m.append(JSONMember("new", new)) } else { m.append(JSONMember("delete", .bool(true))) }
        return .object(m)
    }

    /// Writes the document (mode 0600: it may hold password hashes), atomically.
    public static func write(_ overlay: EditOverlay, index: RecordIndex, identifier: String, to path: String) throws {
        try StateDirectory.writeAtomically(PrettyJSON.text(document(overlay, index: index, identifier: identifier)) + [0x0A], to: path, mode: 0o600)
    }

    /// Whether `doc` is this format (else it is the TUI's own edits file, `EditStore`).
    public static func isEditsDocument(_ doc: JSONValue) -> Bool { doc["format"]?.stringValue == formatName }

    /// Loads an edits file given with `--edits`: this format, or the TUI's own (`EditStore`).
    public static func load(path: String, index: RecordIndex) throws(EditStoreError) -> EditOverlay {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EditStoreError(path: path, message: "cannot read the edits file (check the path and permissions)")
        }
        let doc: JSONValue
        do { doc = try JSONParser.parse([UInt8](data)) } catch {
            throw EditStoreError(path: path, message: "the edits file is not valid JSON: \(error.description)")
        }
        guard isEditsDocument(doc) else {
            do { return try EditStore(path: path).load(for: index.file) } catch let e as EditStoreError { throw e } catch {
                throw EditStoreError(path: path, message: "\(error)")
            }
        }
        var application = EditsApplication(path: path, doc: doc, index: index)
        return try application.overlay()
    }
}
