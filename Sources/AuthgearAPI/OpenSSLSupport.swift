import COpenSSL

/// Small helpers around libcrypto: the error queue and base64url.
enum OpenSSLSupport {
    /// Drains libcrypto's thread-local error queue into one readable line (oldest first), or
    /// `nil` when the queue was empty. Never contains key material: OpenSSL reasons are
    /// fixed library strings such as `error:1E08010C:DECODER routines::unsupported`.
    static func drainErrors() -> String? {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            let text = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            if !reasons.contains(text) { reasons.append(text) }
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    /// Whether any queued error carries `reason` (e.g. `bad decrypt`), judged on its text.
    static func reasonMentions(_ reasons: String?, _ needle: String) -> Bool {
        reasons?.lowercased().contains(needle) ?? false
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Base64url without padding (RFC 7515 §2).
    static func base64URL<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = iterator.next()
            let n = UInt32(b0) << 16 | UInt32(b1 ?? 0) << 8 | UInt32(b2 ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            if b1 != nil { out.append(alphabet[Int(n >> 6 & 63)]) }
            if b2 != nil { out.append(alphabet[Int(n & 63)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
