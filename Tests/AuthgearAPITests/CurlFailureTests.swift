import AuthgearAPI
@testable import CurlTransport
import XCTest

/// The notSent / outcomeUnknown decision for failures the local servers cannot easily produce.
final class CurlFailureTests: XCTestCase {
    // CURLcode numbers (curl/curl.h), spelled out so this file needs no C headers.
    private let couldntResolveProxy: UInt32 = 5, couldntResolveHost: UInt32 = 6, couldntConnect: UInt32 = 7
    private let partialFile: UInt32 = 18, writeError: UInt32 = 23, operationTimedOut: UInt32 = 28
    private let sslConnectError: UInt32 = 35, abortedByCallback: UInt32 = 42, gotNothing: UInt32 = 52
    private let sendError: UInt32 = 55, recvError: UInt32 = 56, peerFailedVerification: UInt32 = 60
    private let sslCACertBadFile: UInt32 = 77

    private func classify(
        _ code: UInt32, sendStarted: Bool, bytesSent: Bool, refusedResend: Bool = false
    ) -> TransportError {
        CurlFailure(
            code: code, text: "curl says", host: "example.authgear.cloud",
            sendStarted: sendStarted, bytesSent: bytesSent, refusedResend: refusedResend
        ).transportError
    }

    private func isNotSent(_ error: TransportError) -> Bool {
        if case .notSent = error { return true }
        return false
    }

    func testFailuresBeforeSendingAreNotSent() {
        for code in [couldntResolveHost, couldntResolveProxy, couldntConnect,
                     sslConnectError, operationTimedOut, recvError] {
            XCTAssertTrue(isNotSent(classify(code, sendStarted: false, bytesSent: false)), "code \(code)")
        }
    }

    func testFailuresAfterBytesWereSentAreOutcomeUnknown() {
        for code in [operationTimedOut, recvError, sendError, gotNothing,
                     partialFile, writeError] {
            XCTAssertFalse(isNotSent(classify(code, sendStarted: true, bytesSent: true)), "code \(code)")
        }
    }

    func testSendErrorOrTimeoutWithNothingWrittenIsNotSent() {
        XCTAssertTrue(isNotSent(classify(sendError, sendStarted: true, bytesSent: false)))
        XCTAssertTrue(isNotSent(classify(operationTimedOut, sendStarted: true, bytesSent: false)))
        XCTAssertFalse(isNotSent(classify(gotNothing, sendStarted: true, bytesSent: false)))
        XCTAssertFalse(isNotSent(classify(recvError, sendStarted: true, bytesSent: false)))
    }

    func testRefusedResendIsOutcomeUnknown() {
        let error = classify(abortedByCallback, sendStarted: true, bytesSent: false, refusedResend: true)
        guard case .outcomeUnknown(let message) = error else { return XCTFail("got \(error)") }
        XCTAssertTrue(message.contains("example.authgear.cloud"))
    }

    func testMessageNamesCurlTextCodeAndHost() {
        XCTAssertEqual(
            classify(couldntConnect, sendStarted: false, bytesSent: false),
            .notSent("curl says (curl error 7, host example.authgear.cloud)"))
    }

    private func failure(_ code: UInt32, _ text: String, proxy: NetworkPath.Proxy? = nil, sendStarted: Bool = false) -> TransportError {
        CurlFailure(code: code, text: text, host: "example.authgear.cloud", sendStarted: sendStarted, bytesSent: false,
                    refusedResend: false, proxy: proxy).transportError
    }

    /// Certificate codes, and a handshake failure (35) whose text is a verification failure, are
    /// permanent; any other handshake failure stays "not sent" (retryable).
    func testCertificateFailuresArePermanentWithAdvice() {
        let cases: [(UInt32, String, String)] = [
            (peerFailedVerification, "SSL certificate problem: unable to get local issuer certificate", "--ca-file"),
            (peerFailedVerification, "SSL certificate problem: certificate has expired", "clock"),
            (peerFailedVerification, "SSL: no alternative certificate subject name matches target host name 'x'", "--endpoint"),
            (sslCACertBadFile, "error setting certificate file: /nope.pem", "--ca-file"),
            (58, "could not load PEM client certificate", "--ca-file"),
            (83, "SSL: issuer check failed", "--ca-file"),
            (90, "SSL: public key does not match pinned public key", "--ca-file"),
            (sslConnectError, "OpenSSL/3.0.19: error:0A000086:SSL routines::certificate verify failed", "--ca-file"),
        ]
        for (code, text, advice) in cases {
            guard case .certificate(let message) = failure(code, text) else { XCTFail("\(code) \(text)"); continue }
            XCTAssertTrue(message.contains(text) && message.contains("curl error \(code)") && message.contains(advice), message)
            XCTAssertFalse(ImportAPIError.transport(.certificate(message)).isRetryable)
        }
        // Not a certificate problem (a plain-HTTP answer to the handshake has its own message, below).
        for text in ["OpenSSL SSL_connect: Connection reset by peer"] {
            XCTAssertEqual(failure(sslConnectError, text), .notSent("\(text) (curl error 35, host example.authgear.cloud)"))
        }
    }

    func testUnreachableProxyIsNamedAsTheProxy() {
        let proxy = NetworkPath.Proxy(variable: "https_proxy", maskedURL: "http://***@proxy.corp:3128", host: "proxy.corp")
        for code in [couldntConnect, couldntResolveProxy] {
            guard case .notSent(let message) = failure(code, "curl says", proxy: proxy) else { return XCTFail("\(code)") }
            XCTAssertTrue(message.hasPrefix("the proxy http://***@proxy.corp:3128 (from https_proxy) could not be reached (curl says; curl error \(code))"), message)
            XCTAssertTrue(message.contains("unset https_proxy") && message.contains("no_proxy"), message)
        }
        // Other failures through a proxy are not blamed on it.
        XCTAssertEqual(failure(couldntResolveHost, "curl says", proxy: proxy), .notSent("curl says (curl error 6, host example.authgear.cloud)"))
    }

    func testTimeoutMilliseconds() {
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(1.5), 1500)
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(0), 1)
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(.infinity), 31_536_000_000)
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(.nan), 1)
    }

    func testATLSHandshakeAnsweredInPlainHTTPSaysThePortServesHTTP() {
        for text in ["OpenSSL/3.0.19: error:0A00010B:SSL routines::wrong version number",
                     "error:1408F10B:SSL routines:ssl3_get_record:wrong version number", "packet length too long"] {
            let failure = CurlFailure(code: sslConnectError, text: text, host: "127.0.0.1", sendStarted: false, bytesSent: false, refusedResend: false)
            guard case .notSent(let message) = failure.transportError else { return XCTFail("\(failure.transportError)") }
            XCTAssertTrue(message.contains("answered the TLS handshake in plain HTTP"), message)
            XCTAssertTrue(message.contains("this port serves http://, not https://"), message)
        }
        // Another handshake failure keeps libcurl's words alone.
        let other = CurlFailure(code: sslConnectError, text: "unexpected eof while reading", host: "h", sendStarted: false, bytesSent: false, refusedResend: false)
        guard case .notSent(let message) = other.transportError else { return XCTFail("\(other.transportError)") }
        XCTAssertFalse(message.contains("plain HTTP"), message)
    }
}
