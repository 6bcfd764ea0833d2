import Hummingbird
import MigrationCore

/// Routes like Authgear's httprouter (404/405/trailing-slash redirects) and applies HTTP faults to `/_api/`.
struct SandboxRouter: Sendable {
    static let importPath = "/_api/admin/users/import"
    let state: SandboxState
    let importAPI: ImportAPI
    let graphQL: GraphQLAPI
    let exportAPI: ExportAPI
    let objects: ExportObjects
    let control: ControlAPI

    init(state: SandboxState) {
        self.state = state
        self.importAPI = ImportAPI(state: state)
        self.graphQL = GraphQLAPI(state: state, auth: importAPI)
        self.exportAPI = ExportAPI(state: state, auth: importAPI)
        self.objects = ExportObjects(state: state)
        self.control = ControlAPI(state: state)
    }

    func respond(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        let path = request.uri.path
        if path.hasPrefix(ExportObjects.pathPrefix), path.count > ExportObjects.pathPrefix.count {
            return await objects.get(request, key: String(path.dropFirst(ExportObjects.pathPrefix.count)))
        }
        if path.hasPrefix("/_sandbox/") {
            return try await control.handle(request, path: path) ?? HTTPReply.notFound
        }
        guard path.hasPrefix("/_api/") || GraphQLAPI.paths.contains(path) else { return route(request, path: path) ?? HTTPReply.notFound }
        let (latency, action) = await state.drawHTTPFaults(method: request.method.rawValue)
        if latency > 0 { try? await Task.sleep(nanoseconds: UInt64(latency) * 1_000_000) }
        switch action {
        case .rateLimit(let seconds)?:
            return HTTPReply.text("Too Many Requests", status: .tooManyRequests, extra: [.retryAfter: String(seconds)])
        case .status(let code, processed: false)?:
            return Self.faultResponse(code)
        default:
            break
        }
        let response = try await dispatch(request, path: path, context: context)
        switch action {
        case .status(let code, processed: true)?:
            return Self.faultResponse(code)
        case .dropAfterRead?:
            try? await context.channel.close(mode: .all)
            return response
        default:
            return response
        }
    }

    private func dispatch(_ request: Request, path: String, context: SandboxRequestContext) async throws -> Response {
        if path == Self.importPath {
            guard request.method == .post else { return notAllowed(request, allow: "OPTIONS, POST") }
            return try await importAPI.create(request, context: context)
        }
        if path == ExportAPI.path {
            guard request.method == .post else { return notAllowed(request, allow: "OPTIONS, POST") }
            return try await exportAPI.create(request, context: context)
        }
        if let id = ExportAPI.taskID(path) {
            guard request.method == .get else { return notAllowed(request, allow: "GET, OPTIONS") }
            return await exportAPI.get(request, id: id)
        }
        if GraphQLAPI.paths.contains(path) {
            guard request.method == .post || request.method == .get else { return notAllowed(request, allow: "GET, OPTIONS, POST") }
            return try await graphQL.handle(request, context: context)
        }
        if let id = Self.jobID(path) {
            guard request.method == .get else { return notAllowed(request, allow: "GET, OPTIONS") }
            return await importAPI.get(request, id: id)
        }
        return route(request, path: path) ?? HTTPReply.notFound
    }

    /// Trailing-slash redirects (301 GET / 307 others) when the path without the slash is a route for the method.
    private func route(_ request: Request, path: String) -> Response? {
        guard path.count > 1, path.hasSuffix("/") else { return nil }
        let trimmed = String(path.dropLast())
        let isRoute = (trimmed == Self.importPath && request.method == .post)
            || (Self.jobID(trimmed) != nil && request.method == .get)
            || (trimmed == ExportAPI.path && request.method == .post)
            || (ExportAPI.taskID(trimmed) != nil && request.method == .get)
        guard isRoute else { return nil }
        var location = trimmed
        if let query = request.uri.query, !query.isEmpty { location += "?" + query }
        return HTTPReply.redirect(to: location, get: request.method == .get)
    }

    private func notAllowed(_ request: Request, allow: String) -> Response {
        if request.method == .options {
            return Response(status: .ok, headers: [.allow: allow])
        }
        return HTTPReply.methodNotAllowed(allow: allow)
    }

    /// `{id}` of `/_api/admin/users/import/{id}` (one non-empty segment).
    static func jobID(_ path: String) -> String? {
        let prefix = importPath + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let id = path.dropFirst(prefix.count)
        guard !id.isEmpty, !id.contains("/") else { return nil }
        return String(id)
    }

    static func faultResponse(_ code: Int) -> Response {
        if code == 500 { return HTTPReply.error(.unexpected) }
        // `Status(code:)` has an empty reason phrase: take the canonical one of a known status.
        let status = Self.faultStatuses.first { $0.code == code } ?? HTTPResponse.Status(code: code)
        return HTTPReply.text(status.reasonPhrase.isEmpty ? "Error \(code)" : status.reasonPhrase, status: status)
    }

    /// Statuses a fault rule may answer that have a canonical reason phrase (plain-text body).
    private static let faultStatuses: [HTTPResponse.Status] = [
        .badRequest, .unauthorized, .forbidden, .notFound, .methodNotAllowed, .requestTimeout, .conflict,
        .contentTooLarge, .unsupportedMediaType, .tooManyRequests, .internalServerError, .notImplemented,
        .badGateway, .serviceUnavailable, .gatewayTimeout,
    ]
}
