import Foundation

/// The one place an `errno` becomes words (`strerror`), so every message about a failed system
/// call reads the same.
public enum SystemError {
    /// The system's text for `code` (the current `errno` by default; read it before any other call).
    public static func text(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }
}
