import AuthgearAPI
import CCurl

/// A failed libcurl transfer and whether the request may have reached the server.
///
/// The evidence, strongest first:
/// - `sendStarted` is false when libcurl never reached the point of sending (its pre-request
///   callback never ran): DNS, TCP connect, proxy, TLS handshake and certificate failures and
///   timeouts before the connection was ready. The server cannot have seen the request.
/// - `bytesSent` is false when libcurl's first write of the request wrote nothing
///   (`CURLINFO_REQUEST_SIZE` and `CURLINFO_SIZE_UPLOAD_T` both 0): only then is a send
///   error or timeout after that point still "not sent".
/// - Anything else after sending began is `.outcomeUnknown`.
struct CurlFailure: Sendable, Equatable {
    /// The `CURLcode` number.
    var code: UInt32
    /// libcurl's error text (from `CURLOPT_ERRORBUFFER`).
    var text: String
    /// The URL's host.
    var host: String
    var sendStarted: Bool
    var bytesSent: Bool
    /// The transport refused libcurl's automatic re-send after a reused connection died.
    var refusedResend: Bool

    /// Error codes that can only arise before any request byte is written.
    static let beforeSending: Set<UInt32> = Set(([
        CURLE_UNSUPPORTED_PROTOCOL, CURLE_FAILED_INIT, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN,
        CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT,
        CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE,
        CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
        CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR,
        CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT,
        CURLE_BAD_FUNCTION_ARGUMENT, CURLE_UNKNOWN_OPTION, CURLE_LOGIN_DENIED,
    ] as [CURLcode]).map(\.rawValue))

    /// Error codes where "nothing was written yet" still proves the request was not sent.
    static let notSentIfNothingWritten: Set<UInt32> = [
        CURLE_SEND_ERROR.rawValue, CURLE_OPERATION_TIMEDOUT.rawValue,
    ]

    /// The `TransportError` the engine sees.
    var transportError: TransportError {
        let detail = "\(text) (curl error \(code), host \(host))"
        if refusedResend {
            return .outcomeUnknown(
                "the server closed a reused connection without answering; not sending again"
                    + " (curl error \(code), host \(host))")
        }
        if !sendStarted || Self.beforeSending.contains(code) && !bytesSent {
            return .notSent(detail)
        }
        if Self.notSentIfNothingWritten.contains(code), !bytesSent {
            return .notSent(detail + "; nothing was written")
        }
        return .outcomeUnknown(detail)
    }
}
