import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// The journal as the one record of a migration: one process at a time, refused when its files
/// change under a run, every SQLite failure named, and no run finished while a record has no outcome.
final class JournalSafetyTests: SandboxTestCase {
    func testALockLeftByAKilledProcessIsTakenOverAndNamed() throws {
        let journalPath = sandbox.dir + "/journal.sqlite"
        _ = try Journal(path: journalPath)
        // A holder line as a killed process leaves it (the flock itself died with the process).
        try "pid 999999, import, started 2026-01-01T00:00:00Z".write(toFile: JournalLock.lockPath(forJournal: journalPath), atomically: false, encoding: .utf8)
        let lock = try JournalLock.acquire(journal: journalPath, command: "test")
        XCTAssertEqual(lock.tookOverFrom, "pid 999999, import, started 2026-01-01T00:00:00Z")
        XCTAssertTrue(JournalLock.isHeld(journal: journalPath))
        let again = try JournalLock.acquire(journal: journalPath, command: "test")
        XCTAssertNil(again.tookOverFrom, "re-entrant within a process")
        again.release()
        XCTAssertTrue(JournalLock.isHeld(journal: journalPath))
        lock.release()
        XCTAssertFalse(JournalLock.isHeld(journal: journalPath))
        XCTAssertEqual(try String(contentsOfFile: JournalLock.lockPath(forJournal: journalPath), encoding: .utf8), "", "a clean release names no holder")
    }

    func testARunStopsWhenItsJournalLogIsDeletedUnderIt() async throws {
        try await sandbox.setWorkerPaused(true)
        let source = sandbox.writeSource(count: 120)
        let journalPath = sandbox.dir + "/journal.sqlite"
        let journal = try Journal(path: journalPath)
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 20)
        let runner = try sandbox.runner(run, workspace, journal: journal)
        let task = Task { await RunChecks.stop(of: runner) }
        try await waitUntil("a batch to be sent") { try journal.batches(run: run.id).contains { $0.state == .sent } }
        try FileManager.default.removeItem(atPath: journalPath + "-wal")
        try await sandbox.setWorkerPaused(false)
        let stop = await task.value
        guard case .journal(let error)? = stop else { return XCTFail("expected a journal stop, got \(String(describing: stop))") }
        XCTAssertEqual(error.kind, .changed)
        XCTAssertTrue(error.description.contains(journalPath + "-wal"), error.description)
        XCTAssertTrue(error.description.contains("resume"), error.description)
    }

    func testAnUpsertRunThroughCrashedTasksRecoversWithUpsertAndFinishes() async throws {
        try await sandbox.setFaults(#"{"seed": 7, "tasks": [{"kind": "crash", "share": 0.4, "after_records": 5}]}"#)
        let count = 600
        let path = sandbox.writeSource(count: count, extra: { #""name":"User \#($0)""# })
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email, upsert: true))
        workspace.validate()
        let journal = try sandbox.journal()
        let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: sandbox.server.endpoint, projectID: "myapp",
                                              mappingPath: nil, editsPath: sandbox.dir + "/edits.json", maxRecords: 200)
        let events = EventLog()
        let counts = try await sandbox.runner(run, workspace, journal: journal, events: events).run()
        XCTAssertGreaterThan(events.recoveries, 0, "no task crashed")
        XCTAssertEqual(counts.failed, 0)
        let batches = try journal.batches(run: run.id)
        let recoveries = batches.filter { $0.purpose == .recovery }
        XCTAssertFalse(recoveries.isEmpty)
        XCTAssertTrue(recoveries.allSatisfy(\.upsert), "a recovery batch keeps the upsert of the batch it came from")
        let latest = try journal.latestResults(run: run.id)
        XCTAssertEqual(latest.count, count)
        XCTAssertTrue(latest.values.allSatisfy { $0.outcome == .inserted || $0.outcome == .updated }, "\(Set(latest.values.map(\.outcome)))")
        XCTAssertEqual(try journal.run(id: run.id)?.state, .finished)
        let users = try await sandbox.userIDsByEmail()
        XCTAssertEqual(users.count, count)
    }

    func testRecordsOfCompletedBatchesWithoutAnOutcomeAreNotFinishedAndGoOutAgain() async throws {
        let source = sandbox.writeSource(count: 40)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 20)
        // A journal whose first batch is completed but holds results for only some of its records.
        let first = try XCTUnwrap(journal.batches(run: run.id).first)
        let partial = first.records.prefix(15).map {
            RecordResult(record: $0, batchID: first.id, outcome: .inserted, userID: "u\($0)", warnings: [], errorReason: nil,
                         errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
        }
        try journal.complete(first.id, results: partial, runID: run.id)
        XCTAssertEqual(try journal.recordsWithoutOutcome(run: run.id), Array(first.records.dropFirst(15)) + Array(20..<40))
        // The engine plans them again rather than calling the run finished.
        let counts = try await sandbox.runner(run, workspace, journal: journal).run()
        XCTAssertEqual(counts.total, 40)
        XCTAssertEqual(try journal.recordsWithoutOutcome(run: run.id), [])
        XCTAssertEqual(try journal.run(id: run.id)?.state, .finished)
        let recovery = try XCTUnwrap(journal.batches(run: run.id).first { $0.purpose == .recovery })
        XCTAssertEqual(recovery.records, Array(first.records.dropFirst(15)))
    }

    func testATruncatedSourceIsNeverLaunched() throws {
        let path = sandbox.dir + "/cut.json"
        try #"[{"email":"a@example.com"},{"email":"b@example.com"},{"email":"c@exa"#.write(toFile: path, atomically: true, encoding: .utf8)
        let index = try RecordIndex.open(path: path)
        XCTAssertThrowsError(try index.waitUntilComplete())
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        workspace.validate()
        XCTAssertThrowsError(try RunCoordinator.startRun(workspace: workspace, journal: try sandbox.journal(), endpoint: sandbox.server.endpoint,
                                                         projectID: "myapp", mappingPath: nil, editsPath: sandbox.dir + "/e.json")) { error in
            XCTAssertTrue("\(error)".contains("was not read to its end"), "\(error)")
            XCTAssertTrue("\(error)".contains("line 1"), "\(error)")
        }
        XCTAssertEqual(try sandbox.journal().runs().count, 0)
    }
}
