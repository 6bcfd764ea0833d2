/// Literals, numbers and strings (escapes, surrogates, UTF-8) of `JSONParser`.
extension JSONParser {
    mutating func expectLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let start = pos
        var ok = pos + n <= end
        if ok {
            let w = word.utf8Start
            for i in 0..<n where bytes[pos + i] != w[i] { ok = false; break }
        }
        guard ok else {
            throw error("invalid literal starting with \(describe(start)): only true, false and null are allowed", at: start)
        }
        pos += n
    }

    mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number: a digit was expected after '-'", at: pos) }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < end, isDigit(bytes[pos]) { throw error("invalid number: leading zeros are not allowed", at: start) }
        } else {
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number: a digit was expected after '.'", at: pos) }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, bytes[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < end, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number: a digit was expected in the exponent", at: pos) }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    }

    /// Reads a string starting at its opening quote.
    mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = pos
        pos += 1
        let start = pos
        var hasEscape = false
        var nonASCII = false
        // Fast scan to the closing quote.
        while pos < end {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") { hasEscape = true; pos += 2; continue }
            if b < 0x20 { throw error("raw control character \(hex(b)) inside a string: write it as an escape such as \\n or \\u00XX", at: pos) }
            if b >= 0x80 { nonASCII = true }
            pos += 1
        }
        guard pos < end else { throw error("unterminated string (opened here)", at: open) }
        let close = pos
        pos += 1
        if nonASCII { try validateUTF8(start, close) }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<close])
        if !hasEscape { return String(decoding: raw, as: UTF8.self) }
        return try unescape(start, close)
    }

    func unescape(_ start: Int, _ close: Int) throws(JSONSyntaxError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(close - start)
        var i = start
        while i < close {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < close else { throw error("unterminated escape sequence", at: i) }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try hex4(at: i, limit: close)
                i += 4
                var scalar: UInt32
                if (0xD800...0xDBFF).contains(unit) {
                    guard i + 6 <= close, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate \\u\(String(unit, radix: 16, uppercase: true)): a low surrogate \\uDC00-\\uDFFF must follow", at: i - 6)
                    }
                    let low = try hex4(at: i + 2, limit: close)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("unpaired surrogate \\u\(String(unit, radix: 16, uppercase: true)): a low surrogate \\uDC00-\\uDFFF must follow", at: i - 6)
                    }
                    i += 6
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw error("unpaired low surrogate \\u\(String(unit, radix: 16, uppercase: true))", at: i - 6)
                } else {
                    scalar = unit
                }
                appendUTF8(scalar, to: &out)
            default:
                throw error("invalid escape '\\\(describeByte(e))': allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: i - 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    func hex4(at i: Int, limit: Int) throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= limit else { throw error("invalid \\u escape: four hex digits were expected", at: i - 2) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw error("invalid \\u escape: four hex digits were expected", at: i - 2)
            }
            v = v << 4 | d
        }
        return v
    }

    /// Strict UTF-8 (`UTF8Bytes`): no overlong forms, no surrogates, nothing above U+10FFFF.
    func validateUTF8(_ start: Int, _ close: Int) throws(JSONSyntaxError) {
        var i = start
        while i < close {
            if bytes[i] < 0x80 { i += 1; continue }
            let length = UTF8Bytes.sequenceLength(bytes, at: i, end: close)
            guard length > 0 else { throw error("invalid UTF-8 sequence starting with byte \(hex(bytes[i]))", at: i) }
            i += length
        }
    }
}

@inline(__always)
func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80: out.append(UInt8(scalar))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (scalar >> 6)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (scalar >> 12)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (scalar >> 18)))
        out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}

/// A JSON syntax error at a byte offset of the parsed text.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 0-based byte offset into the parsed bytes.
    public let offset: Int
    public var description: String { "\(message) (byte \(offset))" }
}
