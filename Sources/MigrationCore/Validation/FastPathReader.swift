import Foundation

/// A strict reader of the JSON subset the fast path accepts; every method returns nil/false on
/// anything outside it, so a record it cannot read is never half-judged.
struct FastPathReader {
    let bytes: UnsafeRawBufferPointer
    var pos = 0
    /// Bytes of whitespace between tokens (the compact form leaves them out).
    var whitespace = 0

    init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var atEnd: Bool { pos == bytes.count }
    var compactLength: Int { bytes.count - whitespace }

    @inline(__always)
    mutating func skipWhitespace() {
        while pos < bytes.count {
            let b = bytes[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
            whitespace += 1
        }
    }

    mutating func consume(_ byte: UInt8) -> Bool {
        guard pos < bytes.count, bytes[pos] == byte else { return false }
        pos += 1
        return true
    }

    /// Whitespace, `:`, whitespace.
    mutating func colon() -> Bool {
        skipWhitespace()
        guard consume(UInt8(ascii: ":")) else { return false }
        skipWhitespace()
        return true
    }

    /// After a member or item: `,` (true: another follows) or `close` (false); nil otherwise.
    mutating func next(close: UInt8) -> Bool? {
        skipWhitespace()
        guard pos < bytes.count else { return nil }
        let b = bytes[pos]
        pos += 1
        if b == UInt8(ascii: ",") { skipWhitespace(); return true }
        return b == close ? false : nil
    }

    /// A string without escapes (valid UTF-8, no control characters): the range of its content.
    mutating func plainString() -> Range<Int>? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = pos
        let n = bytes.count
        while pos < n {
            pos = ByteRun.plainEnd(bytes.baseAddress!, from: pos, to: n, stopAtNonASCII: true)
            guard pos < n else { return nil }
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") {
                pos += 1
                return start..<(pos - 1)
            }
            if b < 0x80 {
                return nil   // a backslash or a control character
            } else {
                let length = UTF8Bytes.sequenceLength(bytes, at: pos, end: n)
                guard length > 0 else { return nil }
                pos += length
            }
        }
        return nil
    }

    /// The text of a range of the record (for the rules that take a `String`; usually a small one).
    func string(_ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// A JSON number (RFC 8259 grammar): the range of its text.
    mutating func number() -> Range<Int>? {
        let start = pos
        func digits() -> Int {
            var count = 0
            while pos < bytes.count, (0x30...0x39).contains(bytes[pos]) { pos += 1; count += 1 }
            return count
        }
        _ = consume(UInt8(ascii: "-"))
        guard pos < bytes.count else { return nil }
        if bytes[pos] == 0x30 { pos += 1 } else if digits() == 0 { return nil }
        if consume(UInt8(ascii: ".")), digits() == 0 { return nil }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            if digits() == 0 { return nil }
        }
        return start..<pos
    }

    mutating func boolean() -> Bool? {
        if literal("true") { return true }
        if literal("false") { return false }
        return nil
    }

    mutating func null() -> Bool { literal("null") }

    /// The literal followed by a delimiter (checked by the caller's `next`).
    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard pos + count <= bytes.count else { return false }
        let w = word.utf8Start
        for k in 0..<count where bytes[pos + k] != w[k] { return false }
        pos += count
        return true
    }
}
