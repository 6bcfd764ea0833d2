/// What a legacy password hash is, and whether Authgear can import it.
///
/// Authgear imports bcrypt of the raw password only (`password.type = "bcrypt"`). Everything
/// else — Firebase's modified scrypt, PBKDF2, Argon2, phpass, Django's `bcrypt_sha256`,
/// WordPress's `$wp$2y$` (bcrypt of an HMAC-SHA384 pre-hash) — cannot be carried over: the
/// user is imported without a password. `$wp$` is never stripped into a bcrypt hash: it would
/// import "successfully" and never match the password.
public enum PasswordScheme: Sendable, Equatable {
    /// A bcrypt hash Authgear takes as it is (after removing Django's `bcrypt$` prefix).
    case bcrypt(String)
    /// A hash of a scheme Authgear cannot import, by name.
    case notImportable(String)
    /// No usable password at all (empty, Django's unusable `!…`, WordPress's `*`).
    case none

    /// Classifies `hash`; `hasher` is the scheme the source names beside it (Clerk's
    /// `password_hasher`), `fixed` the scheme the source always uses (Firebase, Keycloak).
    public static func classify(_ hash: String, hasher: String? = nil, fixed: String? = nil) -> PasswordScheme {
        let h = hash.trimmingCharacters(in: .whitespacesAndNewlines)
        if h.isEmpty || h == "*" || h.hasPrefix("!") { return .none }
        if let fixed { return .notImportable(fixed) }
        if let hasher = hasher?.trimmingCharacters(in: .whitespaces), !hasher.isEmpty, hasher.lowercased() != "bcrypt" {
            return .notImportable(hasher)
        }
        if h.hasPrefix("bcrypt$"), isBcrypt(String(h.dropFirst(7))) { return .bcrypt(String(h.dropFirst(7))) }
        if isBcrypt(h) { return .bcrypt(h) }
        return .notImportable(name(of: h))
    }

    /// `$2a$`, `$2b$`, `$2y$`, `$2x$` or `$2$` followed by a two-digit cost: what Go's bcrypt parses.
    static func isBcrypt(_ h: String) -> Bool {
        let b = Array(h.utf8)
        guard b.count >= 7, b[0] == UInt8(ascii: "$"), b[1] == UInt8(ascii: "2") else { return false }
        let costAt: Int
        if b[2] == UInt8(ascii: "$") { costAt = 3 }
        else if [UInt8(ascii: "a"), UInt8(ascii: "b"), UInt8(ascii: "y"), UInt8(ascii: "x")].contains(b[2]), b[3] == UInt8(ascii: "$") { costAt = 4 }
        else { return false }
        return b.count > costAt + 2 && (0x30...0x39).contains(b[costAt]) && (0x30...0x39).contains(b[costAt + 1]) && b[costAt + 2] == UInt8(ascii: "$")
    }

    /// A human name for a hash that is not importable bcrypt.
    static func name(of h: String) -> String {
        let prefixes: [(String, String)] = [
            ("$wp$", "WordPress bcrypt of an HMAC-SHA384 pre-hash ($wp$2y$)"),
            ("$P$", "phpass portable MD5 ($P$)"), ("$H$", "phpass portable MD5 ($H$)"),
            ("$argon2id$", "Argon2id"), ("$argon2i$", "Argon2i"), ("$argon2d$", "Argon2d"),
            ("$fbscrypt$", "Firebase scrypt"), ("$scrypt$", "scrypt"),
            ("$pbkdf2-sha256$", "PBKDF2-SHA256"), ("$pbkdf2-sha512$", "PBKDF2-SHA512"), ("$pbkdf2", "PBKDF2"),
            ("$1$", "MD5-crypt"), ("$5$", "SHA-256-crypt"), ("$6$", "SHA-512-crypt"),
            ("bcrypt_sha256$", "Django bcrypt_sha256 (bcrypt of a SHA-256 pre-hash)"),
            ("pbkdf2_sha256$", "Django PBKDF2-SHA256"), ("pbkdf2_sha1$", "Django PBKDF2-SHA1"),
            ("argon2$", "Django Argon2"), ("scrypt$", "Django scrypt"), ("sha1$", "Django salted SHA-1"),
            ("md5$", "Django salted MD5"), ("unsalted_md5$", "unsalted MD5"), ("unsalted_sha1$", "unsalted SHA-1"),
            ("crypt$", "Django crypt"), ("bcrypt$", "Django bcrypt with an unusable hash"),
        ]
        for (prefix, name) in prefixes where h.hasPrefix(prefix) { return name }
        let hex = h.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) || (0x41...0x46).contains($0) }
        if hex, h.utf8.count == 32 { return "unsalted MD5 (32 hex digits)" }
        if hex, h.utf8.count == 40 { return "unsalted SHA-1 (40 hex digits)" }
        if !h.hasPrefix("$") { return "a hash that is not bcrypt (no $ scheme prefix)" }
        let id = h.dropFirst().prefix(while: { $0 != "$" }).prefix(16)
        return "an unknown scheme ($\(id)$)"
    }

    /// The per-record warning for a hash that cannot be imported.
    public static func notImportableIssue(_ scheme: String, pointer: String = "/password") -> Issue {
        .warning(pointer, rule: "password.not_importable",
                 "the password hash is \(scheme), which Authgear cannot import: the user is imported without a password "
                     + "and must reset it (or sign in passwordless) after the migration")
    }
}

/// Source columns of the presets that hold secrets under names `SecretFields` does not know.
enum PresetSecretColumns {
    static let names: Set<String> = ["user_pass", "salt", "credentials", "custom_password_hash"]
}
