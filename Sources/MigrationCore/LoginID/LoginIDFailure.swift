/// One failure cause exactly as the server reports it at `"/login_id"`: `kind` + `details`.
///
/// The server wraps it as `{"name":"Invalid","reason":"ValidationFailed","message":"invalid login ID",
/// "code":400,"info":{"causes":[{"location":"/login_id","kind":…,"details":…}]}}` — except when
/// `isUnexpectedError` is set: then the value passed validation but the server's normaliser
/// failed on it and the record fails with `InternalError`/`UnexpectedError` instead.
public struct LoginIDFailure: Error, Sendable, Equatable {
    /// The cause's `kind`: `maxLength`, `required`, `format`, `blocked` or `general`.
    public let kind: String
    /// The cause's `details` (nil when the server emits none, as for `required`).
    public let details: JSONValue?
    /// Human text built from kind and details, e.g. `username is reserved`.
    public var message: String
    /// True when the server fails the record with `UnexpectedError` rather than a login-ID cause.
    public let isUnexpectedError: Bool

    public init(kind: String, details: JSONValue?, message: String, isUnexpectedError: Bool = false) {
        self.kind = kind
        self.details = details
        self.message = message
        self.isUnexpectedError = isUnexpectedError
    }

    /// The cause object as the server emits it inside `info.causes`.
    public var cause: JSONValue {
        var members = [JSONMember("location", .string("/login_id")), JSONMember("kind", .string(kind))]
        if let details { members.append(JSONMember("details", details)) }
        return .object(members)
    }

    static func maxLength(actual: Int, expected: Int) -> LoginIDFailure {
        LoginIDFailure(kind: "maxLength",
                       details: .obj(["actual": .number(String(actual)), "expected": .number(String(expected))]),
                       message: "login ID is too long: \(actual) bytes, at most \(expected) allowed")
    }

    static func general(_ msg: String) -> LoginIDFailure {
        LoginIDFailure(kind: "general", details: .obj(["msg": .string(msg)]), message: msg)
    }

    static let required = LoginIDFailure(kind: "required", details: nil, message: "login ID is required")

    static func format(_ format: String) -> LoginIDFailure {
        let noun = ["email": "email address", "username": "username", "phone": "phone number"][format] ?? format
        return LoginIDFailure(kind: "format", details: .obj(["format": .string(format)]), message: "invalid \(noun)")
    }

    static func blocked(_ reason: String) -> LoginIDFailure {
        let text: String
        switch reason {
        case "UsernameReserved": text = "username is reserved"
        case "UsernameExcludedKeywords": text = "username contains an excluded keyword"
        case "BlockPlusSign": text = "email address with '+' is not allowed"
        case "PhoneNumberCountryCodeAllowlist": text = "phone number country is not allowed"
        default: text = "login ID is blocked (\(reason))"
        }
        return LoginIDFailure(kind: "blocked", details: .obj(["reason": .string(reason)]), message: text)
    }

    static func unexpected(_ detail: String) -> LoginIDFailure {
        LoginIDFailure(kind: "UnexpectedError", details: nil,
                       message: "unexpected error occurred (\(detail))", isUnexpectedError: true)
    }
}
