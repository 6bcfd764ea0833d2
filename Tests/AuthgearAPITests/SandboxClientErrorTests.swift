import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest

/// Every error class of the spec (§3.1, §4.3, §5, §10.4, §11), produced by the real sandbox and
/// mapped by the real client stack to its typed error.
final class SandboxClientErrorTests: XCTestCase {
    private var sandbox: SandboxHarness!
    private var client: ImportClient!

    override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
        client = try sandbox.client()
    }

    override func tearDown() async throws {
        await sandbox.shutdown()
    }

    private func failure(_ body: String) async -> ImportAPIError? {
        let client = self.client!
        return await sandboxClientFailure { () async throws(ImportAPIError) in try await client.createJob(body: Array(body.utf8)) }
    }

    /// A valid body padded with trailing spaces to exactly `size` bytes.
    private func paddedBody(size: Int) -> [UInt8] {
        var body = Array(#"{"identifier":"email","upsert":false,"records":[{"email":"pad@example.com"}]}"#.utf8)
        body += [UInt8](repeating: 0x20, count: size - body.count)
        return body
    }

    func testBodyLimitIsFiveHundredThousandBytes() async throws {
        let client = self.client!
        let accepted = try await client.createJob(body: paddedBody(size: 500_000))
        XCTAssertEqual(accepted.status, .pending, "exactly 500,000 bytes is accepted")
        let tooLarge = paddedBody(size: 500_001)
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in try await client.createJob(body: tooLarge) }
        XCTAssertEqual(error, .bodyTooLarge(limit: 500_000))
        XCTAssertEqual(error?.isRetryable, false)
        XCTAssertEqual(error?.outcomeUnknown, false)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 1)
        // The connection the sandbox closed after the 413 does not affect the next call.
        let again = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        XCTAssertEqual(again.status, .pending)
    }

    func testInvalidJSONCarriesGoMessageAndByteOffset() async throws {
        let trailingComma = await failure(#"{"identifier":"email",}"#)
        XCTAssertEqual(trailingComma, .invalidJSON(message: "invalid character '}' looking for beginning of object key string",
                                                   byteOffset: 23))
        let empty = await failure("  ")
        XCTAssertEqual(empty, .invalidJSON(message: "unexpected end of JSON input", byteOffset: 0))
        let trailing = await failure(#"{"identifier":"email","records":[{}]}x"#)
        guard case .invalidJSON(let message, let offset)? = trailing else { return XCTFail("got \(String(describing: trailing))") }
        XCTAssertEqual(message, "invalid character 'x' after top-level value")
        XCTAssertNotNil(offset)
        XCTAssertFalse(trailing!.isRetryable)
    }

    /// A body cut mid-value is a 500 on the real server (spec §4.3), not InvalidJSON.
    func testTruncatedBodyIsAServerError() async throws {
        let error = await failure(#"{"identifier":"email""#)
        guard case .server(500, let body?, nil, nil)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(body.reason, "UnexpectedError")
        XCTAssertEqual(body.name, "InternalError")
    }

    func testSchemaViolationsListTheServersCauses() async throws {
        // The example pinned by the server's model_test.go (spec §4.3).
        let example = await failure(#"{"identifier":"foobar","records":[]}"#)
        guard case .invalidRequest(let causes)? = example else { return XCTFail("got \(String(describing: example))") }
        XCTAssertEqual(causes.map(\.location), ["/identifier", "/records"])
        XCTAssertEqual(causes.map(\.kind), ["enum", "minItems"])
        XCTAssertEqual(causes.map { $0.details?.jsonText ?? "-" }, [
            #"{"actual":"foobar","expected":["preferred_username","email","phone_number"]}"#,
            #"{"actual":0,"expected":1}"#,
        ])
        XCTAssertTrue(example!.description.contains("/identifier: enum"), example!.description)

        let unknownKey = await failure(#"{"identifier":"email","records":[{}],"users":[]}"#)
        XCTAssertEqual(unknownKey, .invalidRequest(causes: [ValidationCause(location: "/users", kind: "")]))

        let missing = await failure("{}")
        XCTAssertEqual(missing, .invalidRequest(causes: [ValidationCause(
            location: "", kind: "required",
            details: try JSONParser.parse(#"{"actual":null,"expected":["identifier","records"],"missing":["identifier","records"]}"#))]))

        let nonObjectRecord = await failure(#"{"identifier":"email","records":[1],"upsert":null}"#)
        guard case .invalidRequest(let more)? = nonObjectRecord else { return XCTFail("got \(String(describing: nonObjectRecord))") }
        XCTAssertEqual(more.map(\.location), ["/records/0", "/upsert"])
        XCTAssertEqual(more.map(\.kind), ["type", "type"])
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0)
    }

    /// 415 and the 400 content-type error cannot come from ImportClient (it always sends
    /// `application/json`): sent raw through CurlTransport, classified by ResponseClassifier.
    func testContentTypeRefusalsAreClassified() async throws {
        let token = try sandbox.signer().mint(at: Date()).value
        let transport = CurlTransport(userAgent: "sandbox-client-tests")
        defer { transport.close() }
        func send(_ contentType: String) async throws -> ImportAPIError {
            let request = HTTPRequest(method: "POST", url: sandbox.server.endpoint + "/_api/admin/users/import",
                                      headers: [HTTPHeader("Authorization", "Bearer " + token), HTTPHeader("Content-Type", contentType)],
                                      body: Array(#"{"identifier":"email","records":[{}]}"#.utf8), timeout: 10)
            let response = try await transport.send(request)
            if case .success(let job) = ResponseClassifier.job(from: response, now: Date(), secrets: [token]) {
                XCTFail("\(contentType): accepted as job \(job.id)")
            }
            return ResponseClassifier.error(for: response, now: Date(), secrets: [token])
        }
        let textPlain = try await send("text/plain")
        XCTAssertEqual(textPlain, .contentType(message: "invalid content type: text/plain"))
        let utf8 = try await send("application/json; charset=utf8")
        XCTAssertEqual(utf8, .contentType(message: "request content type is invalid"))
        let graphql = try await send("application/graphql")
        XCTAssertEqual(graphql, .contentType(message: "request content type is invalid"))
        XCTAssertFalse(textPlain.isRetryable)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0)
    }

    /// The quota is reserved per request, all or nothing (spec §10.1, §11); the client reports
    /// the period and the next UTC reset (the engine pauses the run until then).
    func testUsageLimitExceededGivesPeriodAndReset() async throws {
        let client = self.client!
        try await sandbox.control("PUT", "/_sandbox/project",
                                  #"{"usage_limits":{"user_import":[{"quota":5,"period":"day","action":"block"}]}}"#)
        _ = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<3))
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(3..<6))
        }
        guard case .usageLimitExceeded(let period, let resetsAt)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(period, "day")
        var utc = Calendar(identifier: .gregorian)
        utc.timeZone = TimeZone(identifier: "UTC")!
        let tomorrow = utc.date(byAdding: .day, value: 1, to: utc.startOfDay(for: Date()))!
        XCTAssertEqual(resetsAt, tomorrow, "resets at the next 00:00 UTC")
        XCTAssertFalse(error!.outcomeUnknown)
        // Nothing of the refused request was counted: two more records still fit.
        let fits = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(3..<5))
        XCTAssertEqual(fits.status, .pending)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 2)

        try await sandbox.control("PUT", "/_sandbox/project",
                                  #"{"usage_limits":{"user_import":[{"quota":1,"period":"month","action":"block"}]}}"#)
        let monthly = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(10..<12))
        }
        let nextMonth = utc.date(byAdding: .month, value: 1, to: utc.date(from: utc.dateComponents([.year, .month], from: Date()))!)!
        XCTAssertEqual(monthly, .usageLimitExceeded(period: "month", resetsAt: nextMonth))
    }

    func testUnknownAndExpiredJobsAreNotFound() async throws {
        let client = self.client!
        let unknown = "userimport_" + String(repeating: "0", count: 31) + "Z"
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in try await client.getJob(id: unknown) }
        XCTAssertEqual(error, .jobNotFound(id: unknown))
        XCTAssertFalse(error!.isRetryable)

        let created = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<2))
        _ = try await sandbox.waitForCompletion(client, id: created.id)
        // Retention is 24 h from creation (spec §10.4); tokens stay valid at the wall clock.
        try await sandbox.advanceClock(86_390)
        let late = try await client.getJob(id: created.id)
        XCTAssertEqual(late.status, .completed, "still there just under 24 h after creation")
        try await sandbox.advanceClock(11)
        let expired = await sandboxClientFailure { () async throws(ImportAPIError) in try await client.getJob(id: created.id) }
        XCTAssertEqual(expired, .jobNotFound(id: created.id))
    }

    /// A plain-text 404 (`404 page not found`) means the endpoint is not the Admin API.
    func testWrongEndpointPathIsEndpointNotFound() async throws {
        let wrong = try sandbox.client(endpoint: sandbox.server.endpoint + "/api")
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await wrong.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        }
        guard case .endpointNotFound(let snippet)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(snippet, "404 page not found")
    }
}
