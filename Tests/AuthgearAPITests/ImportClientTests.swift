import Foundation
import MigrationCore
import XCTest
@testable import AuthgearAPI

/// A transport that records requests and answers from a script.
final class ScriptedImportTransport: HTTPTransport, @unchecked Sendable {
    // @unchecked: all state is guarded by `lock`.
    private let lock = NSLock()
    private var answers: [Result<HTTPResponse, TransportError>]
    private var sent: [HTTPRequest] = []

    init(_ answers: [Result<HTTPResponse, TransportError>]) { self.answers = answers }

    var requests: [HTTPRequest] { lock.withLock { sent } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        let next: Result<HTTPResponse, TransportError> = lock.withLock {
            sent.append(request)
            return answers.isEmpty ? .failure(.notSent("script exhausted")) : answers.removeFirst()
        }
        return try next.get()
    }
}

/// A minter that returns a fixed token (the client must not care how tokens are made).
struct FixedTokenMinter: AdminTokenMinting {
    let value: String
    func mint(at now: Date) throws(TokenSigningError) -> MintedToken {
        let t = Int(now.timeIntervalSince1970)
        return MintedToken(value: value, issuedAt: t, expiresAt: t + 300)
    }
}

func importAPIJSONResponse(_ status: Int, _ body: String, headers: [HTTPHeader] = []) -> HTTPResponse {
    HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "application/json")] + headers, body: Array(body.utf8))
}

final class ImportClientTests: XCTestCase {
    static let token = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJteWFwcCJ9.c2ln"
    let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z

    private func client(_ transport: ScriptedImportTransport, endpoint: String = "https://myapp.authgear.cloud/") -> ImportClient {
        let tokens = TokenProvider(minter: FixedTokenMinter(value: Self.token), clock: { [now] in now })
        let now = self.now
        return ImportClient(endpoint: endpoint, projectID: "myapp", tokens: tokens, transport: transport,
                            userAgent: "authgear-migrate/1.0", clock: { now })
    }

    func testCreateJobSendsExactBodyAndHeaders() async throws {
        let transport = ScriptedImportTransport([.success(importAPIJSONResponse(200,
            #"{"result":{"id":"userimport_8ZK3Q0M1W2X9YV4B7N5T6R0P1S2D3F4G","created_at":"2026-01-01T00:00:00.123456789Z","status":"pending"}}"#,
            headers: [HTTPHeader("Date", "Thu, 01 Jan 2026 00:00:03 GMT")]))])
        let body = Array(#"{"identifier":"email","records":[{"email":"ada@example.com"}]}"#.utf8)
        let job = try await client(transport).createJob(body: body)
        XCTAssertEqual(job, ImportJob(id: "userimport_8ZK3Q0M1W2X9YV4B7N5T6R0P1S2D3F4G",
                                      createdAt: "2026-01-01T00:00:00.123456789Z", status: .pending,
                                      serverDate: now.addingTimeInterval(3)))
        let request = try XCTUnwrap(transport.requests.first)
        XCTAssertEqual(request.method, "POST")
        XCTAssertEqual(request.url, "https://myapp.authgear.cloud/_api/admin/users/import")
        XCTAssertEqual(request.body, body)
        func header(_ name: String) -> String? { request.headers.first { $0.name == name }?.value }
        XCTAssertEqual(header("Authorization"), "Bearer " + Self.token)
        XCTAssertEqual(header("Content-Type"), "application/json")
        XCTAssertEqual(header("User-Agent"), "authgear-migrate/1.0")
    }

    func testCreateJobFromRecordsWritesTheEnvelope() async throws {
        let transport = ScriptedImportTransport([.success(importAPIJSONResponse(200, #"{"result":{"id":"userimport_A","created_at":"x","status":"pending"}}"#))])
        let record = JSONValue.object([JSONMember("email", .string("a@b.c")), JSONMember("age", .number("1.0"))])
        _ = try await client(transport).createJob(identifier: "email", upsert: true, records: [record, .object([])])
        XCTAssertEqual(transport.requests.first?.body.map { String(decoding: $0, as: UTF8.self) },
                       #"{"identifier":"email","upsert":true,"records":[{"email":"a@b.c","age":1.0},{}]}"#)
    }

    func testGetCompletedJobDecodesEverything() async throws {
        let body = #"""
        {"result": {
          "id": "userimport_0W5R2Q8M1N3B7C4D6F9G0H2J5K7P1S3T", "created_at": "2026-01-01T00:00:00.1Z",
          "completed_at": "2026-01-01T00:00:01.734Z", "status": "completed",
          "summary": {"total": 3, "inserted": 1, "updated": 0, "skipped": 1, "failed": 1},
          "details": [
            {"index": 0, "record": {"disabled": true, "preferred_username": "testuser01"},
             "outcome": "inserted", "user_id": "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b"},
            {"index": 1, "record": {"preferred_username": "testuser02"}, "outcome": "failed",
             "warnings": [{"message": "email = null has no effect in insert."}],
             "errors": [{"name": "Invalid", "reason": "InvariantViolated", "message": "identity already exists",
                         "code": 400, "info": {"cause": {"kind": "DuplicatedIdentity"}},
                         "tracking_id": "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331"}]},
            {"index": 2, "outcome": "skipped", "user_id": "u3",
             "warnings": [{"message": "skipping because upsert = false and user exists"}]}]}}
        """#
        let transport = ScriptedImportTransport([.success(importAPIJSONResponse(200, body))])
        let job = try await client(transport).getJob(id: "userimport_0W5R2Q8M1N3B7C4D6F9G0H2J5K7P1S3T")
        XCTAssertEqual(transport.requests.first?.method, "GET")
        XCTAssertEqual(transport.requests.first?.url,
                       "https://myapp.authgear.cloud/_api/admin/users/import/userimport_0W5R2Q8M1N3B7C4D6F9G0H2J5K7P1S3T")
        XCTAssertNil(transport.requests.first?.body)
        XCTAssertNil(transport.requests.first?.headers.first { $0.name == "Content-Type" })
        XCTAssertEqual(job.status, .completed)
        XCTAssertEqual(job.completedAt, "2026-01-01T00:00:01.734Z")
        XCTAssertEqual(job.summary, .init(total: 3, inserted: 1, updated: 0, skipped: 1, failed: 1))
        XCTAssertEqual(job.details.map(\.index), [0, 1, 2])
        XCTAssertEqual(job.details.map(\.outcome), [.inserted, .failed, .skipped])
        XCTAssertEqual(job.details[0].userID, "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b")
        XCTAssertEqual(job.details[0].record?["preferred_username"], .string("testuser01"))
        XCTAssertNil(job.details[1].userID)
        XCTAssertEqual(job.details[1].warnings, ["email = null has no effect in insert."])
        XCTAssertEqual(job.details[1].errors.first?.reason, "InvariantViolated")
        XCTAssertEqual(job.details[1].errors.first?.causeKind, "DuplicatedIdentity")
        XCTAssertEqual(job.details[1].errors.first?.code, 400)
        XCTAssertEqual(job.details[1].errors.first?.trackingID, "0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331")
        XCTAssertNil(job.details[2].record)
        XCTAssertNil(job.error)
    }

    func testCrashedTaskErrorAndUnknownOutcome() async throws {
        let body = #"{"result":{"id":"userimport_X","created_at":"t","completed_at":"t","status":"completed","#
            + #""error":{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500},"#
            + #""summary":{"total":1,"inserted":0,"updated":0,"skipped":0,"failed":0},"#
            + #""details":[{"index":0,"outcome":"deduplicated"}]}}"#
        let job = try await client(ScriptedImportTransport([.success(importAPIJSONResponse(200, body))])).getJob(id: "userimport_X")
        XCTAssertEqual(job.error?.reason, "UnexpectedError")
        XCTAssertEqual(job.details.first?.outcome, .other("deduplicated"))
    }

    func testLegacyUnwrappedBodyAndTaskID() async throws {
        let transport = ScriptedImportTransport([
            .success(importAPIJSONResponse(200, #"{"id":"task_01HZX5K2","created_at":"2024-09-01T00:00:00Z","status":"pending"}"#)),
            .success(importAPIJSONResponse(200, #"{"id":"task_01HZX5K2","created_at":"2024-09-01T00:00:00Z","completed_at":"2024-09-01T00:00:05Z","status":"completed","summary":{"total":1,"inserted":1,"updated":0,"skipped":0,"failed":0},"details":[{"index":0,"outcome":"inserted","user_id":"u1"}]}"#)),
        ])
        let c = client(transport)
        let created = try await c.createJob(body: Array("{}".utf8))
        XCTAssertEqual(created.id, "task_01HZX5K2")
        XCTAssertEqual(created.status, .pending)
        let done = try await c.getJob(id: created.id)
        XCTAssertEqual(transport.requests.last?.url, "https://myapp.authgear.cloud/_api/admin/users/import/task_01HZX5K2")
        XCTAssertEqual(done.summary?.inserted, 1)
        XCTAssertEqual(done.details.first?.userID, "u1")
    }

    func testJobIDIsOnePathSegment() async {
        let transport = ScriptedImportTransport([])
        _ = try? await client(transport, endpoint: "http://localhost:3000//").getJob(id: "a/b c")
        XCTAssertEqual(transport.requests.first?.url, "http://localhost:3000/_api/admin/users/import/a%2Fb%20c")
    }

    func testTransportFailuresAreWrapped() async {
        for failure in [TransportError.notSent("connection refused"), .outcomeUnknown("timeout"), .cancelled] {
            do {
                _ = try await client(ScriptedImportTransport([.failure(failure)])).createJob(body: [])
                XCTFail("expected an error")
            } catch {
                XCTAssertEqual(error, .transport(failure))
            }
        }
    }

    func testForbiddenDropsTheCachedTokenAndNeverQuotesIt() async throws {
        let tokens = TokenProvider(minter: FixedTokenMinter(value: Self.token), clock: { [now] in now })
        let transport = ScriptedImportTransport([
            .success(HTTPResponse(status: 403, headers: [HTTPHeader("Content-Type", "text/plain; charset=utf-8"),
                                                        HTTPHeader("Date", "Thu, 01 Jan 2026 00:07:00 GMT")],
                                  body: Array("Forbidden\n".utf8))),
            .success(importAPIJSONResponse(200, #"{"result":{"id":"userimport_A","created_at":"x","status":"pending"}}"#)),
        ])
        let now = self.now
        let c = ImportClient(endpoint: "https://myapp.authgear.cloud", projectID: "myapp", tokens: tokens,
                             transport: transport, userAgent: "ua", clock: { now })
        do {
            _ = try await c.getJob(id: "userimport_A")
            XCTFail("expected 403")
        } catch {
            XCTAssertEqual(error, .forbidden(clockSkew: -420))
            XCTAssertFalse(error.description.contains(Self.token))
            XCTAssertTrue(error.description.contains("7 minute(s) behind"), error.description)
        }
        _ = try await c.getJob(id: "userimport_A")
        let minted = await tokens.mintCount
        XCTAssertEqual(minted, 2)
    }

    func testSnippetsNeverQuoteTheBearerToken() async {
        let echo = "<html><body>Bad request: Authorization: Bearer \(Self.token)</body></html>"
        let transport = ScriptedImportTransport([.success(HTTPResponse(status: 418, body: Array(echo.utf8)))])
        do {
            _ = try await client(transport).getJob(id: "x")
        } catch {
            guard case .unexpectedResponse(418, let snippet) = error else { return XCTFail("\(error)") }
            XCTAssertFalse(snippet.contains("eyJ"), snippet)
            XCTAssertTrue(snippet.contains("[redacted]"), snippet)
        }
    }
}
