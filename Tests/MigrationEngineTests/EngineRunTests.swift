import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// The engine end to end over loopback HTTP against a real sandbox: clean runs, second runs,
/// quota pauses, changed sources and expired jobs.
final class EngineRunTests: SandboxTestCase {
    func testCleanRunInsertsEveryRecordOnceAndJournalsTheSandboxUserIDs() async throws {
        let source = sandbox.writeSource(count: 230)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 50)
        XCTAssertEqual(try journal.batches(run: run.id).count, 5)
        let events = EventLog()
        let counts = try await sandbox.runner(run, workspace, journal: journal, events: events).run()
        XCTAssertEqual(counts.inserted, 230)
        XCTAssertEqual(counts.total, 230)

        let users = try await sandbox.userIDsByEmail()
        let latest = try RunChecks.assertComplete(journal: journal, runID: run.id, count: 230, users: users)
        XCTAssertTrue(latest.values.allSatisfy { $0.outcome == .inserted && $0.possiblyCreatedAt == nil })
        XCTAssertEqual(Set(latest.values.compactMap(\.userID)).count, 230, "user_ids are distinct")
        let batches = try journal.batches(run: run.id)
        XCTAssertTrue(batches.allSatisfy { $0.state == .completed && $0.jobID != nil && $0.attempts == 1 })
        XCTAssertEqual(events.recoveries, 0)
        if case .finished(let totals)? = events.all.last { XCTAssertEqual(totals.inserted, 230) } else {
            XCTFail("the last event is not .finished")
        }
    }

    func testSecondRunOfTheSameFileSkipsEveryRecordWithTheSameUserIDs() async throws {
        let source = sandbox.writeSource(count: 120)
        let journal = try sandbox.journal()
        let (first, ws1) = try sandbox.startRun(source, journal: journal)
        _ = try await sandbox.runner(first, ws1, journal: journal).run()
        let firstResults = try journal.latestResults(run: first.id)

        let (second, ws2) = try sandbox.startRun(source, journal: journal)
        let counts = try await sandbox.runner(second, ws2, journal: journal).run()
        XCTAssertEqual(counts.skipped, 120)
        XCTAssertEqual(counts.inserted, 0)

        let users = try await sandbox.userIDsByEmail()
        let latest = try RunChecks.assertComplete(journal: journal, runID: second.id, count: 120, users: users)
        for i in 0..<120 {
            XCTAssertEqual(latest[i]?.outcome, .skipped)
            XCTAssertEqual(latest[i]?.userID, firstResults[i]?.userID, "record \(i)")
            // Nothing was interrupted: these users existed before this run.
            XCTAssertNil(latest[i]?.possiblyCreatedAt, "record \(i)")
            XCTAssertFalse(latest[i]?.warnings.isEmpty ?? true, "record \(i) keeps the server's skip warning")
        }
    }

    func testQuotaExhaustionPausesTheRunAndAdvancingTheClockLetsItFinish() async throws {
        try await sandbox.control("PUT", "/_sandbox/project",
                                  #"{"usage_limits": {"user_import": [{"quota": 120, "period": "day", "action": "block"}]}}"#)
        let source = sandbox.writeSource(count: 300)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 50)
        let events = EventLog()
        let first = try sandbox.runner(run, workspace, journal: journal, events: events, concurrency: 1)
        let stop = await RunChecks.stop(of: first)
        guard case .quota(let period, _)? = stop else { return XCTFail("expected a quota stop, got \(String(describing: stop))") }
        XCTAssertEqual(period, "day")
        XCTAssertTrue(stop!.description.contains("daily"), stop!.description)
        let paused = try XCTUnwrap(journal.run(id: run.id))
        XCTAssertEqual(paused.state, .paused)
        XCTAssertNotNil(paused.pausedReason)
        XCTAssertEqual(try journal.latestUnfinishedRun()?.id, run.id)
        let before = try journal.latestResults(run: run.id)
        XCTAssertEqual(before.count, 100, "two batches of 50 fit in the quota")
        XCTAssertTrue(events.all.contains { if case .paused = $0 { return true } else { return false } })
        let usersAtPause = try await sandbox.users()
        XCTAssertEqual(usersAtPause.count, 100)

        // Resuming before the reset pauses again without sending anything.
        let early = try sandbox.runner(run, workspace, journal: journal, concurrency: 1)
        let again = await RunChecks.stop(of: early)
        guard case .quota? = again else { return XCTFail("expected a quota stop, got \(String(describing: again))") }
        XCTAssertEqual(try journal.latestResults(run: run.id).count, 100)

        try await sandbox.advanceClock(86_400)
        // The day after: another 120; raise the limit so the rest fits in one more day.
        try await sandbox.control("PUT", "/_sandbox/project",
                                  #"{"usage_limits": {"user_import": [{"quota": 200, "period": "day", "action": "block"}]}}"#)
        let reopened = try RunCoordinator.openSource(for: paused)
        let counts = try await sandbox.runner(paused, reopened, journal: journal).run()
        XCTAssertEqual(counts.inserted, 300)
        let users = try await sandbox.userIDsByEmail()
        _ = try RunChecks.assertComplete(journal: journal, runID: run.id, count: 300, users: users)
        let after = try journal.latestResults(run: run.id)
        for i in 0..<100 { XCTAssertEqual(after[i]?.userID, before[i]?.userID, "record \(i)") }
    }

    func testChangedSourceIsRefusedWithAMessageNamingTheFile() async throws {
        let source = sandbox.writeSource(count: 10)
        let journal = try sandbox.journal()
        let (run, _) = try sandbox.startRun(source, journal: journal)
        XCTAssertNoThrow(try RunCoordinator.openSource(for: run))

        // Same size, one byte different: the fingerprint must notice.
        var bytes = try XCTUnwrap(FileManager.default.contents(atPath: source))
        let at = try XCTUnwrap(bytes.firstIndex(of: UInt8(ascii: "7")) ?? bytes.firstIndex(of: UInt8(ascii: "5")))
        bytes[at] = UInt8(ascii: "8")
        try bytes.write(to: URL(fileURLWithPath: source))
        XCTAssertThrowsError(try RunCoordinator.openSource(for: run)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(run.sourcePath), text)
            XCTAssertTrue(text.contains("changed since run"), text)
        }
        // Appended records change the size.
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: source))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"email":"late@example.com"}"#.utf8 + [0x0A]))
        handle.closeFile()
        XCTAssertThrowsError(try RunCoordinator.openSource(for: run)) { error in
            XCTAssertTrue("\(error)".contains(run.sourcePath), "\(error)")
        }
        XCTAssertNoThrow(try RunCoordinator.openSource(for: run, allowChangedSource: true))
    }

    func testPendingEventsCarryWhenTheJobWasSentAlsoAfterAResume() async throws {
        try await sandbox.setWorkerPaused(true)
        let source = sandbox.writeSource(count: 20)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 10)
        let first = try sandbox.runner(run, workspace, journal: journal)
        let task = Task { try await first.run() }
        let deadline = Date().addingTimeInterval(20)
        while try journal.batches(run: run.id).contains(where: { $0.state != .sent }) {
            guard Date() < deadline else { task.cancel(); return XCTFail("batches never all sent") }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        task.cancel()
        _ = try? await task.value
        var sentAt: [Int64: Date] = [:]
        for b in try journal.batches(run: run.id) { sentAt[b.id] = try XCTUnwrap(b.sentAt) }
        try await Task.sleep(nanoseconds: 300_000_000)

        // A new runner (as `resume` starts) learns of the sent jobs from its polls: their age is the jobs'.
        let resumedAt = Date()
        let events = EventLog()
        let second = try sandbox.runner(run, workspace, journal: journal, events: events)
        let resumed = Task { try await second.run() }
        func pending() -> [Int64: Date] {
            var out: [Int64: Date] = [:]
            for case .jobPending(let b, _, _, let since) in events.all { out[b] = since }
            return out
        }
        while pending().count < sentAt.count, Date() < deadline.addingTimeInterval(10) { try await Task.sleep(nanoseconds: 20_000_000) }
        for (batch, since) in pending() {
            XCTAssertEqual(since.timeIntervalSince1970, try XCTUnwrap(sentAt[batch]).timeIntervalSince1970, accuracy: 0.001)
            XCTAssertLessThan(since, resumedAt)
        }
        XCTAssertEqual(pending().count, 2)
        try await sandbox.setWorkerPaused(false)
        let counts = try await resumed.value
        XCTAssertEqual(counts.inserted, 20)
    }

    func testExpiredJobsAreRecoveredAndEveryRecordEndsWithAUserID() async throws {
        try await sandbox.setWorkerPaused(true)
        let source = sandbox.writeSource(count: 150)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 50)
        let events = EventLog()
        let runner = try sandbox.runner(run, workspace, journal: journal, events: events, concurrency: 3)
        let task = Task { try await runner.run() }

        // Wait until every batch has its job (the paused worker leaves them pending).
        let deadline = Date().addingTimeInterval(20)
        while try journal.batches(run: run.id).contains(where: { $0.state != .sent }) {
            XCTAssertLessThan(Date(), deadline, "batches never all sent")
            if Date() > deadline { task.cancel(); return }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
        let firstJobs = Set(try journal.batches(run: run.id).compactMap(\.jobID))
        XCTAssertEqual(firstJobs.count, 3)
        try await sandbox.advanceClock(24 * 3600 + 60)
        try await sandbox.setWorkerPaused(false)

        let counts = try await task.value
        XCTAssertEqual(counts.inserted, 150)
        let users = try await sandbox.userIDsByEmail()
        _ = try RunChecks.assertComplete(journal: journal, runID: run.id, count: 150, users: users)
        let batches = try journal.batches(run: run.id)
        XCTAssertEqual(batches.filter { $0.purpose == .recovery }.count, 3)
        XCTAssertTrue(batches.filter { $0.purpose == .recovery }.allSatisfy { !$0.upsert && $0.state == .completed })
        XCTAssertEqual(events.recoveries, 3)
        let latest = try journal.latestResults(run: run.id)
        let recoveryIDs = Set(batches.filter { $0.purpose == .recovery }.map(\.id))
        XCTAssertTrue(latest.values.allSatisfy { recoveryIDs.contains($0.batchID) })
    }
}
