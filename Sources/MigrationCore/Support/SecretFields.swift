/// Which record fields hold secrets: password hashes, TOTP secrets, and anything whose name says
/// it is a secret, key or token. The one definition that the TUI (which masks them on screen) and
/// the error excerpts of a source file (which never print them) share.
public enum SecretFields {
    /// Pointers that are secrets whatever the words below say.
    public static let exactPointers: Set<String> = ["/password/password_hash", "/mfa/password/password_hash", "/mfa/totp/secret"]
    /// A field whose name contains one of these is a secret at any depth, with everything under it.
    public static let words = ["password", "secret", "token", "private_key", "privatekey", "api_key", "apikey", "hash", "otp"]

    /// True for a field name that carries a secret at any depth (its value and everything under it).
    /// `password` itself is not one: in a record it is the object that holds `type` and `password_hash`.
    public static func isSecretField(_ key: String) -> Bool {
        let k = key.lowercased()
        return k != "password" && k != "mfa" && words.contains { k.contains($0) }
    }

    /// True for a field name whose scalar value is a secret: a secret field, or `password` holding
    /// a plain string (a plaintext password where the record should have a hash object).
    public static func isSecretLeaf(_ key: String) -> Bool {
        isSecretField(key) || key.lowercased() == "password"
    }

    /// True when the value at `pointer` must be masked.
    public static func isSecret(_ pointer: JSONPointer) -> Bool {
        if exactPointers.contains(pointer.description) { return true }
        if let last = pointer.tokens.last, last.lowercased() == "password" { return true }
        return pointer.tokens.contains { isSecretField($0) }
    }
}
