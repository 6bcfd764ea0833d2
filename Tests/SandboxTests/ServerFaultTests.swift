import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// HTTP and task fault injection (`PUT /_sandbox/faults`).
final class ServerFaultTests: XCTestCase {
    var sandbox: TestSandbox!

    override func setUp() async throws { sandbox = try await TestSandbox.start() }
    override func tearDown() async throws { await sandbox.stop() }

    private func jobCount() async -> Int { await sandbox.control("GET", "/_sandbox/jobs")?["jobs"]?.arrayValue?.count ?? -1 }

    func testStatusFaults() async throws {
        await sandbox.control("PUT", "/_sandbox/faults", #"{"http":[{"kind":"status","status":503,"methods":["POST"]}]}"#)
        let unavailable = await sandbox.post(TestSandbox.body(count: 1))
        XCTAssertEqual(unavailable.status, 503)
        XCTAssertEqual(unavailable.header("Content-Type"), "text/plain; charset=utf-8")
        let notProcessed = await jobCount()
        XCTAssertEqual(notProcessed, 0)
        let v1 = await sandbox.get("userimport_X").status
        XCTAssertEqual(v1, 404, "GET is not affected")

        await sandbox.control("PUT", "/_sandbox/faults", #"{"http":[{"kind":"status","status":500,"processed":true}]}"#)
        let processed = await sandbox.post(TestSandbox.body(count: 1))
        XCTAssertEqual(processed.status, 500)
        XCTAssertEqual(processed.json?["error"]?["reason"], .string("UnexpectedError"))
        let afterProcessed = await jobCount()
        XCTAssertEqual(afterProcessed, 1, "the job exists although the client saw 500")
        let effective = await sandbox.control("PUT", "/_sandbox/faults", "{}")
        XCTAssertEqual(effective?["http"], .array([]))
        let v2 = await sandbox.post(TestSandbox.body(count: 1, prefix: "z")).status
        XCTAssertEqual(v2, 200)
    }

    func testRateLimitAndLatency() async throws {
        await sandbox.control("PUT", "/_sandbox/faults", #"{"http":[{"kind":"rate_limit","retry_after_seconds":2},{"kind":"latency","latency_ms":300,"methods":["GET"]}]}"#)
        let limited = await sandbox.post(TestSandbox.body(count: 1))
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.header("Retry-After"), "2")
        let limitedCount = await jobCount()
        XCTAssertEqual(limitedCount, 0)
        await sandbox.control("PUT", "/_sandbox/faults", #"{"http":[{"kind":"latency","latency_ms":300,"methods":["GET"]}]}"#)
        let start = Date()
        let v3 = await sandbox.get("userimport_X").status
        XCTAssertEqual(v3, 404)
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(start), 0.3)
    }

    func testDropAfterReadCreatesJobWithoutAnswer() async throws {
        await sandbox.control("PUT", "/_sandbox/faults", #"{"http":[{"kind":"drop_after_read","methods":["POST"]}]}"#)
        let dropped = await sandbox.postBytes(Array(TestSandbox.body(count: 1).utf8))
        XCTAssertNil(dropped, "connection closed without a response")
        let count = await jobCount()
        XCTAssertEqual(count, 1)
    }

    func testSeededSharesReplay() async throws {
        func statuses() async -> [Int] {
            await sandbox.control("PUT", "/_sandbox/faults", #"{"seed":42,"http":[{"kind":"status","status":502,"share":0.5,"methods":["GET"]}]}"#)
            var out: [Int] = []
            for _ in 0..<20 { out.append(await sandbox.get("userimport_X").status) }
            return out
        }
        let first = await statuses()
        let second = await statuses()
        XCTAssertEqual(first, second)
        XCTAssertTrue(first.contains(502) && first.contains(404), "\(first)")
    }

    func testCrashedAndHungTasks() async throws {
        await sandbox.control("PUT", "/_sandbox/faults", #"{"tasks":[{"kind":"crash","task_index":1,"after_records":10}]}"#)
        let v4 = await sandbox.post(TestSandbox.body(count: 250)).json?["result"]?["id"]?.stringValue
        let id = try XCTUnwrap(v4)
        let v5 = await sandbox.waitCompleted(id)
        let result = try XCTUnwrap(v5)
        XCTAssertEqual(result["error"]?["reason"], .string("UnexpectedError"))
        XCTAssertEqual(result["summary"]?["total"]?.int, 150)
        let indices = result["details"]?.arrayValue?.map { $0["index"]?.int ?? -1 } ?? []
        XCTAssertEqual(indices, Array(0..<100) + Array(200..<250))
        // The crashed task's first 10 records were committed: re-importing them skips.
        await sandbox.control("PUT", "/_sandbox/faults", "{}")
        let v6 = await sandbox.post(#"{"identifier":"email","records":[{"email":"user105@example.com"},{"email":"user115@example.com"}]}"#).json?["result"]?["id"]?.stringValue
        let again = try XCTUnwrap(v6)
        let outcomes = await sandbox.waitCompleted(again)?["details"]?.arrayValue?.map { $0["outcome"]?.stringValue ?? "" }
        XCTAssertEqual(outcomes, ["skipped", "inserted"])

        await sandbox.control("PUT", "/_sandbox/faults", #"{"tasks":[{"kind":"hang"}]}"#)
        let v7 = await sandbox.post(TestSandbox.body(count: 1, prefix: "h")).json?["result"]?["id"]?.stringValue
        let hung = try XCTUnwrap(v7)
        await sandbox.control("PUT", "/_sandbox/faults", "{}")
        let v8 = await sandbox.post(TestSandbox.body(count: 1, prefix: "k")).json?["result"]?["id"]?.stringValue
        let later = try XCTUnwrap(v8)
        _ = await sandbox.waitCompleted(later)
        let v9 = await sandbox.get(hung).json?["result"]?["status"]
        XCTAssertEqual(v9, .string("pending"), "the hung task never completes")
        await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds":86400}"#)
        let v10 = await sandbox.get(hung).status
        XCTAssertEqual(v10, 404)
    }

    func testBadFaultBodyChangesNothing() async throws {
        await sandbox.control("PUT", "/_sandbox/faults", #"{"http":[{"kind":"status","status":503}]}"#)
        let bad = await RawHTTP.send(port: sandbox.port, method: "PUT", path: "/_sandbox/faults",
                                     body: Array(#"{"http":[{"kind":"explode"}]}"#.utf8))
        XCTAssertEqual(bad?.status, 400)
        XCTAssertEqual(bad?.json?["error"]?["path"], .string("/http/0/kind"))
        let v11 = await sandbox.post(TestSandbox.body(count: 1)).status
        XCTAssertEqual(v11, 503, "previous faults still apply")
        let v12 = await sandbox.control("GET", "/_sandbox/clock")?["offset_seconds"]?.int
        XCTAssertEqual(v12, 0, "control API is never faulted")
    }
}
