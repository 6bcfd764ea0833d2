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
                     sslConnectError, peerFailedVerification, sslCACertBadFile,
                     operationTimedOut, recvError] {
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

    func testTimeoutMilliseconds() {
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(1.5), 1500)
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(0), 1)
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(.infinity), 31_536_000_000)
        XCTAssertEqual(CurlEasyConfiguration.milliseconds(.nan), 1)
    }
}
