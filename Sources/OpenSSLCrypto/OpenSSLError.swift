import COpenSSL

/// A libcrypto failure, worded from OpenSSL's thread-local error queue.
///
/// The one place that turns the queue into a Swift error. Never contains key material:
/// OpenSSL reasons are fixed library strings such as `error:1E08010C:DECODER routines::unsupported`.
public struct OpenSSLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// OpenSSL's reasons (oldest first, `; `-separated), or the caller's fallback when the queue was empty.
    public let reason: String

    /// An error with `reason` as its text.
    public init(reason: String) { self.reason = reason }

    public var description: String { reason }

    /// Drains the queue into an error; `fallback` words it when OpenSSL queued nothing.
    static func drain(fallback: String) -> OpenSSLError {
        OpenSSLError(reason: drainQueue() ?? fallback)
    }

    /// Empties the queue before a call whose failure will be read from it.
    static func clearQueue() { ERR_clear_error() }

    /// Drains libcrypto's error queue into one readable line (oldest first, repeats dropped),
    /// or `nil` when the queue was empty.
    static func drainQueue() -> String? {
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
}
