import Foundation

/// How a source's records are laid out in the file.
public enum RecordContainer: Sendable, Equatable {
    /// `{"identifier", "upsert", "records": [...]}`.
    case document
    /// `[{…}, {…}]`.
    case array
    /// `{"users": [{…}, …], …}`: the records are the array at this top-level member.
    case memberArray(String)
    /// One record per line.
    case ndjson
    /// CSV with a header row.
    case csv
    /// CSV without a header row (its columns are named by the mapping).
    case headerlessCSV
}

/// What a source is: the name it goes by (`firebase`, `ndjson`), where its records are, and the
/// built-in mapping (`SourcePresets`) that turns them into import records, if it needs one.
public struct SourceShape: Sendable, Equatable {
    public var format: SourceFormat
    public var container: RecordContainer
    /// The name of the preset mapping (`auth0-passwords`, `firebase-csv53`), nil for Authgear records.
    public var preset: String?
}

/// Recognises a source from its content (never its name): the first bytes, the first record's
/// keys (or the CSV header), a few values. Reads a bounded amount of the file.
enum SourceDetection {
    /// The first record (or the top-level object) is looked for within this many bytes.
    static let probeLimit = 4 << 20

    static func detect(_ bytes: UnsafeRawBufferPointer, path: String, forced: SourceFormat?) throws(SourceError) -> SourceShape {
        if let forced, !forced.isSystem {
            let container: RecordContainer
            switch forced {
            case .authgear: container = .document
            case .jsonArray: container = .array
            case .ndjson: container = .ndjson
            default: container = .csv
            }
            return SourceShape(format: forced, container: container, preset: nil)
        }
        let plain = try SourceFormat.detect(bytes, path: path)
        var i = ByteScan.skipBOM(bytes)
        while i < bytes.count, ByteScan.isWhitespace(bytes[i]) { i += 1 }
        switch plain {
        case .authgear:
            return SourceShape(format: .authgear, container: .document, preset: nil)
        case .jsonArray:
            guard let first = firstArrayElement(bytes, from: i) else { return fallback(.jsonArray, .array, forced) }
            if first["realm"] != nil, first["users"] != nil || first["clients"] != nil {
                let realms = realmNames(bytes, from: i)
                throw SourceError(path: path, message: "a JSON array of \(realms.count) Keycloak realms (\(realms.map { "\"\($0)\"" }.joined(separator: ", "))): "
                                      + "the users of several realms cannot be imported as one source",
                                  hint: "export one realm (kc.sh export --realm NAME --users same_file) and give that file")
            }
            return classifyJSON(first, container: .array, plain: .jsonArray, forced: forced)
        case .csv:
            return classifyCSV(bytes, forced: forced)
        default:
            return try classifyObject(bytes, from: i, path: path, forced: forced)
        }
    }

    private static func fallback(_ plain: SourceFormat, _ container: RecordContainer, _ forced: SourceFormat?) -> SourceShape {
        if let forced { return SourceShape(format: forced, container: container, preset: SourcePresets.defaultPreset(forced, container)) }
        return SourceShape(format: plain, container: container, preset: nil)
    }

    /// A `{` at the start: NDJSON (a first line that is a whole object, with more after it, or a
    /// lone record), or one JSON document whose records are in a member array (`{"users": [`).
    private static func classifyObject(_ bytes: UnsafeRawBufferPointer, from start: Int, path: String,
                                       forced: SourceFormat?) throws(SourceError) -> SourceShape {
        var keys: [String] = []
        var pos = start + 1
        let limit = bytes.count
        while true {
            skipWhitespace(bytes, &pos)
            guard pos < limit, bytes[pos] == UInt8(ascii: "\"") else { break }
            let keyStart = pos
            guard let keyEnd = valueEnd(bytes, from: pos, limit: limit),
                  let key = (try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[keyStart..<keyEnd])))?.stringValue else { break }
            pos = keyEnd
            skipWhitespace(bytes, &pos)
            guard pos < limit, bytes[pos] == UInt8(ascii: ":") else { break }
            pos += 1
            skipWhitespace(bytes, &pos)
            keys.append(key)
            if (key == "users" || key == "Users"), pos < limit, bytes[pos] == UInt8(ascii: "[") {
                let first = firstArrayElement(bytes, from: pos)
                let container = RecordContainer.memberArray(key)
                guard let first else {
                    return SourceShape(format: forced ?? (key == "Users" ? .cognito : .firebase), container: container,
                                       preset: forced.flatMap { SourcePresets.defaultPreset($0, container) } ?? (key == "Users" ? "cognito" : "firebase"))
                }
                var shape = classifyJSON(first, container: container, plain: .jsonArray, forced: forced)
                if shape.preset == nil, keys.contains("realm") { shape = SourceShape(format: .keycloak, container: container, preset: "keycloak") }
                if shape.preset == nil {
                    throw SourceError(path: path, message: "a JSON object whose \"\(key)\" array holds records of no known shape (first record's keys: \(describe(first)))",
                                      hint: "pass --format NAME (auth0, firebase, cognito, keycloak, …) or --format json-array on the array alone")
                }
                return shape
            }
            guard let end = valueEnd(bytes, from: pos, limit: limit) else { break }
            pos = end
            skipWhitespace(bytes, &pos)
            guard pos < limit, bytes[pos] == UInt8(ascii: ",") else { break }
            pos += 1
        }
        // Not a document with a records array: NDJSON when the first object ends on its first line.
        guard let firstEnd = valueEnd(bytes, from: start, limit: min(limit, start + probeLimit)) else {
            return fallback(.ndjson, .ndjson, forced)
        }
        let firstLineEnd = (start..<firstEnd).first { bytes[$0] == 0x0A }
        var after = firstEnd
        skipWhitespace(bytes, &after)
        if firstLineEnd == nil, let record = try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[start..<firstEnd])) {
            return classifyJSON(record, container: .ndjson, plain: .ndjson, forced: forced)
        }
        if firstLineEnd == nil { return fallback(.ndjson, .ndjson, forced) }
        // A pretty-printed object is never read line by line as NDJSON.
        let more = after < limit ? " followed by more content" : ""
        throw SourceError(path: path, message: "a JSON object of no known shape\(more): it is not an import document, not one record per line (NDJSON), "
                              + "and has no \"users\" array (top-level keys: \(keys.prefix(12).joined(separator: ", "))\(keys.count > 12 ? ", …" : ""))",
                          hint: "give an Authgear import document, a JSON array of records, NDJSON, or an export authgear-migrate knows (--format auth0, firebase, cognito, keycloak, …)")
    }

    static func looksLikeImportRecord(_ value: JSONValue) -> Bool {
        guard case .object(let members) = value else { return false }
        return members.contains { CSVRecordFields.topLevelSet.contains($0.key) }
    }

    private static func classifyJSON(_ record: JSONValue, container: RecordContainer, plain: SourceFormat, forced: SourceFormat?) -> SourceShape {
        guard case .object(let members) = record else { return fallback(plain, container, forced) }
        let keys = Set(members.map(\.key))
        let guess = SourcePresets.classify(keys: keys, value: { record[$0].flatMap(SourceText.scalar) }, csv: false)
        if let guess, forced == nil || forced == guess.format { return SourceShape(format: guess.format, container: container, preset: guess.preset) }
        return fallback(plain, container, forced)
    }

    private static func classifyCSV(_ bytes: UnsafeRawBufferPointer, forced: SourceFormat?) -> SourceShape {
        let rest = bytes  // the header skips a BOM and `#` comment lines itself
        guard let header = try? CSVScanner.header(rest) else { return fallback(.csv, .csv, forced) }
        var firstRow: [String] = []
        _ = CSVScanner.scanRows(rest, from: header.end, startLine: header.nextLine) { row in
            if case .success(let f) = CSVRowParser.fields(UnsafeRawBufferPointer(rebasing: rest[row.start..<row.end]), line: row.line) { firstRow = f }
            return false
        }
        if let layout = SourcePresets.firebaseCSVLayout(header.fields), forced == nil || forced == .firebase {
            return SourceShape(format: .firebase, container: .headerlessCSV, preset: layout)
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        let keys = Set(names)
        let guess = SourcePresets.classify(keys: keys, value: { key in
            names.firstIndex(of: key).flatMap { $0 < firstRow.count ? firstRow[$0] : nil }
        }, csv: true)
        if let guess, forced == nil || forced == guess.format { return SourceShape(format: guess.format, container: .csv, preset: guess.preset) }
        return fallback(.csv, .csv, forced)
    }

    /// The `realm` of each element of the array at `start` (a multi-realm Keycloak export),
    /// read by stepping over every other member; `?` for an element without one.
    static func realmNames(_ bytes: UnsafeRawBufferPointer, from start: Int) -> [String] {
        var names: [String] = []
        var pos = start + 1
        let limit = bytes.count
        while names.count < 100 {
            skipWhitespace(bytes, &pos)
            guard pos < limit, bytes[pos] == UInt8(ascii: "{") else { break }
            var name = "?"
            var member = pos + 1
            while true {
                skipWhitespace(bytes, &member)
                guard member < limit, bytes[member] == UInt8(ascii: "\""), let keyEnd = valueEnd(bytes, from: member, limit: limit) else { break }
                let key = (try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[member..<keyEnd])))?.stringValue
                member = keyEnd
                skipWhitespace(bytes, &member)
                guard member < limit, bytes[member] == UInt8(ascii: ":") else { break }
                member += 1
                skipWhitespace(bytes, &member)
                guard let end = valueEnd(bytes, from: member, limit: limit) else { break }
                if key == "realm", let value = (try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[member..<end])))?.stringValue { name = value }
                member = end
                skipWhitespace(bytes, &member)
                guard member < limit, bytes[member] == UInt8(ascii: ",") else { break }
                member += 1
            }
            names.append(name)
            guard let end = valueEnd(bytes, from: pos, limit: limit) else { break }
            pos = end
            skipWhitespace(bytes, &pos)
            guard pos < limit, bytes[pos] == UInt8(ascii: ",") else { break }
            pos += 1
        }
        return names
    }

    static func describe(_ value: JSONValue) -> String {
        guard case .object(let members) = value else { return "not an object" }
        return members.prefix(12).map(\.key).joined(separator: ", ") + (members.count > 12 ? ", …" : "")
    }

    // MARK: - Bytes

    private static func skipWhitespace(_ bytes: UnsafeRawBufferPointer, _ pos: inout Int) {
        while pos < bytes.count, ByteScan.isWhitespace(bytes[pos]) { pos += 1 }
    }

    /// The first element of the array whose `[` is at `start`, parsed; nil when there is none or it is not JSON.
    static func firstArrayElement(_ bytes: UnsafeRawBufferPointer, from start: Int) -> JSONValue? {
        var pos = start + 1
        skipWhitespace(bytes, &pos)
        guard pos < bytes.count, bytes[pos] != UInt8(ascii: "]"),
              let end = valueEnd(bytes, from: pos, limit: min(bytes.count, pos + probeLimit)) else { return nil }
        return try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[pos..<end]))
    }

    /// The offset just past the JSON value starting at `start` (strings and brackets balanced), or nil before `limit`.
    static func valueEnd(_ bytes: UnsafeRawBufferPointer, from start: Int, limit: Int) -> Int? {
        guard start < limit else { return nil }
        let first = bytes[start]
        if first != UInt8(ascii: "{"), first != UInt8(ascii: "["), first != UInt8(ascii: "\"") {
            var i = start
            while i < limit, !ByteScan.isWhitespace(bytes[i]), bytes[i] != UInt8(ascii: ","), bytes[i] != UInt8(ascii: "}"), bytes[i] != UInt8(ascii: "]") { i += 1 }
            return i
        }
        var depth = 0
        var i = start
        var inString = false
        while i < limit {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 1 } else if b == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 0 { return i + 1 }
                }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == UInt8(ascii: "{") || b == UInt8(ascii: "[") {
                depth += 1
            } else if b == UInt8(ascii: "}") || b == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return i + 1 }
            }
            i += 1
        }
        return nil
    }
}
