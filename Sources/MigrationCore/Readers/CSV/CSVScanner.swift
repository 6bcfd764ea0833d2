import Foundation

/// The byte range of one CSV data row (line terminator excluded) and the line it starts on.
public struct CSVRowRange: Sendable, Equatable {
    /// Offset of the row's first byte.
    public let start: Int
    /// Offset just past the row's last byte (before `\r\n` / `\n`, or the end of the file).
    public let end: Int
    /// 1-based line number of the row's first byte.
    public let line: Int

    public init(start: Int, end: Int, line: Int) {
        self.start = start
        self.end = end
        self.line = line
    }
}

/// How a scan ended: where it stopped and whether the file ended inside an open quoted field.
public struct CSVScanEnd: Sendable, Equatable {
    /// Offset where scanning stopped: the end of the file, or the start of the row after the one
    /// for which `body` returned false.
    public let offset: Int
    /// The 1-based line at `offset`.
    public let nextLine: Int
    /// Whether `body` returned false (the scan was cancelled before the end of the file).
    public let cancelled: Bool
    /// When the file ended inside a quoted field: the 1-based line where that quote opened.
    /// The swallowed rest of the file was still delivered as one final row (parsing it reports the error).
    public let unterminatedQuoteLine: Int?
    /// When the file ended inside a quoted field: the offset of that quote and of its row's start.
    public let unterminatedQuoteOffset: Int?
    public let unterminatedRowStart: Int?

    public init(offset: Int, nextLine: Int, cancelled: Bool, unterminatedQuoteLine: Int?,
                unterminatedQuoteOffset: Int? = nil, unterminatedRowStart: Int? = nil) {
        self.offset = offset
        self.nextLine = nextLine
        self.cancelled = cancelled
        self.unterminatedQuoteLine = unterminatedQuoteLine
        self.unterminatedQuoteOffset = unterminatedQuoteOffset
        self.unterminatedRowStart = unterminatedRowStart
    }
}

/// Finds CSV (RFC 4180) row boundaries in raw bytes without allocating per row.
///
/// A `"` opens a quoted field only at the start of a field (row start or after `,`), as in the
/// row parser, so a stray quote inside an unquoted field never shifts the boundaries of other rows
/// (it is kept as a character, as Python's csv module and spreadsheets keep it).
/// Rows end at `\r\n`, `\n` or a lone `\r` outside quotes. Blank lines are skipped; so are
/// comment lines starting with `#` before the header. Lone `\r`s count as line ends in line numbers.
public enum CSVScanner {
    static let quote: UInt8 = 0x22
    static let comma: UInt8 = 0x2C
    static let newline: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D

    /// Scans rows from `offset` (after the header), calling `body` for each row; returns false from body to stop (cancellation).
    public static func scanRows(
        _ bytes: UnsafeRawBufferPointer, from offset: Int, startLine: Int, _ body: (CSVRowRange) -> Bool
    ) -> CSVScanEnd {
        let count = bytes.count
        guard let base = bytes.baseAddress, offset < count else {
            return CSVScanEnd(offset: max(offset, count), nextLine: startLine, cancelled: false, unterminatedQuoteLine: nil)
        }
        var pos = offset
        var line = startLine
        var rowStart = offset
        var rowLine = startLine
        while true {
            // Outside quotes: the next `"` or `\n`.
            let hit = nextQuoteOrNewline(base, from: pos, count: count)
            if hit == count {
                if rowStart < count {
                    let range = CSVRowRange(start: rowStart, end: count, line: rowLine)
                    if !body(range) { return CSVScanEnd(offset: count, nextLine: line, cancelled: true, unterminatedQuoteLine: nil) }
                }
                return CSVScanEnd(offset: count, nextLine: line, cancelled: false, unterminatedQuoteLine: nil)
            }
            let hitByte = base.load(fromByteOffset: hit, as: UInt8.self)
            if hitByte == newline || hitByte == carriageReturn {
                let end = hit
                line += 1
                pos = hit + 1
                // `\r\n` is one line end.
                if hitByte == carriageReturn, pos < count, base.load(fromByteOffset: pos, as: UInt8.self) == newline { pos += 1 }
                if end > rowStart {
                    let range = CSVRowRange(start: rowStart, end: end, line: rowLine)
                    if !body(range) { return CSVScanEnd(offset: pos, nextLine: line, cancelled: true, unterminatedQuoteLine: nil) }
                }
                rowStart = pos
                rowLine = line
                continue
            }
            // A quote: it opens a quoted field only at a field start; otherwise it is a stray quote
            // (reported by the row parser) and scanning goes on outside quotes.
            pos = hit + 1
            guard hit == rowStart || base.load(fromByteOffset: hit - 1, as: UInt8.self) == comma else { continue }
            let quoteLine = line
            var closed = false
            while !closed {
                let q = nextQuoteOrNewline(base, from: pos, count: count)
                if q == count {
                    let range = CSVRowRange(start: rowStart, end: count, line: rowLine)
                    let cancelled = !body(range)
                    return CSVScanEnd(offset: count, nextLine: line, cancelled: cancelled, unterminatedQuoteLine: quoteLine,
                                      unterminatedQuoteOffset: hit, unterminatedRowStart: rowStart)
                }
                let b = base.load(fromByteOffset: q, as: UInt8.self)
                if b == newline || b == carriageReturn {
                    // Inside quotes a line end is part of the field; `\r\n` counts as one line.
                    if b == newline || q + 1 >= count || base.load(fromByteOffset: q + 1, as: UInt8.self) != newline { line += 1 }
                    pos = q + 1
                } else if q + 1 < count, base.load(fromByteOffset: q + 1, as: UInt8.self) == quote {
                    pos = q + 2  // doubled quote: still inside
                } else {
                    pos = q + 1
                    closed = true
                }
            }
        }
    }

    /// Parses the header row (skipping a UTF-8 BOM, leading blank lines and `#` comment lines);
    /// returns its fields, the offset after it and the line number of the next row.
    public static func header(_ bytes: UnsafeRawBufferPointer) throws -> (fields: [String], end: Int, nextLine: Int) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        var line = 1
        // Blank lines and `#` comments before the header.
        while start < bytes.count {
            let b = bytes[start]
            if b == newline { start += 1; line += 1; continue }
            if b == carriageReturn {
                start += 1
                if start < bytes.count, bytes[start] == newline { start += 1 }
                line += 1
                continue
            }
            guard b == UInt8(ascii: "#") else { break }
            while start < bytes.count, bytes[start] != newline, bytes[start] != carriageReturn { start += 1 }
        }
        var headerRange: CSVRowRange?
        let scanEnd = scanRows(bytes, from: start, startLine: line) { range in
            headerRange = range
            return false
        }
        guard let range = headerRange else {
            throw CSVRowError(line: 1, column: 1, message: "the file has no header row (it is empty)")
        }
        let row = UnsafeRawBufferPointer(rebasing: bytes[range.start..<range.end])
        switch CSVRowParser.fields(row, line: range.line) {
        case .success(let fields): return (fields, scanEnd.offset, scanEnd.nextLine)
        case .failure(let error):
            throw CSVRowError(line: error.line, column: error.column, message: "header row: " + error.message)
        }
    }

    /// Offset of the next `"`, `\n` or `\r` at or after `from`, or `count`. Reads 8 bytes at a time.
    @inline(__always)
    static func nextQuoteOrNewline(_ base: UnsafeRawPointer, from: Int, count: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = ones &* UInt64(quote)
        let newlines = ones &* UInt64(newline)
        let returns = ones &* UInt64(carriageReturn)
        var i = from
        while i + 8 <= count {
            let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            let q = word ^ quotes
            let n = word ^ newlines
            let r = word ^ returns
            // Classic "has zero byte": exact for the lowest flagged byte, which is all we use.
            let found = ((q &- ones) & ~q & highs) | ((n &- ones) & ~n & highs) | ((r &- ones) & ~r & highs)
            if found != 0 { return i + found.trailingZeroBitCount >> 3 }
            i += 8
        }
        while i < count {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == quote || b == newline || b == carriageReturn { return i }
            i += 1
        }
        return count
    }
}
