import MigrationCore

/// Which values never appear on screen unless the operator reveals them: password hashes,
/// TOTP secrets, and anything whose name says it is a secret, key or token.
public enum Secrets {
    /// True for a field name that carries a secret at any depth (the shared definition in MigrationCore).
    public static func isSecretField(_ key: String) -> Bool { SecretFields.isSecretField(key) }

    /// True when the value at `pointer` must be masked (the shared definition in MigrationCore).
    public static func isSecret(_ pointer: JSONPointer) -> Bool { SecretFields.isSecret(pointer) }

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
