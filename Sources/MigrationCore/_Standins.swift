// TEMPORARY stand-ins until helpers deliver. NOT COMMITTED.
public enum FormatRules {
    public static func email(_ s: String) -> String? { s.contains("@") ? nil : "invalid email address: mail: missing '@' or angle-addr" }
    public static func dateTime(_ s: String) -> String? { RFC3339.instant(s) == nil ? "date-time must be in rfc3339 format" : nil }
    public static func birthdate(_ s: String) -> String? { nil }
    public static func timezone(_ s: String) -> String? { nil }
    public static func bcp47(_ s: String) -> String? { nil }
    public static func uri(_ s: String) -> String? { nil }
    public static func picture(_ s: String) -> String? { nil }
}
public struct ParsedPhoneNumber: Sendable, Equatable { public let e164: String }
public enum PhoneNumberCheck: Sendable, Equatable { case valid(ParsedPhoneNumber); case notE164; case invalid
    public var errorMessage: String? { switch self { case .valid: return nil; case .notE164: return "not in E.164 format"; case .invalid: return "invalid phone number" } } }
public enum PhoneNumbers { public static func check(_ input: String, method: PhoneValidationMethod) -> PhoneNumberCheck { input.hasPrefix("+") ? .valid(ParsedPhoneNumber(e164: input)) : .notE164 } }
public struct LoginIDFailure: Error, Sendable, Equatable { public let kind: String; public let details: JSONValue?; public var message: String }
public enum LoginIDRules { public static func normalize(_ raw: String, type: LoginIDType, project: ProjectConfig) -> Result<String, LoginIDFailure> { .success(raw.lowercased()) } }
public struct PasswordHashFailure: Sendable, Equatable { public let name: String; public let reason: String; public let message: String }
public enum PasswordHashRules { public static func check(_ hash: String) -> PasswordHashFailure? { hash.utf8.count < 59 ? PasswordHashFailure(name: "Invalid", reason: "InvalidBcryptHash", message: "crypto/bcrypt: hashedSecret too short to be a bcrypted password") : nil } }
public enum TOTPSecretRules { public static func check(_ secret: String) -> String? { nil } }
public struct CSVRowRange: Sendable, Equatable { public let start: Int; public let end: Int; public let line: Int }
public struct CSVScanEnd { public var unterminatedQuoteLine: Int? }
public struct CSVRowError: Error, Sendable, Equatable { public let line: Int; public let column: Int; public let message: String }
public enum CSVScanner {
    public static func header(_ bytes: UnsafeRawBufferPointer) throws -> (fields: [String], end: Int, nextLine: Int) { ([], 0, 1) }
    public static func scanRows(_ bytes: UnsafeRawBufferPointer, from offset: Int, startLine: Int, _ body: (CSVRowRange) -> Bool) -> CSVScanEnd { CSVScanEnd() }
}
public enum CSVRowParser { public static func fields(_ row: UnsafeRawBufferPointer, line: Int) -> Result<[String], CSVRowError> { .success([]) } }
public struct CSVMapping: Sendable { public var unknownHeaders: [String] { [] }; public init(header: [String], mappingFile: JSONValue?) throws {}
    public func record(from fields: [String], line: Int) -> Result<JSONValue, CSVRowError> { .success(.object([])) } }
