import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// Job lifecycle, worker control, expiry, index offsets, quota and concurrency (spec §10, §11).
final class ServerJobTests: XCTestCase {
    var sandbox: TestSandbox!

    override func setUp() async throws { sandbox = try await TestSandbox.start() }
    override func tearDown() async throws { await sandbox.stop() }

    func testPendingThenCompletedWithPausedWorkerAndStep() async throws {
        let worker = await sandbox.control("PUT", "/_sandbox/worker", #"{"paused":true}"#)
        XCTAssertEqual(worker?["paused"], .bool(true))
        let created = await sandbox.post(TestSandbox.body(count: 150))
        let id = try XCTUnwrap(created.json?["result"]?["id"]?.stringValue)
        let v1 = await sandbox.get(id).json?["result"]
        let pending = try XCTUnwrap(v1)
        XCTAssertEqual(pending.objectValue?.map(\.key), ["id", "created_at", "status"])
        XCTAssertEqual(pending["status"], .string("pending"))

        let step1 = await sandbox.control("POST", "/_sandbox/worker/step", #"{"tasks":1}"#)
        XCTAssertEqual(step1?["processed"]?.int, 1)
        XCTAssertEqual(step1?["queued_tasks"]?.int, 1)
        let v2 = await sandbox.get(id).json?["result"]?["status"]
        XCTAssertEqual(v2, .string("pending"), "no partial progress")
        let control = await sandbox.control("GET", "/_sandbox/jobs/" + id)
        XCTAssertEqual(control?["tasks"]?.arrayValue?.map { $0["status"]?.stringValue ?? "" }, ["completed", "pending"])
        XCTAssertEqual(control?["record_count"]?.int, 150)

        let step2 = await sandbox.control("POST", "/_sandbox/worker/step", #"{"tasks":5}"#)
        XCTAssertEqual(step2?["processed"]?.int, 1)
        let v3 = await sandbox.get(id).json?["result"]
        let done = try XCTUnwrap(v3)
        XCTAssertEqual(done.objectValue?.map(\.key), ["id", "created_at", "completed_at", "status", "summary", "details"])
        XCTAssertEqual(done["summary"], try JSONParser.parse(#"{"total":150,"inserted":150,"updated":0,"skipped":0,"failed":0}"#))

        await sandbox.control("PUT", "/_sandbox/worker", #"{"paused":false}"#)
        let notPaused = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/_sandbox/worker/step", body: Array(#"{"tasks":1}"#.utf8))
        XCTAssertEqual(notPaused?.status, 409)
    }

    func testIndexOffsetsAcross250Records() async throws {
        let v4 = await sandbox.post(TestSandbox.body(count: 250)).json?["result"]?["id"]?.stringValue
        let id = try XCTUnwrap(v4)
        let v5 = await sandbox.waitCompleted(id)
        let result = try XCTUnwrap(v5)
        let details = try XCTUnwrap(result["details"]?.arrayValue)
        XCTAssertEqual(details.map { $0["index"]?.int ?? -1 }, Array(0..<250))
        XCTAssertEqual(details[249]["record"]?["email"], .string("user249@example.com"))
        XCTAssertEqual(result["summary"]?["total"]?.int, 250)
    }

    func testUnknownAndExpiredJobsAre404() async throws {
        let v6 = await sandbox.post(TestSandbox.body(count: 1)).json?["result"]?["id"]?.stringValue
        let id = try XCTUnwrap(v6)
        _ = await sandbox.waitCompleted(id)
        await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds":86399}"#)
        let v7 = await sandbox.get(id).status
        XCTAssertEqual(v7, 200)
        await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds":1}"#)
        let gone = await sandbox.get(id)
        XCTAssertEqual(gone.status, 404)
        XCTAssertEqual(gone.json?["error"]?["reason"], .string("TaskNotFound"))
        let v8 = await sandbox.get("task_ABC").status
        XCTAssertEqual(v8, 404)
    }

    func testDailyQuotaRejectsWholeRequestAndResetsNextDay() async throws {
        let project = await sandbox.control("PUT", "/_sandbox/project", #"{"usage_limits":{"user_import":[{"quota":5,"period":"day","action":"block"}]}}"#)
        XCTAssertNil(project?["error"])
        XCTAssertEqual(project?["admin_keys"]?.arrayValue?.first?["kid"], .string("test-kid"), "the sandbox key is kept")
        let v9 = await sandbox.post(TestSandbox.body(count: 3)).status
        XCTAssertEqual(v9, 200)
        let rejected = await sandbox.post(TestSandbox.body(count: 3, prefix: "b"))
        XCTAssertEqual(rejected.status, 429)
        XCTAssertEqual(rejected.text, #"{"error":{"name":"TooManyRequest","reason":"UsageLimitExceeded","message":"usage limit exceeded","code":429,"info":{"name":"UserImport","period":"day","usage_name":"user_import"}}}"# + "\n")
        let v10 = await sandbox.post(TestSandbox.body(count: 2, prefix: "c")).status
        XCTAssertEqual(v10, 200, "exactly at the quota")
        let v11 = await sandbox.post(TestSandbox.body(count: 1, prefix: "d")).status
        XCTAssertEqual(v11, 429)
        await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds":86400}"#)
        let v12 = await sandbox.post(TestSandbox.body(count: 5, prefix: "e")).status
        XCTAssertEqual(v12, 200)
        // An alert limit never rejects.
        await sandbox.control("PUT", "/_sandbox/project", #"{"usage_limits":{"user_import":[{"quota":1,"period":"month","action":"alert"}]}}"#)
        let v13 = await sandbox.post(TestSandbox.body(count: 3, prefix: "f")).status
        XCTAssertEqual(v13, 200)
    }

    func testResetClearsJobsAndUsage() async throws {
        let v14 = await sandbox.post(TestSandbox.body(count: 1)).json?["result"]?["id"]?.stringValue
        let id = try XCTUnwrap(v14)
        let v15 = await sandbox.control("POST", "/_sandbox/reset", "{}")
        XCTAssertEqual(v15, .object([]))
        let v16 = await sandbox.get(id).status
        XCTAssertEqual(v16, 404)
        let v17 = await sandbox.control("GET", "/_sandbox/jobs")?["jobs"]
        XCTAssertEqual(v17, .array([]))
        let bad = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/_sandbox/clock", body: Array(#"{"advance_seconds":"x"}"#.utf8))
        XCTAssertEqual(bad?.status, 400)
        XCTAssertEqual(bad?.json?["error"]?["path"], .string("/advance_seconds"))
        let v18 = await sandbox.control("GET", "/_sandbox/clock")?["offset_seconds"]?.int
        XCTAssertEqual(v18, 0)
    }

    func testFiftyParallelPostsAreAllAccountedFor() async throws {
        let sandbox: TestSandbox = self.sandbox
        let ids = await withTaskGroup(of: String?.self) { group in
            for i in 0..<50 {
                group.addTask { await sandbox.post(TestSandbox.body(count: 2, prefix: "p\(i)-")).json?["result"]?["id"]?.stringValue }
            }
            var ids: [String] = []
            for await id in group { if let id { ids.append(id) } }
            return ids
        }
        XCTAssertEqual(Set(ids).count, 50)
        var inserted = 0
        for id in ids { inserted += await sandbox.waitCompleted(id)?["summary"]?["inserted"]?.int ?? 0 }
        XCTAssertEqual(inserted, 100)
        let v19 = await sandbox.control("GET", "/_sandbox/jobs")?["jobs"]?.arrayValue?.count
        XCTAssertEqual(v19, 50)
    }

    func testSeededUserIsSkippedThenUpdated() async throws {
        let seeded = await sandbox.control("POST", "/_sandbox/users",
            #"{"users":[{"ref":"U1","identities":[{"type":"login_id","key":"email","value":"ada@example.com"}]}]}"#)
        let userID = try XCTUnwrap(seeded?["users"]?["U1"]?.stringValue)
        let badSeed = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/_sandbox/users", body: Array(#"{"people":[]}"#.utf8))
        XCTAssertEqual(badSeed?.status, 400)
        let v1 = await sandbox.post(#"{"identifier":"email","records":[{"email":"ada@example.com"}]}"#).json?["result"]?["id"]?.stringValue
        let skipped = await sandbox.waitCompleted(try XCTUnwrap(v1))?["details"]?.arrayValue?.first
        XCTAssertEqual(skipped?["outcome"], .string("skipped"))
        XCTAssertEqual(skipped?["user_id"], .string(userID))
        let v2 = await sandbox.post(#"{"identifier":"email","upsert":true,"records":[{"email":"ada@example.com","name":"Ada"}]}"#).json?["result"]?["id"]?.stringValue
        let updated = await sandbox.waitCompleted(try XCTUnwrap(v2))?["details"]?.arrayValue?.first
        XCTAssertEqual(updated?["outcome"], .string("updated"))
        let listed = await sandbox.control("GET", "/_sandbox/users")
        XCTAssertTrue(listed.map { JSONWriter().string($0) }?.contains(userID) ?? false)
    }

    func testKeyPersistsInDirectory() async throws {
        let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.server.keyFilePath)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let pem = try String(contentsOfFile: sandbox.server.keyFilePath, encoding: .utf8)
        XCTAssertTrue(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let again = try RSAKeyPair.loadOrCreate(at: sandbox.server.keyFilePath)
        XCTAssertFalse(again.created)
        XCTAssertEqual(again.pair, sandbox.server.keyPair)
    }
}
