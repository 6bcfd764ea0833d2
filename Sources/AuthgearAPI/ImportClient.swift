import Foundation
import MigrationCore

/// Calls the User Import API: `POST /_api/admin/users/import` and `GET …/import/{id}`.
///
/// One call, one HTTP request: retrying is the caller's decision (the engine's policy is
/// `ClientImportService` in MigrationEngine).
/// Works with any ``HTTPTransport``.
public struct ImportClient: Sendable {
    /// The project's Admin API origin without trailing slash, e.g. `https://myapp.authgear.cloud`.
    public let endpoint: String
    /// The project ID (the token's `aud`).
    public let projectID: String
    /// `User-Agent` header value.
    public let userAgent: String
    /// Whole-request time limit in seconds handed to the transport.
    public var timeout: Double
    /// Keep each result's `record` (the server's redacted echo of the record). The engine turns
    /// it off: it needs only outcomes, ids, warnings and errors, and building a tree of every
    /// echo was a quarter of the importer's CPU.
    public var keepsRecordEcho = true
    let tokens: TokenProvider
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date

    /// A client for the project at `endpoint` (trailing slashes are trimmed).
    public init(endpoint: String, projectID: String, tokens: TokenProvider, transport: any HTTPTransport,
                userAgent: String, timeout: Double = 60, clock: @escaping @Sendable () -> Date = { Date() }) {
        var trimmed = endpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.endpoint = trimmed
        self.projectID = projectID
        self.tokens = tokens
        self.transport = transport
        self.userAgent = userAgent
        self.timeout = timeout
        self.clock = clock
    }

    /// The URL of the create-job endpoint.
    public var importURL: String { endpoint + "/_api/admin/users/import" }

    /// The URL of job `id` (the id is percent-encoded as one path segment).
    public func jobURL(id: String) -> String { importURL + "/" + Self.pathSegment(id) }

    /// Creates a job from a complete request body (the exact bytes the batch planner produced).
    public func createJob(body: [UInt8]) async throws(ImportAPIError) -> ImportJob {
        try await send(method: "POST", url: importURL, body: body, jobID: nil)
    }

    /// Creates a job from its parts: `{"identifier":…,"upsert":…,"records":[…]}`.
    public func createJob(identifier: String, upsert: Bool, records: [JSONValue]) async throws(ImportAPIError) -> ImportJob {
        try await createJob(body: Self.requestBody(identifier: identifier, upsert: upsert, records: records))
    }

    /// Reads job `id`: pending, or completed with summary and per-record details.
    public func getJob(id: String) async throws(ImportAPIError) -> ImportJob {
        try await send(method: "GET", url: jobURL(id: id), body: nil, jobID: id)
    }

    /// The compact JSON request body for `records` (members in their original order).
    public static func requestBody(identifier: String, upsert: Bool, records: [JSONValue]) -> [UInt8] {
        RequestEnvelope(identifier: identifier, upsert: upsert).body(count: records.count) { k, out in JSONWriter().write(records[k], to: &out) }
    }

    private func send(method: String, url: String, body: [UInt8]?, jobID: String?) async throws(ImportAPIError) -> ImportJob {
        let authorization: String
        do {
            authorization = try await tokens.authorizationValue()
        } catch {
            throw .token(error)
        }
        var headers = [HTTPHeader("Authorization", authorization), HTTPHeader("User-Agent", userAgent),
                       HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body, timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw .transport(error)
        }
        let token = String(authorization.dropFirst("Bearer ".count))
        let result = ResponseClassifier.job(from: response, jobID: jobID, now: clock(), secrets: [token], keepRecordEcho: keepsRecordEcho)
        if case .failure(.forbidden) = result { await tokens.invalidate() }
        return try result.get()
    }

    private static func pathSegment(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
