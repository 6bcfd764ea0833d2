/// Word-at-a-time skipping over the plain bytes of JSON strings, which make up most of a
/// source file: eight bytes are tested at once for a quote, a backslash or a control
/// character (and, on request, a non-ASCII byte), then the exact byte is found one by one.
enum ByteRun {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The first index in `i..<n` whose byte is `"`, `\`, below 0x20 or (when
    /// `stopAtNonASCII`) 0x80 or above; `n` when there is none.
    @inline(__always)
    static func plainEnd(_ base: UnsafeRawPointer, from i: Int, to n: Int, stopAtNonASCII: Bool) -> Int {
        var i = i
        while i + 8 <= n {
            let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let quote = x ^ (ones &* 0x22)
            let backslash = x ^ (ones &* 0x5C)
            // "Has a zero byte" / "has a byte below 0x20": exact for the word as a whole.
            var hit = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((x &- ones &* 0x20) & ~x)
            if stopAtNonASCII { hit |= x }
            hit &= highs
            // A borrow can only flag bytes above a true match, so the lowest flag is exact
            // (bytes are loaded little-endian: the first byte is the lowest).
            if hit != 0 { return i + (hit.littleEndian.trailingZeroBitCount >> 3) }
            i += 8
        }
        while i < n {
            let b = base.load(fromByteOffset: i, as: UInt8.self)
            if b == 0x22 || b == 0x5C || b < 0x20 || (stopAtNonASCII && b >= 0x80) { return i }
            i += 1
        }
        return n
    }
}
