import Hummingbird
import MigrationCore

/// `POST /_api/admin/graphql` (alias `/graphql`), spec §11: the Admin API's transport checks, the
/// 5-mutation pre-check, then one operation executed as one transaction.
struct GraphQLAPI: Sendable {
    static let paths: Set<String> = ["/_api/admin/graphql", "/graphql"]
    /// The server-wide body cap (`pkg/lib/infra/middleware/body_limit.go`).
    static let bodyMaxSize = 1_048_576
    static let mutationLimit = 5

    let state: SandboxState
    let auth: ImportAPI

    func handle(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        guard await auth.isAuthorized(request) else { return HTTPReply.forbidden }
        if request.method == .get {
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: Self.graphiQLPage)))
        }
        let contentType = request.headers[.contentType]
        guard ContentTypeRules.isAcceptable(contentType) else {
            return HTTPReply.text("invalid content type: \(contentType ?? "")", status: .unsupportedMediaType)
        }
        guard let body = try await ImportAPI.readBody(request, limit: Self.bodyMaxSize) else {
            context.channel.close(mode: .input, promise: nil)
            var response = HTTPReply.error(APIError.bodyTooLarge(limit: Self.bodyMaxSize))
            response.headers[.connection] = "close"
            return response
        }
        let query: String
        var variables: JSONValue?
        var operationName: String?
        if ContentTypeRules.parse(contentType ?? "")?.0 == "application/graphql" {
            query = String(decoding: body, as: UTF8.self)
        } else {
            switch GoJSONBody.decode(body) {
            case .failure(let error): return HTTPReply.error(error)
            case .success(let decoded):
                if let trailing = decoded.trailing { return HTTPReply.error(trailing) }
                guard case .object = decoded.value else { return HTTPReply.error(.unexpected) }
                let value = decoded.value
                guard let q = value["query"].map({ $0.isNull ? "" : $0.stringValue }) ?? "" else { return HTTPReply.error(.unexpected) }
                query = q
                switch value["variables"] {
                case nil, .null?: variables = nil
                case .object?: variables = value["variables"]
                case .string(let text)?:
                    guard let parsed = try? JSONParser.parse(Array(text.utf8)), case .object = parsed else { return HTTPReply.error(.unexpected) }
                    variables = parsed
                default: return HTTPReply.error(.unexpected)
                }
                switch value["operationName"] {
                case nil, .null?: operationName = nil
                case .string(let name)?: operationName = name.isEmpty ? nil : name
                default: return HTTPReply.error(.unexpected)
                }
            }
        }
        let document: GraphQLDocument
        do {
            document = try GraphQLParser.parse(query)
        } catch {
            guard error.unsupported else { return HTTPReply.error(.unexpected) }
            return Self.reply(data: .null, errors: [GraphQLResponseError(message: error.message, location: error.location)])
        }
        let mutations = Self.mutationFieldCount(document)
        if mutations > Self.mutationLimit {
            return HTTPReply.error(APIError(name: "BadRequest", reason: "BadRequest",
                                            message: "too many mutation fields in one request: got \(mutations), limit is \(Self.mutationLimit)", code: 400))
        }
        let operation: GraphQLOperation
        switch Self.select(document, name: operationName) {
        case .failure(let error): return Self.reply(data: .null, errors: [error])
        case .success(let op): operation = op
        }
        var validator = GraphQLValidator(document: document)
        validator.validate(operation)
        if !validator.errors.isEmpty { return Self.reply(data: .null, errors: validator.errors) }
        let coerced = GraphQLValidator.coerceVariables(operation, values: variables)
        if !coerced.errors.isEmpty { return Self.reply(data: .null, errors: coerced.errors) }
        let answer = await state.executeGraphQL(document, operation: operation, variables: coerced.values)
        return HTTPReply.json(answer, status: .ok, contentType: "application/json; charset=utf-8")
    }

    /// The operation to run: the named one, or the only one.
    static func select(_ document: GraphQLDocument, name: String?) -> Result<GraphQLOperation, GraphQLResponseError> {
        let operation: GraphQLOperation
        if let name {
            guard let op = document.operations.first(where: { $0.name == name }) else {
                return .failure(GraphQLResponseError(message: "Unknown operation named \"\(name)\".", location: nil))
            }
            operation = op
        } else {
            guard document.operations.count == 1 else {
                return .failure(GraphQLResponseError(message: "Must provide operation name if query contains multiple operations.", location: nil))
            }
            operation = document.operations[0]
        }
        if operation.kind == .subscription {
            return .failure(GraphQLResponseError(message: "Schema is not configured for subscriptions.", location: operation.location))
        }
        return .success(operation)
    }

    /// Top-level fields of every mutation operation, counting aliases, inline fragments and fragment spreads.
    static func mutationFieldCount(_ document: GraphQLDocument) -> Int {
        func count(_ selections: [GraphQLSelection], _ visiting: Set<String>) -> Int {
            selections.reduce(0) { n, s in
                switch s {
                case .field: return n + 1
                case .inlineFragment(_, let inner, _): return n + count(inner, visiting)
                case .fragmentSpread(let name, _):
                    guard !visiting.contains(name), let f = document.fragments[name] else { return n }
                    return n + count(f.selections, visiting.union([name]))
                }
            }
        }
        return document.operations.filter { $0.kind == .mutation }.reduce(0) { $0 + count($1.selections, []) }
    }

    /// `{"data": …, "errors": […]}` (errors omitted when empty), as graphql-go's `Result`.
    static func response(data: JSONValue, errors: [GraphQLResponseError]) -> JSONValue {
        var members = [JSONMember("data", data)]
        if !errors.isEmpty { members.append(JSONMember("errors", .array(errors.map(\.json)))) }
        return .object(members)
    }

    static func reply(data: JSONValue, errors: [GraphQLResponseError]) -> Response {
        HTTPReply.json(response(data: data, errors: errors), status: .ok, contentType: "application/json; charset=utf-8")
    }

    static let graphiQLPage = "<!DOCTYPE html>\n<html><head><title>GraphiQL</title></head><body>"
        + "<p>Admin API GraphQL (sandbox): POST a query to this path.</p></body></html>\n"
}
