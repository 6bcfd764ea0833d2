/// Finds record boundaries in an Authgear import document or a bare JSON array in one pass,
/// without parsing the records (they are parsed later, on demand).
///
/// Brackets and strings are tracked so that commas and brackets inside records do not
/// split them; a record that is malformed inside is still one span (its parse reports the
/// problem). Problems with the document's own structure are fatal `SourceError`s.
struct JSONRecordScanner {
    let file: SourceFile
    let bytes: UnsafeRawBufferPointer
    var pos: Int
    var line = 1
    var recordCount = 0
    let emit: (RecordSpan) -> Bool
    var settings = DocumentDefaults()

    init(file: SourceFile, emit: @escaping (RecordSpan) -> Bool) {
        self.file = file
        self.bytes = file.bytes
        self.pos = ByteScan.skipBOM(file.bytes)
        self.emit = emit
    }

    /// Scans the whole file. Returns false when `emit` asked to stop.
    mutating func scan(container: RecordContainer) throws(SourceError) -> Bool {
        skipWhitespace()
        let keepGoing: Bool
        if case .memberArray(let member) = container {
            keepGoing = try scanMemberArray(member)
        } else if container == .array {
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "[") else { throw fail("a JSON array of records was expected here") }
            keepGoing = try scanRecordArray()
        } else {
            keepGoing = try scanDocument()
        }
        guard keepGoing else { return false }
        skipWhitespace()
        if pos < bytes.count {
            throw fail("unexpected content after the end of the JSON text", hint: "the file must hold exactly one JSON value")
        }
        return true
    }

    private mutating func scanDocument() throws(SourceError) -> Bool {
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "{") else { throw fail("an Authgear import document {\"identifier\", \"records\"} was expected") }
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "}") {
            throw fail("the import document has no \"records\" array")
        }
        var sawRecords = false
        while true {
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("an object key in double quotes was expected") }
            let keyStart = pos
            skipValue()
            guard pos <= bytes.count else { throw fail("a key is not closed before the end of the file", at: keyStart) }
            let key: String
            do { key = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[keyStart..<pos])).stringValue ?? "" }
            catch { throw fail("invalid key: \(error.message)", at: keyStart + error.offset) }
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("':' was expected after the key \"\(key)\"") }
            pos += 1
            skipWhitespace()
            switch key {
            case "records":
                guard !sawRecords else {
                    throw fail("\"records\" appears twice: the server would use only the last array", at: keyStart, hint: "merge the two arrays into one")
                }
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "[") else { throw fail("\"records\" must be an array of record objects") }
                guard try scanRecordArray() else { return false }
                sawRecords = true
            case "identifier", "upsert":
                let valueStart = pos
                skipValue()
                guard pos <= bytes.count else { throw fail("the \"\(key)\" value is not closed before the end of the file", at: valueStart) }
                let value: JSONValue
                do { value = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[valueStart..<pos])) }
                catch { throw fail("invalid \"\(key)\" value: \(error.message)", at: valueStart + error.offset) }
                if key == "identifier" {
                    guard let s = value.stringValue, ["email", "phone_number", "preferred_username"].contains(s) else {
                        throw fail("\"identifier\" must be \"email\", \"phone_number\" or \"preferred_username\"", at: valueStart,
                                   hint: "fix the document or pass --identifier")
                    }
                    settings.identifier = s
                } else {
                    guard let b = value.boolValue else { throw fail("\"upsert\" must be true or false", at: valueStart) }
                    settings.upsert = b
                }
            default:
                throw fail("unexpected key \"\(key)\": an import document has only \"identifier\", \"upsert\" and \"records\"", at: keyStart,
                           hint: "the server rejects any other top-level key; pass --format json-array if this is not an import document")
            }
            skipWhitespace()
            guard pos < bytes.count else { throw fail("the import document is not closed: '}' was expected") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("',' or '}' was expected after the \"\(key)\" value")
        }
        guard sawRecords else { throw fail("the import document has no \"records\" array", at: 0) }
        return true
    }

    /// Scans `{…, "member": [rec, rec, …], …}`: the records are that member's elements; the
    /// other members (a Keycloak realm's settings) are stepped over unread.
    private mutating func scanMemberArray(_ member: String) throws(SourceError) -> Bool {
        guard pos < bytes.count, bytes[pos] == UInt8(ascii: "{") else { throw fail("a JSON object with a \"\(member)\" array was expected") }
        pos += 1
        var found = false
        while true {
            skipWhitespace()
            if !found, pos < bytes.count, bytes[pos] == UInt8(ascii: "}") { break }
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: "\"") else { throw fail("an object key in double quotes was expected") }
            let keyStart = pos
            skipValue()
            guard pos <= bytes.count else { throw fail("a key is not closed before the end of the file", at: keyStart) }
            let key = (try? JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[keyStart..<pos])))?.stringValue ?? ""
            skipWhitespace()
            guard pos < bytes.count, bytes[pos] == UInt8(ascii: ":") else { throw fail("':' was expected after the key \"\(key)\"") }
            pos += 1
            skipWhitespace()
            if key == member {
                guard !found else { throw fail("\"\(member)\" appears twice", at: keyStart) }
                guard pos < bytes.count, bytes[pos] == UInt8(ascii: "[") else { throw fail("\"\(member)\" must be an array of records") }
                guard try scanRecordArray() else { return false }
                found = true
            } else {
                let valueStart = pos
                skipValue()
                guard pos <= bytes.count else { throw fail("the \"\(key)\" value is not closed before the end of the file", at: valueStart) }
            }
            skipWhitespace()
            guard pos < bytes.count else { throw fail("the JSON object is not closed: '}' was expected") }
            if bytes[pos] == UInt8(ascii: ",") { pos += 1; continue }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
            throw fail("',' or '}' was expected after the \"\(key)\" value")
        }
        guard found else { throw fail("the JSON object has no \"\(member)\" array", at: 0) }
        return true
    }

    /// Scans `[rec, rec, …]` starting at `[`.
    private mutating func scanRecordArray() throws(SourceError) -> Bool {
        pos += 1
        skipWhitespace()
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { pos += 1; return true }
        var nonRecords = NonRecordRun()
        while true {
            skipWhitespace()
            guard pos < bytes.count else { throw fail("the records array is not closed: ']' was expected after record \(recordCount)") }
            let start = pos
            let startLine = line
            try nonRecords.element(first: bytes[start], number: recordCount, offset: start, line: startLine, file: file)
            skipValue()
            if pos > bytes.count { throw fail("record \(recordCount) (line \(startLine)) is not closed before the end of the file", at: start) }
            recordCount += 1
            guard emit(RecordSpan(start: start, end: pos, line: startLine)) else { return false }
            skipWhitespace()
            guard pos < bytes.count else { throw fail("the records array is not closed: ']' was expected after record \(recordCount - 1)") }
            let b = bytes[pos]
            if b == UInt8(ascii: ",") {
                pos += 1
                skipWhitespace()
                if pos < bytes.count, bytes[pos] == UInt8(ascii: "]") { throw fail("trailing comma after the last record (record \(recordCount - 1))") }
                continue
            }
            if b == UInt8(ascii: "]") { pos += 1; return true }
            throw fail("',' or ']' was expected after record \(recordCount - 1) (line \(startLine))",
                       hint: "a record may be missing a closing brace or a comma")
        }
    }

    /// Moves `pos` past one JSON value without validating it (brackets and strings balanced).
    /// Leaves `pos` past the end of the bytes when a container or string is not closed.
    private mutating func skipValue() {
        let n = bytes.count
        guard pos < n else { return }
        let first = bytes[pos]
        if first != UInt8(ascii: "{") && first != UInt8(ascii: "[") && first != UInt8(ascii: "\"") {
            // A scalar: up to the next delimiter.
            while pos < n {
                let b = bytes[pos]
                if b == UInt8(ascii: ",") || b == UInt8(ascii: "]") || b == UInt8(ascii: "}") || ByteScan.isWhitespace(b) { break }
                pos += 1
            }
            return
        }
        let base = bytes.baseAddress!
        var depth = 0
        var lines = 0
        var i = pos
        defer { line += lines }
        while i < n {
            switch base.load(fromByteOffset: i, as: UInt8.self) {
            case UInt8(ascii: "\""):
                // A string: skip its plain bytes a word at a time, then look at what stopped the run.
                i += 1
                while true {
                    i = ByteRun.plainEnd(base, from: i, to: n, stopAtNonASCII: false)
                    guard i < n else { pos = n + 1; return }
                    let c = base.load(fromByteOffset: i, as: UInt8.self)
                    if c == UInt8(ascii: "\"") { break }
                    if c == UInt8(ascii: "\\") {
                        i += 1
                        if i < n, base.load(fromByteOffset: i, as: UInt8.self) == 0x0A { lines += 1 }
                    } else if c == 0x0A {
                        lines += 1
                    }
                    i += 1
                }
                if depth == 0 { pos = i + 1; return }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth == 0 { pos = i + 1; return }
            case 0x0A:
                lines += 1
            default:
                break
            }
            i += 1
        }
        pos = n + 1
    }

    private mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            if b == 0x0A { line += 1 } else if !(b == 0x20 || b == 0x0D || b == 0x09) { return }
            pos += 1
        }
    }

    private func fail(_ message: String, at offset: Int? = nil, hint: String? = nil) -> SourceError {
        SourceError(file: file, offset: min(offset ?? pos, bytes.count), message: message, hint: hint)
    }
}

/// Counts the elements in a row of a records array (or lines of NDJSON) that are not objects.
///
/// One such element is a defective record, reported with the others (`record.not_object`). A
/// long run of them is not a defect but a file that is not a list of records, e.g. a gigabyte
/// of `[1,1,1,…`: every element would cost an index entry (16 bytes for as little as 2 bytes of
/// text) and a verdict, for nothing. So `limit` non-objects in a row stop the scan with a
/// whole-file error that names where the run started (at the file's first element when no
/// record was found at all). 1,000 is far more than any real export has in a row (a real
/// defect is one record, or a handful), and small enough that the index such a file leaves is
/// a few kilobytes.
struct NonRecordRun {
    static let limit = 1000
    private var length = 0
    private var first: (number: Int, offset: Int, line: Int, byte: UInt8)?
    private var sawRecord = false

    /// Notes element `number`, whose first byte is `first`; throws when it makes the run too long.
    mutating func element(first byte: UInt8, number: Int, offset: Int, line: Int, file: SourceFile,
                          elements: String = "elements of the records array") throws(SourceError) {
        if byte == UInt8(ascii: "{") {
            length = 0
            sawRecord = true
            return
        }
        if length == 0 { first = (number, offset, line, byte) }
        length += 1
        guard length >= Self.limit, let first else { return }
        let what = Self.describe(first.byte)
        let count = Self.limit.groupedDigits
        if !sawRecord && first.number == 0 {
            throw SourceError(file: file, offset: first.offset,
                              message: "not a source of records: the first \(count) \(elements) are not JSON objects (the first is \(what))",
                              hint: "a source is a list of user records, each a JSON object: [{\"email\": …}, …], "
                                  + "{\"identifier\": …, \"records\": [{…}, …]}, or one {…} per line (NDJSON)")
        }
        throw SourceError(file: file, offset: first.offset,
                          message: "\(count) \(elements) in a row are not JSON objects, from record \(first.number) (line \(first.line), \(what)) on: "
                              + "from there on the file does not hold records",
                          hint: "fix or remove the non-object elements from line \(first.line) on; every record is a JSON object {…}")
    }

    static func describe(_ b: UInt8) -> String {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"): return "a number"
        case UInt8(ascii: "\""): return "a string"
        case UInt8(ascii: "["): return "an array"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return "a boolean"
        case UInt8(ascii: "n"): return "null"
        default: return "not a JSON value"
        }
    }
}
