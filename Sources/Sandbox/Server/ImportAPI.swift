import Hummingbird
import MigrationCore
import OpenSSLCrypto

/// The two User Import endpoints, with the server's order of checks (spec §3.1).
struct ImportAPI: Sendable {
    let state: SandboxState

    /// Check 2: the Admin API JWT against the current project, at the sandbox clock or the wall clock:
    /// a real client mints from its real clock, and `POST /_sandbox/clock` must not lock it out.
    func isAuthorized(_ request: Request) async -> Bool {
        let (project, now) = await (state.project, state.now)
        var keys: [String: RSAKey] = [:]
        for key in project.adminKeys { keys[key.kid] = key.publicKey }
        let verifier = JWTVerifier(projectID: project.config.projectID, keys: keys)
        let header = request.headers[.authorization]
        return verifier.authorizes(header: header, now: Double(now.nanoseconds) / 1e9)
            || verifier.authorizes(header: header, now: Double(SandboxInstant.wallClock().nanoseconds) / 1e9)
    }

    /// `POST /_api/admin/users/import`.
    func create(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        guard await isAuthorized(request) else { return HTTPReply.forbidden }
        let contentType = request.headers[.contentType]
        guard ContentTypeRules.isAcceptable(contentType) else {
            return HTTPReply.text("invalid content type: \(contentType ?? "")", status: .unsupportedMediaType)
        }
        guard ContentTypeRules.isJSON(contentType) else { return HTTPReply.error(.badContentType) }
        guard let body = try await Self.readBody(request, limit: ImportRequest.bodyMaxSize) else {
            // Like Go's MaxBytesReader: stop reading and close the connection after answering.
            context.channel.close(mode: .input, promise: nil)
            var response = HTTPReply.error(.jsonTooLarge)
            response.headers[.connection] = "close"
            return response
        }
        let parsed: ImportRequest
        switch ImportRequest.parse(body: body) {
        case .failure(let error): return HTTPReply.error(error)
        case .success(let request): parsed = request
        }
        if let period = await state.reserveUsage(parsed.records.count) {
            return HTTPReply.error(.usageLimitExceeded(period: period))
        }
        return HTTPReply.result(await state.createJob(parsed))
    }

    /// `GET /_api/admin/users/import/{id}`.
    func get(_ request: Request, id: String) async -> Response {
        guard await isAuthorized(request) else { return HTTPReply.forbidden }
        guard let result = await state.jobResult(id: id) else { return HTTPReply.error(.taskNotFound) }
        return HTTPReply.result(result)
    }

    /// Reads at most `limit` bytes; nil as soon as the body is longer (at most `limit + 1` bytes kept).
    static func readBody(_ request: Request, limit: Int) async throws -> [UInt8]? {
        var bytes: [UInt8] = []
        for try await chunk in request.body {
            if bytes.count + chunk.readableBytes > limit { return nil }
            bytes.append(contentsOf: chunk.readableBytesView)
        }
        return bytes
    }
}
