import Foundation

/// A problem with one CSV row: where it is and what is wrong.
///
/// For syntax and encoding errors `column` is the 1-based character (Unicode scalar) column in
/// that line; for value errors found while mapping a row (`CSVMapping.record`), it is the
/// 1-based CSV column (field) number, which the message also names.
public struct CSVRowError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let column: Int
    public let message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// Splits one CSV row's bytes (terminator excluded, as given by `CSVScanner`) into fields.
public enum CSVRowParser {
    /// Splits `row` into its fields, checking quoting and UTF-8; `line` is the row's first line.
    public static func fields(_ row: UnsafeRawBufferPointer, line: Int) -> Result<[String], CSVRowError> {
        fields(row, line: line, expectedCount: nil)
    }

    /// Splits `row` into its fields and, when `expectedCount` is given, checks the field count
    /// (the error points at the first extra field, or at the end of a short row).
    public static func fields(_ row: UnsafeRawBufferPointer, line: Int, expectedCount: Int?) -> Result<[String], CSVRowError> {
        let quote = CSVScanner.quote, comma = CSVScanner.comma
        let n = row.count
        var fields: [String] = []
        if let expectedCount { fields.reserveCapacity(expectedCount) }
        var extraFieldOffset: Int?
        var i = 0
        var unescaped: [UInt8] = []
        // Validated once per row; a syntax error left of the first invalid byte is reported first.
        let invalidOffset = firstInvalidUTF8Offset(row) ?? Int.max
        func failure(at offset: Int, _ message: String) -> CSVRowError {
            if invalidOffset <= offset { return invalidUTF8(row, at: invalidOffset, line: line) }
            let (l, c) = position(of: offset, in: row, line: line)
            return CSVRowError(line: l, column: c, message: message)
        }
        while true {
            if let expectedCount, fields.count == expectedCount, extraFieldOffset == nil { extraFieldOffset = i }
            if i < n, row[i] == quote {
                let opening = i
                i += 1
                var segmentStart = i
                var hasDoubledQuote = false
                unescaped.removeAll(keepingCapacity: true)
                while true {
                    guard i < n else {
                        return .failure(failure(at: opening,
                            "unterminated quoted field: the quote opened here is never closed before the end of the file"))
                    }
                    if row[i] != quote { i += 1; continue }
                    if i + 1 < n, row[i + 1] == quote {
                        hasDoubledQuote = true
                        unescaped.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[segmentStart...i]))
                        i += 2
                        segmentStart = i
                        continue
                    }
                    break
                }
                if invalidOffset < i { return .failure(invalidUTF8(row, at: invalidOffset, line: line)) }
                if hasDoubledQuote {
                    unescaped.append(contentsOf: UnsafeRawBufferPointer(rebasing: row[segmentStart..<i]))
                    fields.append(String(decoding: unescaped, as: UTF8.self))
                } else {
                    fields.append(text(row, (opening + 1)..<i))
                }
                i += 1  // past the closing quote
                if i == n { break }
                if row[i] == comma { i += 1; continue }
                return .failure(failure(at: i,
                    "unexpected text after the closing quote of a quoted field (a field is either fully quoted or not quoted; write a quote inside a quoted field as \"\")"))
            }
            // An unquoted field ends at the next comma; a quote inside it is a character, as
            // mainstream readers take it (`strayQuote` finds it for the row's warning).
            let start = i
            while i < n, row[i] != comma { i += 1 }
            if invalidOffset < i { return .failure(invalidUTF8(row, at: invalidOffset, line: line)) }
            fields.append(text(row, start..<i))
            if i == n { break }
            i += 1  // past the comma
        }
        if let expectedCount, fields.count != expectedCount {
            let offset = fields.count > expectedCount ? (extraFieldOffset ?? n) : n
            let what = fields.count > expectedCount ? "too many fields" : "too few fields"
            return .failure(failure(at: offset,
                "\(what): the row has \(fields.count) field\(fields.count == 1 ? "" : "s") but the header has \(expectedCount)"))
        }
        return .success(fields)
    }

    /// The first quote inside an unquoted field of `row` (kept as a character by `fields`): its
    /// offset and 0-based field number; nil when every quote of the row belongs to a quoted field.
    public static func strayQuote(_ row: UnsafeRawBufferPointer) -> (offset: Int, field: Int)? {
        let quote = CSVScanner.quote, comma = CSVScanner.comma
        let n = row.count
        guard let base = row.baseAddress, memchr(base, Int32(quote), n) != nil else { return nil }
        var i = 0
        var field = 0
        while i <= n {
            if i < n, row[i] == quote {
                // A quoted field: to its closing quote (doubled quotes stay inside), then the comma.
                i += 1
                while i < n {
                    if row[i] == quote {
                        if i + 1 < n, row[i + 1] == quote { i += 2; continue }
                        break
                    }
                    i += 1
                }
                i += 1
                while i < n, row[i] != comma { i += 1 }
            } else {
                while i < n, row[i] != comma {
                    if row[i] == quote { return (i, field) }
                    i += 1
                }
            }
            i += 1
            field += 1
        }
        return nil
    }

    /// The (already validated) UTF-8 text of `row[range]`.
    @inline(__always)
    static func text(_ row: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        UnsafeRawBufferPointer(rebasing: row[range]).withMemoryRebound(to: UInt8.self) { String(decoding: $0, as: UTF8.self) }
    }

    /// The error for the first invalid UTF-8 sequence in `row`.
    static func invalidUTF8(_ row: UnsafeRawBufferPointer, at offset: Int, line: Int) -> CSVRowError {
        let (l, c) = position(of: offset, in: row, line: line)
        let byte = String(row[offset], radix: 16, uppercase: true)
        return CSVRowError(line: l, column: c,
            message: "invalid UTF-8: byte 0x\(byte.count == 1 ? "0" + byte : byte) does not start a valid UTF-8 sequence (the file must be UTF-8 encoded)")
    }

    /// Offset of the first byte that does not begin a valid UTF-8 sequence, or nil when all is valid.
    static func firstInvalidUTF8Offset(_ bytes: UnsafeRawBufferPointer) -> Int? {
        let n = bytes.count
        var i = 0
        guard let base = bytes.baseAddress else { return nil }
        while i < n {
            if i + 8 <= n, base.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            if bytes[i] < 0x80 { i += 1; continue }
            let length = UTF8Bytes.sequenceLength(bytes, at: i, end: n)
            guard length > 0 else { return i }
            i += length
        }
        return nil
    }

    /// The 1-based line and character column of byte `offset` in a row starting at the start of `line`.
    static func position(of offset: Int, in row: UnsafeRawBufferPointer, line: Int) -> (line: Int, column: Int) {
        var l = line
        var column = 1
        var i = 0
        let end = min(offset, row.count)
        while i < end {
            let b = row[i]
            if b == CSVScanner.newline || (b == CSVScanner.carriageReturn && (i + 1 >= row.count || row[i + 1] != CSVScanner.newline)) {
                l += 1
                column = 1
            }
            else if b & 0xC0 != 0x80 { column += 1 }  // count scalars: skip continuation bytes
            i += 1
        }
        return (l, column)
    }
}
