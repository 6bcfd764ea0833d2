/// One item of a GraphQL response's `errors` (export spec §15).
public struct GraphQLErrorItem: Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var path: [String]
    /// `extensions.errorName` / `extensions.reason` when the error is an APIError.
    public var errorName: String?
    public var reason: String?

    public init(message: String, path: [String] = [], errorName: String? = nil, reason: String? = nil) {
        self.message = message
        self.path = path
        self.errorName = errorName
        self.reason = reason
    }

    public var description: String {
        var text = reason.map { "\($0): \(message)" } ?? message
        if !path.isEmpty { text += " (at \(path.joined(separator: ".")))" }
        return text
    }
}

/// Why an Admin GraphQL call failed. The whole request was rolled back in every case (§11).
public enum AdminGraphQLError: Error, Sendable, Equatable, CustomStringConvertible {
    /// More than 5 top-level mutation fields in one request (400 before execution; also refused
    /// locally before sending).
    case tooManyMutations(count: Int, limit: Int)
    /// The request executed and answered `errors` (HTTP 200): nothing it changed was kept.
    case execution([GraphQLErrorItem])
    /// The answer is not a GraphQL result.
    case unexpectedResponse(status: Int, snippet: String)
    /// An Admin API answer (403, 413, 5xx such as a syntax error) or a transport failure.
    case api(ImportAPIError)

    /// The most mutation fields the server executes in one request.
    public static let mutationLimit = 5

    /// The `reason` of the first execution error (`UserNotFound`, `GetUsersInvalidArgument`…).
    public var reason: String? {
        if case .execution(let items) = self { return items.first?.reason }
        return nil
    }

    public var description: String {
        switch self {
        case .tooManyMutations(let count, let limit):
            return "too many mutation fields in one request: got \(count), limit is \(limit)"
        case .execution(let items):
            return "the Admin GraphQL API answered with errors (nothing of the request was kept): "
                + items.map(\.description).joined(separator: "; ")
        case .unexpectedResponse(let status, let snippet):
            return "unexpected HTTP \(status) answer from the Admin GraphQL endpoint: \(snippet). Check --endpoint / AUTHGEAR_ENDPOINT."
        case .api(let error):
            return error.description
        }
    }
}
