/// Strict UTF-8 checks on raw bytes (RFC 3629: no overlong forms, no surrogates, nothing above
/// U+10FFFF), shared by the JSON parser, the CSV row parser and the sandbox's request decoder.
public enum UTF8Bytes {
    /// The length (2–4) of the valid multi-byte sequence starting at `i` and ending before `end`,
    /// or 0 when the bytes there are not one (invalid lead byte, bad continuation, truncated).
    /// ASCII bytes are the caller's fast path and are not handled here.
    @inline(__always)
    public static func sequenceLength(_ bytes: UnsafeRawBufferPointer, at i: Int, end: Int) -> Int {
        let b0 = bytes[i]
        let length: Int
        var low: UInt8 = 0x80, high: UInt8 = 0xBF   // allowed range of the second byte
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; low = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; high = 0x9F
        case 0xF0: length = 4; low = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; high = 0x8F
        default: return 0
        }
        guard i + length <= end else { return 0 }
        let b1 = bytes[i + 1]
        guard b1 >= low, b1 <= high else { return 0 }
        var k = 2
        while k < length {
            if bytes[i + k] & 0xC0 != 0x80 { return 0 }
            k += 1
        }
        return length
    }
}
