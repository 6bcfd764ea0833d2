import Foundation
import HTTPTypes
import Hummingbird
import MigrationCore

/// The two User Export endpoints, with the server's order of checks (export spec §2.1, §2.2).
struct ExportAPI: Sendable {
    static let path = "/_api/admin/users/export"
    static let disabled = APIError(name: "InternalError", reason: "UserExportDisabled", message: "User export disabled", code: 500)

    let state: SandboxState
    let auth: ImportAPI

    /// `POST /_api/admin/users/export`.
    func create(_ request: Request, context: SandboxRequestContext) async throws -> Response {
        guard await auth.isAuthorized(request) else { return HTTPReply.forbidden }
        let contentType = request.headers[.contentType]
        guard ContentTypeRules.isAcceptable(contentType) else {
            return HTTPReply.text("invalid content type: \(contentType ?? "")", status: .unsupportedMediaType)
        }
        guard await state.project.userExportEnabled else { return HTTPReply.error(Self.disabled) }
        guard ContentTypeRules.isJSON(contentType) else { return HTTPReply.error(.badContentType) }
        guard let body = try await ImportAPI.readBody(request, limit: GraphQLAPI.bodyMaxSize) else {
            context.channel.close(mode: .input, promise: nil)
            var response = HTTPReply.error(.bodyTooLarge(limit: GraphQLAPI.bodyMaxSize))
            response.headers[.connection] = "close"
            return response
        }
        let parsed: ExportRequest
        switch ExportRequest.parse(body: body) {
        case .failure(let error): return HTTPReply.error(error)
        case .success(let request): parsed = request
        }
        if let period = await state.reserveUsage(1, export: true) {
            return HTTPReply.error(APIError(name: "TooManyRequest", reason: "UsageLimitExceeded", message: "usage limit exceeded", code: 429,
                                            info: .obj(["name": .string("UserExport"), "period": .string(period),
                                                        "usage_name": .string("user_export")])))
        }
        return HTTPReply.result(await state.createExport(parsed))
    }

    /// `GET /_api/admin/users/export/{id}`.
    func get(_ request: Request, id: String) async -> Response {
        guard await auth.isAuthorized(request) else { return HTTPReply.forbidden }
        guard await state.project.userExportEnabled else { return HTTPReply.error(Self.disabled) }
        let host = request.head.authority ?? "127.0.0.1"
        guard let result = await state.exportResult(id: id, baseURL: "http://" + host) else { return HTTPReply.error(.taskNotFound) }
        return HTTPReply.result(result)
    }

    /// `{id}` of `/_api/admin/users/export/{id}` (one non-empty segment).
    static func taskID(_ path: String) -> String? {
        let prefix = Self.path + "/"
        guard path.hasPrefix(prefix) else { return nil }
        let id = path.dropFirst(prefix.count)
        guard !id.isEmpty, !id.contains("/") else { return nil }
        return String(id)
    }
}

/// The sandbox's object store: `GET /_sandbox/objects/<key>` with the signature and expiry the
/// export's `download_url` carries, answered like S3 (XML errors, object headers of §4.2).
struct ExportObjects: Sendable {
    static let pathPrefix = "/_sandbox/objects/"

    enum Refusal: Error { case signature, expired, missing }

    let state: SandboxState

    func get(_ request: Request, key: String) async -> Response {
        guard request.method == .get || request.method == .head else { return HTTPReply.methodNotAllowed(allow: "GET, HEAD") }
        let query = request.uri.queryParameters
        let expires = query["X-Sandbox-Expires-At"].map { String($0) }
        let signature = query["X-Sandbox-Signature"].map { String($0) }
        let path: String
        switch await state.objectFile(key: key, expires: expires, signature: signature) {
        case .failure(.signature):
            return Self.s3Error(.forbidden, code: "SignatureDoesNotMatch",
                                message: "The request signature we calculated does not match the signature you provided.")
        case .failure(.expired): return Self.s3Error(.forbidden, code: "AccessDenied", message: "Request has expired")
        case .failure(.missing): return Self.s3Error(.notFound, code: "NoSuchKey", message: "The specified key does not exist.")
        case .success(let p): path = p
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return Self.s3Error(.notFound, code: "NoSuchKey", message: "The specified key does not exist.")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        let headers: HTTPFields = [
            .contentType: key.hasSuffix(".csv") ? "text/csv" : "application/x-ndjson",
            HTTPField.Name("Content-Disposition")!: "attachment; filename=\(key)",
            .contentLength: String(size),
        ]
        if request.method == .head {
            try? handle.close()
            return Response(status: .ok, headers: headers)
        }
        let body = ResponseBody(contentLength: size) { writer in
            defer { try? handle.close() }
            while true {
                let chunk = try handle.read(upToCount: 256 * 1024) ?? Data()
                if chunk.isEmpty { break }
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: headers, body: body)
    }

    static func s3Error(_ status: HTTPResponse.Status, code: String, message: String) -> Response {
        let xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>\(code)</Code><Message>\(message)</Message></Error>"
        return Response(status: status, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: xml)))
    }
}
