import Foundation

/// Applies an `EditsFile` document to a source: finds each entry's record (by its key, else by
/// its number when the file was written for this very source or the entry's old values say it
/// is the same record), checks the old values, and builds the overlay. Any entry that no longer
/// applies stops the whole file, with the file, the entry and the record named.
struct EditsApplication {
    let path: String
    let doc: JSONValue
    let index: RecordIndex
    /// Record numbers by key value, per key field (built when a key is not where the entry says).
    private var byKey: [JSONPointer: [String: [Int]]] = [:]

    init(path: String, doc: JSONValue, index: RecordIndex) {
        self.path = path
        self.doc = doc
        self.index = index
    }

    func failure(_ message: String, hint: String? = nil) -> EditStoreError {
        EditStoreError(path: path, message: message, hint: hint)
    }

    func original(_ n: Int) -> JSONValue? {
        guard n >= 0, n < index.count, case .success(let v) = index.loadRecord(n) else { return nil }
        return v
    }

    mutating func overlay() throws(EditStoreError) -> EditOverlay {
        guard doc["version"]?.numberText == "1" else {
            throw failure("unsupported edits file version \(doc["version"]?.jsonText ?? "(none)"); this build reads version 1")
        }
        guard let entries = doc["edits"]?.arrayValue else { throw failure("the edits file has no \"edits\" array") }
        let written = doc["source"]?["fingerprint"]?.stringValue
        let sameSource = written == index.file.fingerprint()
        var changes: [Int: EditOverlay.Change] = [:]
        var entryOf: [Int: Int] = [:]
        for (i, entry) in entries.enumerated() {
            let n = try locate(entry, i, sameSource: sameSource, written: written)
            let place = describe(i, entry, record: n)
            if let other = entryOf[n] { throw failure("\(place): entry #\(other) edits the same record; keep one of them") }
            entryOf[n] = i
            if entry["exclude"]?.boolValue == true {
                changes[n] = .excluded
                continue
            }
            guard let list = entry["changes"]?.arrayValue else {
                throw failure("\(place): has neither \"changes\" (an array) nor \"exclude\": true")
            }
            guard let base = original(n) else { throw failure("\(place): the source's record cannot be read") }
            var fieldChanges: [FieldChange] = []
            for (k, c) in list.enumerated() {
                fieldChanges.append(try change(c, k, base: base, place: place))
            }
            guard let edited = RecordDiff.applying(fieldChanges, to: base) else {
                throw failure("\(place): a field's parent is not an object or array in the source's record")
            }
            if edited != base { changes[n] = .replaced(edited) }
        }
        return EditOverlay(changes: changes)
    }

    /// "entry #3 (record 11, line 12, /email = "bob@x")"
    func describe(_ i: Int, _ entry: JSONValue, record: Int?) -> String {
        var parts: [String] = []
        if let n = record ?? entry["record"]?.numberText.flatMap(Int.init) { parts.append("record \(n)") }
        if let n = record, n < index.count { parts.append("line \(index.span(n).line)") }
        if let field = entry["key"]?["field"]?.stringValue, let value = entry["key"]?["value"] { parts.append("\(field) = \(value.jsonText)") }
        return "entry #\(i)" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }

    /// The record an entry edits in this source.
    mutating func locate(_ entry: JSONValue, _ i: Int, sameSource: Bool, written: String?) throws(EditStoreError) -> Int {
        let number = entry["record"]?.numberText.flatMap(Int.init)
        if let number, number < 0 { throw failure("\(describe(i, entry, record: nil)): \"record\" is not a record number") }
        if let key = entry["key"] {
            guard let field = key["field"]?.stringValue, let pointer = JSONPointer(fieldPath: field),
                  let value = key["value"]?.stringValue else {
                throw failure("\(describe(i, entry, record: nil)): \"key\" is {\"field\": \"/email\", \"value\": \"…\"}")
            }
            if let number, original(number)?.value(at: pointer)?.stringValue == value { return number }
            let found = records(with: pointer, equalTo: value)
            if found.count == 1 { return found[0] }
            let was = number.map { " (it was record \($0))" } ?? ""
            if found.isEmpty {
                throw failure("\(describe(i, entry, record: nil)): no record of the source has \(pointer) = \"\(value)\" any more\(was): the source changed and this edit no longer applies",
                              hint: "remove the entry, or correct its key, then run again")
            }
            throw failure("\(describe(i, entry, record: nil)): \(found.count) records have \(pointer) = \"\(value)\" (records \(found.prefix(5).map(String.init).joined(separator: ", "))): the edit cannot be matched to one",
                          hint: "give the entry a key field that tells them apart")
        }
        guard let number else { throw failure("\(describe(i, entry, record: nil)): has neither \"record\" nor \"key\"") }
        guard number < index.count else {
            throw failure("\(describe(i, entry, record: nil)): the source has \(index.count) records (0 to \(index.count - 1))")
        }
        // Without a key, a record number is trusted only in the source the file was written for,
        // or when every change names the old value it replaces (checked next).
        let checked = entry["changes"]?.arrayValue.map { list in
            !list.isEmpty && list.allSatisfy { $0["old"] != nil || $0["added"]?.boolValue == true }
        } ?? false
        if !sameSource && !checked {
            let why = written.map { "it was written for another version of \(index.file.path) (fingerprint \($0), now \(index.file.fingerprint()))" }
                ?? "it names no source fingerprint"
            throw failure("\(describe(i, entry, record: number)): has no \"key\" and \(why), so record \(number) may not be the record it was made for",
                          hint: "add \"key\": {\"field\": \"/email\", \"value\": …} to the entry (or \"old\" values to its changes), or export the edits again from this source")
        }
        return number
    }

    mutating func records(with pointer: JSONPointer, equalTo value: String) -> [Int] {
        if byKey[pointer] == nil {
            var map: [String: [Int]] = [:]
            for n in 0..<index.count {
                if let s = original(n)?.value(at: pointer)?.stringValue { map[s, default: []].append(n) }
            }
            byKey[pointer] = map
        }
        return byKey[pointer]![value] ?? []
    }

    /// One change of an entry, its old value checked against the source's record.
    func change(_ c: JSONValue, _ k: Int, base: JSONValue, place: String) throws(EditStoreError) -> FieldChange {
        guard let field = c["field"]?.stringValue, let pointer = JSONPointer(fieldPath: field) else {
            throw failure("\(place), change #\(k): \"field\" is a JSON pointer (/email) or a field name (address.country)")
        }
        let current = base.value(at: pointer)
        if let old = c["old"], current != old {
            throw failure("\(place), change #\(k): \(pointer) is now \(shown(current, at: pointer)) in the source, the edit expected \(shown(old, at: pointer)): the source changed and this edit no longer applies",
                          hint: "remove the change or correct its \"old\" value, then run again")
        }
        if c["added"]?.boolValue == true, current != nil {
            throw failure("\(place), change #\(k): \(pointer) was added by the edit but the source's record now has \(shown(current, at: pointer)): the edit no longer applies",
                          hint: "remove the change or replace \"added\" with the \"old\" value, then run again")
        }
        if c["delete"]?.boolValue == true { return FieldChange(pointer: pointer, old: current, new: nil) }
        guard let new = c["new"] else { throw failure("\(place), change #\(k): has neither \"new\" nor \"delete\": true") }
        return FieldChange(pointer: pointer, old: current, new: new)
    }

    /// A value for a message: its JSON, or masked when the field holds secrets.
    func shown(_ v: JSONValue?, at pointer: JSONPointer) -> String {
        guard let v else { return "absent" }
        return SecretFields.isSecret(pointer) ? "a secret (not shown)" : v.jsonText
    }
}
