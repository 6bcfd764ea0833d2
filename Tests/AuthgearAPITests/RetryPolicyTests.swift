import Foundation
import XCTest
@testable import AuthgearAPI

final class RetryPolicyTests: XCTestCase {
    let policy = RetryPolicy(maxAttempts: 5)
    let server500 = ImportAPIError.server(status: 500, body: nil, snippet: nil, retryAfter: nil)
    let server503 = ImportAPIError.server(status: 503, body: nil, snippet: "busy", retryAfter: nil)

    func testBackoffIsExponentialWithFullJitterAndCap() {
        XCTAssertEqual((1...9).map { policy.ceiling(afterAttempt: $0) }, [0.5, 1, 2, 4, 8, 16, 30, 30, 30])
        XCTAssertEqual(policy.backoff(afterAttempt: 3, random: 0), 0)
        XCTAssertEqual(policy.backoff(afterAttempt: 3, random: 0.5), 1)
        XCTAssertEqual(policy.backoff(afterAttempt: 12, random: 0.999), 29.97, accuracy: 1e-9)
        XCTAssertEqual(policy.decide(error: server503, attempt: 2, method: "POST", random: { 0.25 }), .retry(after: 0.25))
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<100 {
            guard case .retry(let after) = policy.decide(error: server503, attempt: 4, method: "GET",
                                                         random: { Double.random(in: 0..<1, using: &generator) }) else {
                return XCTFail()
            }
            XCTAssertTrue((0..<4).contains(after))
        }
    }

    func testRetriesServerErrorsNotSentAndRateLimits() {
        XCTAssertEqual(policy.decide(error: server500, attempt: 1, method: "GET", random: { 1 }), .retry(after: 0.5))
        XCTAssertEqual(policy.decide(error: .transport(.notSent("refused")), attempt: 1, method: "POST", random: { 0.5 }), .retry(after: 0.25))
        XCTAssertEqual(policy.decide(error: .rateLimited(retryAfter: 12), attempt: 1, method: "POST", random: { 0 }), .retry(after: 12))
        XCTAssertEqual(policy.decide(error: .server(status: 503, body: nil, snippet: nil, retryAfter: 9), attempt: 1, method: "POST", random: { 0 }),
                       .retry(after: 9))
        XCTAssertEqual(policy.decide(error: .rateLimited(retryAfter: 3600), attempt: 1, method: "GET", random: { 0 }),
                       .giveUp(.waitTooLong(seconds: 3600)))
        XCTAssertEqual(policy.decide(error: .rateLimited(retryAfter: nil), attempt: 2, method: "GET", random: { 0.5 }), .retry(after: 0.5))
    }

    func testNeverRetriesAPOSTWhoseOutcomeIsUnknown() {
        XCTAssertEqual(policy.decide(error: .transport(.outcomeUnknown("timeout")), attempt: 1, method: "POST", random: { 0 }),
                       .giveUp(.outcomeUnknown))
        XCTAssertEqual(policy.decide(error: server500, attempt: 1, method: "POST", random: { 0 }), .giveUp(.outcomeUnknown))
        XCTAssertEqual(policy.decide(error: .server(status: 504, body: nil, snippet: nil, retryAfter: 1), attempt: 1, method: "post", random: { 0 }),
                       .giveUp(.outcomeUnknown))
        XCTAssertEqual(policy.decide(error: .transport(.outcomeUnknown("timeout")), attempt: 1, method: "GET", random: { 0.5 }),
                       .retry(after: 0.25))
    }

    func testNeverRetriesOther4xxTokenFailuresOrCancellation() {
        let errors: [ImportAPIError] = [
            .forbidden(clockSkew: nil), .bodyTooLarge(limit: 500_000), .invalidJSON(message: "m", byteOffset: 0),
            .invalidRequest(causes: []), .contentType(message: "m"), .jobNotFound(id: "x"),
            .endpointNotFound(snippet: "app not found"), .unexpectedResponse(status: 302, snippet: "s"),
            .rejected(status: 409, body: APIErrorBody(name: "DataRace", reason: "DataRace", message: "m", code: 409)),
            .token(.signingFailed(reason: "r")),
        ]
        for error in errors {
            XCTAssertEqual(policy.decide(error: error, attempt: 1, method: "GET", random: { 0 }), .giveUp(.notRetryable), "\(error)")
        }
        XCTAssertEqual(policy.decide(error: .transport(.cancelled), attempt: 1, method: "GET", random: { 0 }), .giveUp(.cancelled))
        let reset = Date(timeIntervalSince1970: 1_800_000_000)
        XCTAssertEqual(policy.decide(error: .usageLimitExceeded(period: "day", resetsAt: reset), attempt: 1, method: "POST", random: { 0 }),
                       .giveUp(.quotaExhausted(resetsAt: reset)))
    }

    func testGivesUpAfterMaxAttempts() {
        XCTAssertEqual(policy.decide(error: server503, attempt: 4, method: "GET", random: { 0 }), .retry(after: 0))
        XCTAssertEqual(policy.decide(error: server503, attempt: 5, method: "GET", random: { 0 }), .giveUp(.attemptsExhausted))
        XCTAssertEqual(RetryPolicy(maxAttempts: 1).decide(error: server503, attempt: 1, method: "GET"), .giveUp(.attemptsExhausted))
    }
}
