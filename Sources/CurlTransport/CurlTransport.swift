import AuthgearAPI
import CCurl
import Foundation

/// An `HTTPTransport` over libcurl's multi interface, driven by one dedicated thread.
///
/// - TLS certificates and host names are always verified; `caFile` adds a trusted CA bundle.
/// - Proxies come from the environment exactly as libcurl reads them (`http_proxy` — lower
///   case only, `HTTPS_PROXY`/`https_proxy`, `ALL_PROXY`, `NO_PROXY`/`no_proxy`): no proxy
///   option is ever set, so nothing overrides them.
/// - Connections are kept alive and reused through the multi handle's connection cache.
/// - Requests go out as HTTP/1.1 without `Expect: 100-continue`.
/// - libcurl silently re-sends a request when a reused connection closes without an answer;
///   for methods other than GET and HEAD this transport stops that second send and reports
///   `.outcomeUnknown`, so a POST never reaches the server twice.
public final class CurlTransport: HTTPTransport {
    /// Settings fixed for the transport's lifetime.
    public struct Options: Sendable, Equatable {
        /// The `User-Agent` header value, e.g. `authgear-migrate/1.0.0`.
        public var userAgent: String
        /// A PEM file of CA certificates trusted in addition to (instead of) the system bundle.
        public var caFile: String?
        /// Seconds allowed for DNS, TCP connect and the TLS handshake.
        public var connectTimeout: Double

        /// Creates options.
        public init(userAgent: String, caFile: String? = nil, connectTimeout: Double = 10) {
            self.userAgent = userAgent
            self.caFile = caFile
            self.connectTimeout = connectTimeout
        }
    }

    /// The settings this transport was created with.
    public let options: Options
    private let loop: CurlMultiLoop

    /// Starts the transport's libcurl thread.
    public init(options: Options) {
        self.options = options
        self.loop = CurlMultiLoop(options: options)
    }

    /// Starts the transport with a `User-Agent`, an optional CA file and a connect timeout.
    public convenience init(userAgent: String, caFile: String? = nil, connectTimeout: Double = 10) {
        self.init(options: Options(userAgent: userAgent, caFile: caFile, connectTimeout: connectTimeout))
    }

    deinit {
        loop.close()
    }

    /// Stops the libcurl thread: transfers in flight and later calls end with `.cancelled`.
    public func close() {
        loop.close()
    }

    /// The libcurl version this transport runs on, e.g. `7.88.1`.
    public static var libcurlVersion: String {
        guard let info = cc_version_info(), let version = info.pointee.version else { return "unknown" }
        return String(cString: version)
    }

    /// Sends `request` and waits for the whole response; Task cancellation aborts the transfer.
    public func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        try await perform(CurlTransfer(request: request))
    }

    /// Sends `request`; a 2xx body goes to `sink` on the libcurl thread as it arrives (a non-2xx
    /// body, up to 1 MiB, stays in the response). A sink that refuses bytes aborts the transfer
    /// (`.cancelled`).
    public func stream(_ request: HTTPRequest, into sink: any HTTPBodySink) async throws(TransportError) -> HTTPResponse {
        try await perform(CurlTransfer(request: request, sink: sink))
    }

    private func perform(_ transfer: CurlTransfer) async throws(TransportError) -> HTTPResponse {
        let loop = self.loop
        let result: Result<HTTPResponse, TransportError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                if transfer.install(continuation) {
                    loop.submit(transfer)
                }
            }
        } onCancel: {
            if transfer.requestCancel() {
                loop.cancel(transfer)
            }
        }
        return try result.get()
    }
}
