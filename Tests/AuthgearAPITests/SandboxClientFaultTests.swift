import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest

/// Faults injected into the real sandbox (`PUT /_sandbox/faults`), classified by the real client
/// stack: whether a request may go again, and whether a POST's outcome is unknown (what the
/// engine then does with each is `ClientImportService`'s policy, tested in MigrationEngineTests).
final class SandboxClientFaultTests: XCTestCase {
    private var sandbox: SandboxHarness!
    private var client: ImportClient!

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
        XCTAssertTrue(error.outcomeUnknown)

        let jobID = try await sandbox.firstJobID()
        let getErrorResult = await getFailure(jobID)
        let getError = try XCTUnwrap(getErrorResult)
        guard case .server(500, _, _, _) = getError else { return XCTFail("got \(getError)") }
        XCTAssertTrue(getError.isRetryable)

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
        XCTAssertTrue(unavailable.isRetryable)
        XCTAssertTrue(unavailable.isRetryable)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0)

        try await sandbox.setFaults(#"{"http":[{"kind":"status","status":502}]}"#)
        let gatewayResult = await postFailure()
        let gateway = try XCTUnwrap(gatewayResult)
        XCTAssertEqual(gateway, .server(status: 502, body: nil, snippet: "Bad Gateway", retryAfter: nil))
        XCTAssertTrue(gateway.outcomeUnknown)
        XCTAssertTrue(gateway.outcomeUnknown)
        XCTAssertTrue(gateway.isRetryable)
    }

    func testRateLimitHonoursRetryAfter() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"rate_limit","retry_after_seconds":2}]}"#)
        let errorResult = await postFailure()
        let error = try XCTUnwrap(errorResult)
        XCTAssertEqual(error, .rateLimited(retryAfter: 2))
        XCTAssertFalse(error.outcomeUnknown)
        XCTAssertTrue(error.isRetryable)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0, "a rate-limited request is not processed")
        let getErrorResult = await getFailure("userimport_" + String(repeating: "1", count: 32))
        let getError = try XCTUnwrap(getErrorResult)
        XCTAssertEqual(getError, .rateLimited(retryAfter: 2))
        XCTAssertTrue(getError.isRetryable)
    }

    /// The sandbox processes the request, then drops the connection: no answer, job created.
    func testDropAfterReadIsOutcomeUnknown() async throws {
        try await sandbox.setFaults(#"{"http":[{"kind":"drop_after_read","methods":["POST"]}]}"#)
        let errorResult = await postFailure()
        let error = try XCTUnwrap(errorResult)
        guard case .transport(.outcomeUnknown) = error else { return XCTFail("got \(error)") }
        XCTAssertTrue(error.outcomeUnknown)
        XCTAssertTrue(error.outcomeUnknown)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 1, "the request was acted on")

        let jobID = try await sandbox.firstJobID()
        try await sandbox.setFaults(#"{"http":[{"kind":"drop_after_read","methods":["GET"]}]}"#)
        let getErrorResult = await getFailure(jobID)
        let getError = try XCTUnwrap(getErrorResult)
        guard case .transport(.outcomeUnknown) = getError else { return XCTFail("got \(getError)") }
        XCTAssertTrue(getError.isRetryable, "reading a job again is harmless")
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
        XCTAssertTrue(error!.isRetryable, "nothing was sent: a POST may go again")
        XCTAssertTrue(error!.isRetryable)
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
        XCTAssertTrue(error!.outcomeUnknown)
    }
}
