import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest

/// Faults injected into the real sandbox (`PUT /_sandbox/faults`), classified by the real client
/// stack, and what ``RetryPolicy`` decides for each on POST (create job) and GET (read job).
final class SandboxClientFaultTests: XCTestCase {
    private var sandbox: SandboxHarness!
    private var client: ImportClient!
    /// Draws of 0.5: a backoff after attempt 1 is then exactly half the 0.5 s base delay.
    private let policy = RetryPolicy()
    private let half: () -> Double = { 0.5 }

    override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
        client = try sandbox.client()
    }

    override func tearDown() async throws {
        await sandbox.shutdown()
    }

    private func postFailure() async -> ImportAPIError? {
        let client = self.client!
        return await sandboxClientFailure { () async throws(ImportAPIError) in
            try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<2))
        }
    }

    private func getFailure(_ id: String) async -> ImportAPIError? {
        let client = self.client!
        return await sandboxClientFailure { () async throws(ImportAPIError) in try await client.getJob(id: id) }
    }

    private func decide(_ error: ImportAPIError, _ method: String, attempt: Int = 1) -> RetryDecision {
        policy.decide(error: error, attempt: attempt, method: method, random: half)
    }

    /// A 500 after the job was created (spec §4.3: tasks may already be enqueued): the POST's
    /// outcome is unknown and it must not be sent again; a GET 500 is simply retried.
    func testProcessed500IsOutcomeUnknown() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"status","status":500,"processed":true}]}"#)
        let errorResult = await postFailure()
        let error = try XCTUnwrap(errorResult)
        guard case .server(500, let body?, nil, nil) = error else { return XCTFail("got \(error)") }
        XCTAssertEqual(body.reason, "UnexpectedError")
        XCTAssertTrue(error.outcomeUnknown)
        XCTAssertTrue(error.isRetryable)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 1, "the sandbox did create the job")
        XCTAssertEqual(decide(error, "POST"), .giveUp(.outcomeUnknown))

        let jobID = try await sandbox.firstJobID()
        let getErrorResult = await getFailure(jobID)
        let getError = try XCTUnwrap(getErrorResult)
        guard case .server(500, _, _, _) = getError else { return XCTFail("got \(getError)") }
        XCTAssertEqual(decide(getError, "GET"), .retry(after: 0.25))
        XCTAssertEqual(decide(getError, "GET", attempt: policy.maxAttempts), .giveUp(.attemptsExhausted))

        try await sandbox.setFaults("{}")
        let job = try await sandbox.waitForCompletion(client, id: jobID)
        XCTAssertEqual(job.summary?.inserted, 2, "the job the failed POST created ran")
    }

    /// 503 (and 502) from a gateway: 503 means turned away (safe to resend a POST), 502 may
    /// hide an upstream that processed it.
    func testUnavailableIsRetryableAndGatewayErrorIsNot() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"status","status":503}]}"#)
        let unavailableResult = await postFailure()
        let unavailable = try XCTUnwrap(unavailableResult)
        XCTAssertEqual(unavailable, .server(status: 503, body: nil, snippet: "Service Unavailable", retryAfter: nil))
        XCTAssertFalse(unavailable.outcomeUnknown)
        XCTAssertTrue(unavailable.isRetryable)
        XCTAssertEqual(decide(unavailable, "POST"), .retry(after: 0.25))
        XCTAssertEqual(decide(unavailable, "POST", attempt: 3), .retry(after: 1.0))
        XCTAssertEqual(decide(unavailable, "GET"), .retry(after: 0.25))
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0)

        try await sandbox.setFaults(#"{"http":[{"kind":"status","status":502}]}"#)
        let gatewayResult = await postFailure()
        let gateway = try XCTUnwrap(gatewayResult)
        XCTAssertEqual(gateway, .server(status: 502, body: nil, snippet: "Bad Gateway", retryAfter: nil))
        XCTAssertTrue(gateway.outcomeUnknown)
        XCTAssertEqual(decide(gateway, "POST"), .giveUp(.outcomeUnknown))
        XCTAssertEqual(decide(gateway, "GET"), .retry(after: 0.25))
    }

    func testRateLimitHonoursRetryAfter() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"rate_limit","retry_after_seconds":2}]}"#)
        let errorResult = await postFailure()
        let error = try XCTUnwrap(errorResult)
        XCTAssertEqual(error, .rateLimited(retryAfter: 2))
        XCTAssertFalse(error.outcomeUnknown)
        XCTAssertEqual(decide(error, "POST"), .retry(after: 2))
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0, "a rate-limited request is not processed")
        let getErrorResult = await getFailure("userimport_" + String(repeating: "1", count: 32))
        let getError = try XCTUnwrap(getErrorResult)
        XCTAssertEqual(getError, .rateLimited(retryAfter: 2))
        XCTAssertEqual(decide(getError, "GET"), .retry(after: 2))
        var impatient = policy
        impatient.maxRetryAfter = 1
        XCTAssertEqual(impatient.decide(error: error, attempt: 1, method: "POST", random: half), .giveUp(.waitTooLong(seconds: 2)))
    }

    /// The sandbox processes the request, then drops the connection: no answer, job created.
    func testDropAfterReadIsOutcomeUnknown() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"drop_after_read","methods":["POST"]}]}"#)
        let errorResult = await postFailure()
        let error = try XCTUnwrap(errorResult)
        guard case .transport(.outcomeUnknown) = error else { return XCTFail("got \(error)") }
        XCTAssertTrue(error.outcomeUnknown)
        XCTAssertEqual(decide(error, "POST"), .giveUp(.outcomeUnknown))
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 1, "the request was acted on")

        let jobID = try await sandbox.firstJobID()
        try await sandbox.setFaults(#"{"http":[{"kind":"drop_after_read","methods":["GET"]}]}"#)
        let getErrorResult = await getFailure(jobID)
        let getError = try XCTUnwrap(getErrorResult)
        guard case .transport(.outcomeUnknown) = getError else { return XCTFail("got \(getError)") }
        XCTAssertEqual(decide(getError, "GET"), .retry(after: 0.25), "reading a job again is harmless")
        try await sandbox.setFaults("{}")
        let job = try await sandbox.waitForCompletion(client, id: jobID)
        XCTAssertEqual(job.summary?.total, 2)
    }

    func testClosedPortIsNotSent() async throws {
        let port = CurlTestHTTPServer.closedPort()
        let nowhere = try sandbox.client(endpoint: "http://127.0.0.1:\(port)")
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await nowhere.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        }
        guard case .transport(.notSent(let message))? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 7"), message)
        XCTAssertFalse(error!.outcomeUnknown)
        XCTAssertEqual(decide(error!, "POST"), .retry(after: 0.25), "nothing was sent: a POST may go again")
        XCTAssertEqual(decide(error!, "GET"), .retry(after: 0.25))
    }

    /// Latency longer than the client's timeout: the POST may have been acted on.
    func testTimeoutAfterSendingIsOutcomeUnknown() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"latency","latency_ms":1500,"methods":["POST"]}]}"#)
        var slowClient = try sandbox.client()
        slowClient.timeout = 0.5
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await slowClient.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        }
        guard case .transport(.outcomeUnknown)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(decide(error!, "POST"), .giveUp(.outcomeUnknown))
    }
}
