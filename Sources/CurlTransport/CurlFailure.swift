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
    /// The proxy libcurl took from the environment for this URL, looked up only when the
    /// failure can be the proxy's (``proxyCodes``).
    var proxy: NetworkPath.Proxy? = nil

    /// Certificate failures: permanent (the same certificate comes back), never sent.
    /// 35 (`CURLE_SSL_CONNECT_ERROR`) is any handshake failure; it counts only when OpenSSL's
    /// text says verification failed (``certificateMarkers``).
    static let certificateCodes: Set<UInt32> = Set(([
        CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CERTPROBLEM,
        CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
    ] as [CURLcode]).map(\.rawValue))

    /// OpenSSL's verification texts, lower-cased (`X509_verify_cert_error_string`, `SSL_R_CERTIFICATE_VERIFY_FAILED`).
    static let certificateMarkers = [
        "certificate verify failed", "certificate has expired", "certificate is not yet valid", "self-signed certificate",
        "self signed certificate", "unable to get local issuer certificate", "unable to get issuer certificate",
        "unable to verify the first certificate", "certificate subject name", "no alternative certificate subject name",
    ]

    /// Codes that, with a proxy in use, mean the proxy itself: libcurl resolves and connects
    /// only to the proxy then (the server is reached through it).
    static let proxyCodes: Set<UInt32> = [CURLE_COULDNT_RESOLVE_PROXY.rawValue, CURLE_COULDNT_CONNECT.rawValue]

    /// OpenSSL's texts, lower-cased, for a TLS handshake that got a plain-HTTP answer (an https://
    /// endpoint on a port that serves http).
    static let plainHTTPMarkers = ["wrong version number", "packet length too long", "http request", "record layer failure"]

    /// A TLS handshake answered by a server that speaks plain HTTP on that port.
    var isPlainHTTPAnswerToTLS: Bool {
        guard code == CURLE_SSL_CONNECT_ERROR.rawValue else { return false }
        let lower = text.lowercased()
        return Self.plainHTTPMarkers.contains { lower.contains($0) }
    }

    var isCertificateFailure: Bool {
        if Self.certificateCodes.contains(code) { return true }
        guard code == CURLE_SSL_CONNECT_ERROR.rawValue else { return false }
        let lower = text.lowercased()
        return Self.certificateMarkers.contains { lower.contains($0) }
    }

    /// What to do about a certificate failure, from libcurl's text.
    var certificateAdvice: String {
        let lower = text.lowercased()
        let caFile = "--ca-file / AUTHGEAR_CA_FILE"
        if code == CURLE_SSL_CACERT_BADFILE.rawValue {
            return "The CA file (\(caFile)) could not be used: check its path and that it holds PEM certificates."
        }
        if lower.contains("expired") || lower.contains("not yet valid") {
            return "Check this machine's clock (`date -u`): a wrong clock makes a valid certificate look expired or not yet valid; "
                + "otherwise the server's certificate must be renewed."
        }
        if lower.contains("subject name") || lower.contains("host name") || lower.contains("hostname") {
            return "The certificate is not issued for \(host): check the endpoint's host name (--endpoint / AUTHGEAR_ENDPOINT) "
                + "and use the name the certificate is issued for."
        }
        if lower.contains("issuer") || lower.contains("self-signed") || lower.contains("self signed") || lower.contains("first certificate") {
            return "The certificate's issuer is not trusted here: for a private CA (or a TLS-inspecting proxy) pass its CA "
                + "certificate with \(caFile)."
        }
        return "For a private CA pass its certificate with \(caFile); check the endpoint's host name and this machine's clock."
    }

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
        if isCertificateFailure {
            return .certificate(detail + "; nothing was sent and retrying cannot help. " + certificateAdvice)
        }
        if isPlainHTTPAnswerToTLS, !sendStarted {
            return .notSent("the server at \(host) answered the TLS handshake in plain HTTP (\(text); curl error \(code)): "
                + "this port serves http://, not https://. Use the port that serves https, or http:// for a sandbox on this machine")
        }
        if let proxy, Self.proxyCodes.contains(code), !sendStarted {
            return .notSent("the proxy \(proxy) could not be reached (\(text); curl error \(code)): fix it, "
                + "unset \(proxy.variable), or list \(host) in no_proxy to connect directly")
        }
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
