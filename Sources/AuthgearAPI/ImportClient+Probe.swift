import Foundation

/// What one request to the import endpoint says about the connection (``ImportClient/probe()``).
public enum ImportProbe: Sendable {
    /// The server accepted the token: it looked up a job that cannot exist (404 `TaskNotFound`).
    case authenticated(ProbeAnswer)
    /// The server refused the token (403): wrong key, key ID, project ID, or clock.
    case forbidden(ProbeAnswer, ImportAPIError)
    /// Something answered, but not as Authgear's import endpoint answers an unknown job.
    case notAuthgear(ProbeAnswer, ImportAPIError)
    /// No answer: DNS, connection, TLS or timeout (``TransportError`` says which).
    case unreachable(TransportError)
    /// No token could be minted, so nothing was sent.
    case tokenFailed(TokenSigningError)
}

/// The parts of the probe's HTTP answer that the connection check reports.
public struct ProbeAnswer: Sendable, Equatable {
    /// The HTTP status code.
    public var status: Int
    /// The server's clock, from its `Date` header (`nil` without a parseable one).
    public var serverDate: Date?

    public init(status: Int, serverDate: Date?) {
        self.status = status
        self.serverDate = serverDate
    }
}

extension ImportClient {
    /// A job id in the server's format that no server hands out (all zeros).
    public static let probeJobID = "userimport_00000000000000000000000000000000"

    /// Asks for a job that cannot exist, to learn whether the endpoint is Authgear's import
    /// API and accepts the token, without creating anything. One request, never retried.
    public func probe() async -> ImportProbe {
        let authorization: String
        do { authorization = try await tokens.authorizationValue() } catch { return .tokenFailed(error) }
        let headers = [HTTPHeader("Authorization", authorization), HTTPHeader("User-Agent", userAgent),
                       HTTPHeader("Accept", "application/json")]
        let request = HTTPRequest(method: "GET", url: jobURL(id: Self.probeJobID), headers: headers, timeout: timeout)
        let response: HTTPResponse
        do { response = try await transport.send(request) } catch { return .unreachable(error) }
        let answer = ProbeAnswer(status: response.status, serverDate: response.header("Date").flatMap(HTTPDate.parse))
        let token = String(authorization.dropFirst("Bearer ".count))
        let error = ResponseClassifier.error(for: response, jobID: Self.probeJobID, now: clock(), secrets: [token])
        switch error {
        case .jobNotFound: return .authenticated(answer)
        case .forbidden:
            await tokens.invalidate()
            return .forbidden(answer, error)
        default: return .notAuthgear(answer, error)
        }
    }
}
