import Foundation

/// The Authgear import record's field paths a CSV column can map to, and their default conversions.
enum CSVRecordFields {
    /// Top-level record fields, in the schema's order.
    static let topLevel: [String] = [
        "email", "phone_number", "preferred_username", "email_verified", "phone_number_verified", "disabled",
        "account_valid_from", "account_valid_until", "name", "given_name", "family_name", "middle_name",
        "nickname", "gender", "profile", "website", "picture", "birthdate", "zoneinfo", "locale", "address",
        "custom_attributes", "roles", "groups", "password", "mfa",
    ]
    static let topLevelSet = Set(topLevel)
    static let booleanFields: Set<String> = ["email_verified", "phone_number_verified", "disabled"]
    static let listFields: Set<String> = ["roles", "groups"]
    /// Paths whose value is an object: a column mapped to one of these parses its cells as JSON by default.
    static let objectPaths: Set<[String]> = [
        ["address"], ["custom_attributes"], ["password"], ["mfa"], ["mfa", "password"], ["mfa", "totp"],
    ]
    static let passwordKeys: Set<String> = ["type", "password_hash", "expire_after"]
    /// Where an implied `type: "bcrypt"` goes when only the hash is mapped.
    static let passwordObjects: [[String]] = [["password"], ["mfa", "password"]]

    /// A human list of what a field path may be, for error messages.
    static let allowedDescription = "one of " + topLevel.joined(separator: ", ")
        + ", or a nested path: password.type, password.password_hash, password.expire_after, address.<key>, "
        + "custom_attributes.<attribute>, mfa.email, mfa.phone_number, mfa.password.type, "
        + "mfa.password.password_hash, mfa.password.expire_after, mfa.totp.secret"

    /// Whether `path` names a field of the record schema (`address.*` and `custom_attributes.*` take any key).
    static func isKnown(_ path: [String]) -> Bool {
        guard let first = path.first, topLevelSet.contains(first), !path.contains(where: \.isEmpty) else { return false }
        switch path.count {
        case 1: return true
        case 2:
            switch first {
            case "address", "custom_attributes": return true
            case "password": return passwordKeys.contains(path[1])
            case "mfa": return ["email", "phone_number", "password", "totp"].contains(path[1])
            default: return false
            }
        case 3:
            guard first == "mfa" else { return false }
            if path[1] == "password" { return passwordKeys.contains(path[2]) }
            return path[1] == "totp" && path[2] == "secret"
        default:
            return false
        }
    }

    /// The field a header maps to by default (the header names it, `password_hash` meaning
    /// `password.password_hash`), or nil.
    static func defaultPath(forHeader header: String) -> [String]? {
        if header == "password_hash" { return ["password", "password_hash"] }
        let path = header.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        return isKnown(path) ? path : nil
    }

    /// The conversion used when the mapping does not give a type.
    static func defaultType(for path: [String]) -> CSVValueType {
        if path.count == 1, booleanFields.contains(path[0]) { return .boolean }
        if path.count == 1, listFields.contains(path[0]) { return .list }
        if objectPaths.contains(path) { return .json }
        return .string
    }
}
