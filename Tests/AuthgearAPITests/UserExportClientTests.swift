import Foundation
import MigrationCore
import XCTest
@testable import AuthgearAPI

final class UserExportClientTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    static let id = "userexport_7XQ2M9K4T1C8R0V6N3B5W2Z9HJ4DPG0F"

    private func connection(_ transport: ScriptedImportTransport) -> AdminAPIConnection {
        let now = self.now
        return AdminAPIConnection(endpoint: "https://myapp.authgear.cloud/", tokens: TokenProvider(minter: FixedTokenMinter(value: ImportClientTests.token), clock: { now }),
                                  transport: transport, userAgent: "authgear-migrate/1.0", clock: { now })
    }

    func testCreatePollAndDownloadStreamsEveryLineWithoutTheToken() async throws {
        let ada = #"{"sub":"6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b","email":"ada@example.com","email_verified":true,"phone_number_verified":false,"name":"Ada Lovelace","address":{},"created_at":"2026-01-01T00:00:00.734521Z","disabled":false,"is_anonymized":false,"identities":[{"type":"login_id","login_id":{"key":"email","type":"email","value":"ada@example.com","original_value":"Ada@Example.com"},"claims":{"email":"ada@example.com"}}],"mfa":{"totps":[{"secret":"JBSWY3DPEHPK3PXP","uri":"otpauth://x"}]},"biometric_count":0,"passkey_count":0}"#
        let bob = #"{"sub":"b7e1c7a2-0f3d-4f6e-9a51-2c4d8e9f1a20","preferred_username":"bob_lee","email_verified":false,"phone_number_verified":false,"address":{"country":"HK"},"custom_attributes":{"age":37},"roles":["role_a"],"created_at":"2026-01-01T00:00:01Z","disabled":true,"is_anonymized":false,"mfa":{},"biometric_count":0,"passkey_count":0}"#
        let transport = ScriptedImportTransport([
            .success(importAPIJSONResponse(200, #"{"result":{"id":"\#(Self.id)","created_at":"2026-01-01T00:00:05.123456789Z","status":"pending","request":{"format":"ndjson"}}}"#)),
            .success(importAPIJSONResponse(200, #"{"result":{"id":"\#(Self.id)","created_at":"2026-01-01T00:00:05Z","status":"pending","request":{"format":"ndjson"}}}"#)),
            .success(importAPIJSONResponse(200, #"{"result":{"id":"\#(Self.id)","created_at":"2026-01-01T00:00:05Z","completed_at":"2026-01-01T00:00:06Z","status":"completed","request":{"format":"ndjson"},"download_url":"https://bucket.example/f.ndjson?X-Amz-Expires=60"}}"#)),
            .success(HTTPResponse(status: 200, body: Array((ada + "\n" + bob + "\n").utf8))),
        ])
        let client = UserExportClient(connection: connection(transport))
        let task = try await client.create()
        XCTAssertEqual(task.id, Self.id)
        XCTAssertEqual(task.state, .pending)
        let url = try await client.waitForDownloadURL(id: task.id, sleep: { _ in })
        XCTAssertEqual(url, "https://bucket.example/f.ndjson?X-Amz-Expires=60")
        let users = UsersCollected()
        let (lines, _) = try await client.download(url: url) { bytes in
            users.add(ProjectUser(exportRecord: try! JSONParser.parse(bytes))!)
            return true
        }
        XCTAssertEqual(lines, 2)
        XCTAssertEqual(users.all.map(\.id), ["6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b", "b7e1c7a2-0f3d-4f6e-9a51-2c4d8e9f1a20"])
        XCTAssertEqual(users.all[0].loginIDs, [ProjectUser.LoginID(key: "email", type: "email", value: "ada@example.com", originalValue: "Ada@Example.com")])
        XCTAssertEqual(users.all[0].totpSecrets, ["JBSWY3DPEHPK3PXP"])
        XCTAssertNil(users.all[0].standardAttributes["address"], "an empty address is no address")
        XCTAssertEqual(users.all[1].customAttributes["age"], .number("37"))
        XCTAssertEqual(users.all[1].roles, ["role_a"])
        XCTAssertTrue(users.all[1].disabled)
        let requests = transport.requests
        XCTAssertEqual(requests.map(\.method), ["POST", "GET", "GET", "GET"])
        XCTAssertEqual(requests[0].url, "https://myapp.authgear.cloud/_api/admin/users/export")
        XCTAssertEqual(requests[0].body, Array(#"{"format":"ndjson"}"#.utf8))
        XCTAssertEqual(requests[1].url, "https://myapp.authgear.cloud/_api/admin/users/export/\(Self.id)")
        XCTAssertNil(requests[3].headers.first { $0.name == "Authorization" }, "the Admin API token never goes to the bucket")
    }

    func testAFailedExportIsCompletedWithFailedAt() async throws {
        let transport = ScriptedImportTransport([.success(importAPIJSONResponse(200,
            #"{"result":{"id":"\#(Self.id)","created_at":"x","failed_at":"2026-01-01T00:00:09.5Z","status":"completed","request":{"format":"ndjson"},"error":{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500}}}"#))])
        let client = UserExportClient(connection: connection(transport))
        do {
            _ = try await client.waitForDownloadURL(id: Self.id, sleep: { _ in })
            XCTFail("a failed export has no URL")
        } catch let error as UserExportError {
            guard case .exportFailed(Self.id, let body?) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(body.reason, "UnexpectedError")
        }
    }

    func testDisabledQuotaNotFoundAndExpiredURLAreTyped() async throws {
        let transport = ScriptedImportTransport([
            .success(importAPIJSONResponse(500, #"{"error":{"name":"InternalError","reason":"UserExportDisabled","message":"User export disabled","code":500}}"#)),
            .success(importAPIJSONResponse(429, #"{"error":{"name":"TooManyRequest","reason":"UsageLimitExceeded","message":"usage limit exceeded","code":429,"info":{"name":"UserExport","period":"day","usage_name":"user_export"}}}"#)),
            .success(importAPIJSONResponse(404, #"{"error":{"name":"NotFound","reason":"TaskNotFound","message":"task not found","code":404}}"#)),
            .success(HTTPResponse(status: 403, body: Array("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>".utf8))),
        ])
        let client = UserExportClient(connection: connection(transport))
        await assertThrows(try await client.create()) { XCTAssertEqual($0, .disabled) }
        await assertThrows(try await client.create()) {
            XCTAssertEqual($0, .usageLimitExceeded(period: "day", resetsAt: self.now.addingTimeInterval(86_400)))
            XCTAssertTrue($0.description.contains("user_export"))
        }
        await assertThrows(try await client.get(id: Self.id)) { XCTAssertEqual($0, .taskNotFound(id: Self.id)) }
        do {
            _ = try await client.download(url: "https://bucket.example/f") { _ in true }
            XCTFail("an expired URL is refused")
        } catch {
            guard case .downloadRefused(403, let snippet) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(snippet.contains("expired"), snippet)
        }
    }

    func testLineSinkJoinsLinesSplitAcrossChunksAndDropsCR() {
        var lines: [String] = []
        let sink = LineSink { bytes in lines.append(String(decoding: bytes, as: UTF8.self)); return true }
        for chunk in ["{\"a\":", "1}\r\n{\"b\"", ":2}\n\n", "{\"c\":3}"] {
            XCTAssertTrue(Array(chunk.utf8).withUnsafeBytes { sink.receive($0) })
        }
        XCTAssertEqual(lines, [#"{"a":1}"#, #"{"b":2}"#])
        sink.finish()
        XCTAssertEqual(lines, [#"{"a":1}"#, #"{"b":2}"#, #"{"c":3}"#])
        XCTAssertEqual(sink.lines, 3)
    }

    private func assertThrows<T>(_ body: @autoclosure () async throws -> T, _ check: (UserExportError) -> Void,
                                 file: StaticString = #filePath, line: UInt = #line) async {
        do {
            _ = try await body()
            XCTFail("no error", file: file, line: line)
        } catch let error as UserExportError {
            check(error)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }
}

final class UsersCollected: @unchecked Sendable {
    private let lock = NSLock()
    private var users: [ProjectUser] = []
    func add(_ u: ProjectUser) { lock.withLock { users.append(u) } }
    var all: [ProjectUser] { lock.withLock { users } }
}
