import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// The engine against a sandbox that fails on purpose: 5xx after processing, connections dropped
/// after the request was read, 429 with Retry-After, crashed import tasks.
final class EngineFaultTests: SandboxTestCase {
    func testFaultyServerStillGivesOneOutcomePerRecordAndOneUserPerIdentifier() async throws {
        try await sandbox.setFaults("""
            {"seed": 20240601, "http": [
              {"kind": "status", "status": 500, "processed": true, "share": 0.2, "methods": ["POST"]},
              {"kind": "drop_after_read", "share": 0.1, "methods": ["POST"]},
              {"kind": "rate_limit", "retry_after_seconds": 1, "share": 0.05},
              {"kind": "status", "status": 502, "share": 0.05, "methods": ["GET"]}
            ], "tasks": [{"kind": "crash", "share": 0.1, "after_records": 3}]}
            """)
        let count = 600
        let source = sandbox.writeSource(count: count)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 30)
        let events = EventLog()
        let counts = try await sandbox.runner(run, workspace, journal: journal, events: events).run()
        XCTAssertEqual(counts.failed, 0)

        let users = try await sandbox.userIDsByEmail()
        let latest = try RunChecks.assertComplete(journal: journal, runID: run.id, count: count, users: users)
        try RunChecks.assertInsertedAtMostOnce(journal: journal, runID: run.id, count: count)
        XCTAssertEqual(Set(latest.values.compactMap(\.userID)).count, count)

        // The faults really happened.
        let batches = try journal.batches(run: run.id)
        let interrupted = batches.filter { $0.interruptedAt != nil }
        XCTAssertFalse(interrupted.isEmpty, "no POST ended with an unknown outcome")
        XCTAssertFalse(events.retries.isEmpty)
        XCTAssertTrue(batches.allSatisfy { $0.state == .completed })

        // No user existed before the run: every `skipped` was created by an interrupted attempt of
        // this run, and must say so with that attempt's time.
        let skipped = latest.values.filter { $0.outcome == .skipped }
        XCTAssertFalse(skipped.isEmpty, "re-sent batches found no existing user")
        for r in skipped {
            XCTAssertNotNil(r.possiblyCreatedAt, "record \(r.record) skipped without possiblyCreatedAt")
        }
        for b in interrupted where b.purpose == .initial {
            for r in latest.values where r.batchID == b.id && r.outcome == .skipped {
                XCTAssertEqual(r.possiblyCreatedAt?.timeIntervalSince1970 ?? 0, b.interruptedAt!.timeIntervalSince1970, accuracy: 0.001)
            }
        }
    }

    func testCrashedTaskIsRecoveredWithoutCreatingAnyUserTwice() async throws {
        // The fault is drawn when the job is created: crash task 0 of the first job only.
        try await sandbox.setWorkerPaused(true)
        try await sandbox.setFaults(#"{"seed": 1, "tasks": [{"kind": "crash", "task_index": 0, "after_records": 3}]}"#)
        let source = sandbox.writeSource(count: 250)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 250)
        let events = EventLog()
        let runner = try sandbox.runner(run, workspace, journal: journal, events: events, concurrency: 1)
        let task = Task { try await runner.run() }
        let deadline = Date().addingTimeInterval(20)
        while try journal.batches(run: run.id).first?.state != .sent {
            if Date() > deadline { task.cancel(); return XCTFail("the batch was never sent") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        try await sandbox.setFaults("{}")
        try await sandbox.setWorkerPaused(false)
        let counts = try await task.value
        XCTAssertEqual(counts.failed, 0)

        let users = try await sandbox.userIDsByEmail()
        let latest = try RunChecks.assertComplete(journal: journal, runID: run.id, count: 250, users: users)
        try RunChecks.assertInsertedAtMostOnce(journal: journal, runID: run.id, count: 250)
        let batches = try journal.batches(run: run.id)
        XCTAssertEqual(batches.count, 2)
        let recovery = try XCTUnwrap(batches.last)
        XCTAssertEqual(recovery.purpose, .recovery)
        XCTAssertEqual(recovery.records, Array(0..<100), "task 0 of the job held records 0–99")
        XCTAssertFalse(recovery.upsert)
        XCTAssertEqual(events.recoveries, 1)
        XCTAssertTrue(try journal.events(run: run.id).contains { $0.kind == "job_error" })

        for i in 0..<3 {
            // Committed by the crashed task before it failed: found again by the recovery.
            XCTAssertEqual(latest[i]?.outcome, .skipped, "record \(i)")
            XCTAssertEqual(latest[i]?.batchID, recovery.id)
            XCTAssertNotNil(latest[i]?.possiblyCreatedAt, "record \(i): created by this run's crashed task, not before the run")
        }
        for i in 3..<100 {
            XCTAssertEqual(latest[i]?.outcome, .inserted, "record \(i)")
            XCTAssertEqual(latest[i]?.batchID, recovery.id)
        }
        for i in 100..<250 {
            XCTAssertEqual(latest[i]?.outcome, .inserted, "record \(i)")
            XCTAssertEqual(latest[i]?.batchID, batches[0].id)
        }
    }

    func testDroppedConnectionsAfterTheServerReadTheRequestNeverDuplicateUsers() async throws {
        // Every POST is processed and its answer lost at first; the re-sends find the users.
        try await sandbox.setFaults(#"{"seed": 5, "http": [{"kind": "drop_after_read", "share": 0.5, "methods": ["POST"]}]}"#)
        let source = sandbox.writeSource(count: 200)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 20)
        _ = try await sandbox.runner(run, workspace, journal: journal).run()
        let users = try await sandbox.userIDsByEmail()
        let latest = try RunChecks.assertComplete(journal: journal, runID: run.id, count: 200, users: users)
        try RunChecks.assertInsertedAtMostOnce(journal: journal, runID: run.id, count: 200)
        let batches = try journal.batches(run: run.id)
        XCTAssertTrue(batches.contains { $0.attempts > 1 && $0.interruptedAt != nil })
        for b in batches where b.interruptedAt == nil {
            XCTAssertTrue(latest.values.filter { $0.batchID == b.id }.allSatisfy { $0.outcome == .inserted }, "batch \(b.id)")
        }
        for r in latest.values where r.outcome == .skipped { XCTAssertNotNil(r.possiblyCreatedAt, "record \(r.record)") }
    }
}
