import MigrationCore

/// Which values never appear on screen unless the operator reveals them: password hashes,
/// TOTP secrets, and anything whose name says it is a secret, key or token.
public enum Secrets {
    static let exactPointers: Set<String> = ["/password/password_hash", "/mfa/password/password_hash", "/mfa/totp/secret"]
    static let words = ["password", "secret", "token", "private_key", "privatekey", "api_key", "apikey", "hash", "otp"]

    /// True for a field name that carries a secret at any depth.
    public static func isSecretField(_ key: String) -> Bool {
        let k = key.lowercased()
        return k != "password" && k != "mfa" && words.contains { k.contains($0) }
    }

    /// True when the value at `pointer` must be masked.
    public static func isSecret(_ pointer: JSONPointer) -> Bool {
        if exactPointers.contains(pointer.description) { return true }
        return pointer.tokens.contains { isSecretField($0) }
    }

    /// The value with every secret string replaced by `••••••` (lengths are not shown either).
    public static func masked(_ value: JSONValue, at pointer: JSONPointer = .root) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(members.map { JSONMember($0.key, masked($0.value, at: pointer.appending($0.key))) })
        case .array(let items):
            return .array(items.enumerated().map { masked($0.element, at: pointer.appending($0.offset)) })
        case .string, .number:
            return isSecret(pointer) ? .string(mask) : value
        default:
            return value
        }
    }

    public static let mask = "••••••"
}
