/// One HTTP request as the import client sends it.
public struct HTTPRequest: Sendable, Equatable {
    public var method: String
    public var url: String
    /// Header fields in order (names as written).
    public var headers: [HTTPHeader]
    public var body: [UInt8]?
    /// Whole-request time limit in seconds (connect + send + wait + receive).
    public var timeout: Double

    public init(method: String, url: String, headers: [HTTPHeader] = [], body: [UInt8]? = nil, timeout: Double = 60) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
    }
}

public struct HTTPHeader: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// One HTTP response.
public struct HTTPResponse: Sendable, Equatable {
    public var status: Int
    public var headers: [HTTPHeader]
    public var body: [UInt8]

    public init(status: Int, headers: [HTTPHeader] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The first header named `name` (case-insensitive).
    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first(where: { $0.name.lowercased() == lower })?.value
    }
}

/// Why a request got no response. The engine relies on the difference between the two main
/// cases to avoid importing anything twice.
public enum TransportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request certainly did not reach the server (DNS, connection refused, a proxy that
    /// cannot be reached, a TLS handshake failure other than a certificate): safe to send again.
    case notSent(String)
    /// The request may have reached the server (timeout or connection reset after sending
    /// began): the server may have acted on it.
    case outcomeUnknown(String)
    /// The TLS handshake failed on a certificate (untrusted issuer, expired, wrong host name,
    /// an unusable CA file): nothing was sent, and sending again meets the same certificate.
    /// The message names the problem and what to do.
    case certificate(String)
    /// The caller cancelled the request.
    case cancelled

    public var description: String {
        switch self {
        case .notSent(let m): return "not sent: \(m)"
        case .outcomeUnknown(let m): return "no answer (the server may have received the request): \(m)"
        case .certificate(let m): return "TLS certificate refused, not sent: \(m)"
        case .cancelled: return "cancelled"
        }
    }
}

/// Sends HTTP requests. `CurlTransport` is the real one; tests may use others.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse
    /// Like `send`, but a 2xx body goes to `sink` as it arrives (see `HTTPStreaming.swift`).
    func stream(_ request: HTTPRequest, into sink: any HTTPBodySink) async throws(TransportError) -> HTTPResponse
}
