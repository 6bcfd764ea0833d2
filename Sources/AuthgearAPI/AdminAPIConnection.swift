import Foundation

/// What the export and GraphQL clients share with ``ImportClient``: the project's Admin API
/// origin, its token provider and the transport. One call, one HTTP request; the caller
/// classifies the answer.
public struct AdminAPIConnection: Sendable {
    /// The Admin API origin without trailing slash.
    public let endpoint: String
    public let userAgent: String
    /// Whole-request time limit in seconds for API calls (not downloads).
    public var timeout: Double
    let tokens: TokenProvider
    let transport: any HTTPTransport
    let clock: @Sendable () -> Date

    public init(endpoint: String, tokens: TokenProvider, transport: any HTTPTransport, userAgent: String,
                timeout: Double = 60, clock: @escaping @Sendable () -> Date = { Date() }) {
        var trimmed = endpoint
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.endpoint = trimmed
        self.tokens = tokens
        self.transport = transport
        self.userAgent = userAgent
        self.timeout = timeout
        self.clock = clock
    }

    /// The connection an import client uses, for the other Admin API endpoints.
    public init(_ client: ImportClient) {
        self.init(endpoint: client.endpoint, tokens: client.tokens, transport: client.transport,
                  userAgent: client.userAgent, timeout: client.timeout, clock: client.clock)
    }

    /// Sends an authenticated request to `path`; returns any HTTP answer and the bearer token
    /// (to blank it out of quoted snippets). A 403 drops the cached token.
    func send(method: String, path: String, body: [UInt8]?) async throws(ImportAPIError) -> (HTTPResponse, token: String) {
        let authorization: String
        do { authorization = try await tokens.authorizationValue() } catch { throw .token(error) }
        var headers = [HTTPHeader("Authorization", authorization), HTTPHeader("User-Agent", userAgent),
                       HTTPHeader("Accept", "application/json")]
        if body != nil { headers.append(HTTPHeader("Content-Type", "application/json")) }
        let request = HTTPRequest(method: method, url: endpoint + path, headers: headers, body: body, timeout: timeout)
        let response: HTTPResponse
        do { response = try await transport.send(request) } catch { throw .transport(error) }
        if response.status == 403 { await tokens.invalidate() }
        return (response, String(authorization.dropFirst("Bearer ".count)))
    }
}
