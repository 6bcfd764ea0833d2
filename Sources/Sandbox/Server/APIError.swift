import MigrationCore

/// The server's APIError object (spec §3.3): `{name, reason, message, code[, info]}`.
public struct APIError: Error, Sendable, Equatable {
    public var name: String
    public var reason: String
    public var message: String
    public var code: Int
    /// The `info` object (members already in Go's sorted-map order); nil when empty.
    public var info: JSONValue?

    public init(name: String, reason: String, message: String, code: Int, info: JSONValue? = nil) {
        self.name = name
        self.reason = reason
        self.message = message
        self.code = code
        self.info = info
    }

    /// The object in Go's field order.
    public var json: JSONValue {
        var members = [JSONMember("name", .string(name)), JSONMember("reason", .string(reason)),
                       JSONMember("message", .string(message)), JSONMember("code", .number(String(code)))]
        if let info { members.append(JSONMember("info", info)) }
        return .object(members)
    }

    /// `InternalError`/`UnexpectedError`/500, what any non-API error becomes.
    public static let unexpected = APIError(name: "InternalError", reason: "UnexpectedError",
                                            message: "unexpected error occurred", code: 500)
    static let badContentType = APIError(name: "BadRequest", reason: "BadRequest",
                                         message: "request content type is invalid", code: 400)
    static let jsonTooLarge = APIError(name: "RequestEntityTooLarge", reason: "JSONTooLarge", message: "request body too large",
                                       code: 413, info: .obj(["limit": .number(String(ImportRequest.bodyMaxSize))]))
    /// 413 of the server-wide 1 MiB body limit (export and GraphQL routes).
    static func bodyTooLarge(limit: Int) -> APIError {
        APIError(name: "RequestEntityTooLarge", reason: "JSONTooLarge", message: "request body too large",
                 code: 413, info: .obj(["limit": .number(String(limit))]))
    }
    static let taskNotFound = APIError(name: "NotFound", reason: "TaskNotFound", message: "task not found", code: 404)

    static func invalidJSON(_ message: String, offset: Int) -> APIError {
        APIError(name: "BadRequest", reason: "InvalidJSON", message: message, code: 400,
                 info: .obj(["byte_offset": .number(String(offset))]))
    }

    static func validationFailed(_ message: String, causes: [JSONValue]) -> APIError {
        APIError(name: "Invalid", reason: "ValidationFailed", message: message, code: 400,
                 info: .obj(["causes": .array(causes)]))
    }

    static func usageLimitExceeded(period: String) -> APIError {
        APIError(name: "TooManyRequest", reason: "UsageLimitExceeded", message: "usage limit exceeded", code: 429,
                 info: .obj(["name": .string("UserImport"), "period": .string(period), "usage_name": .string("user_import")]))
    }
}
