import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// The journal's run history and progress figures against a real SQLite file.
final class RunHistoryTests: XCTestCase {
    func result(_ n: Int, _ batch: Int64, _ outcome: Outcome, reason: String? = nil) -> RecordResult {
        RecordResult(record: n, batchID: batch, outcome: outcome, userID: outcome == .failed ? nil : "u\(n)", warnings: [],
                     errorReason: reason, errorMessage: reason.map { "\($0) message" }, errorJSON: nil, possiblyCreatedAt: nil)
    }

    func makeRun(_ journal: Journal, records: Int, perBatch: Int, source: String = "/data/users.json") throws -> (RunRecord, [BatchRecord]) {
        let run = RunRecord(sourcePath: source, sourceSize: 10, sourceFingerprint: "f", sourceFormat: "json-array", mappingPath: nil,
                            editsPath: "/e", identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: records)
        let batches = stride(from: 0, to: records, by: perBatch).map { PlannedBatch(records: Array($0..<min(records, $0 + perBatch)), upsert: false, bodySize: 10) }
        try journal.createRun(run, batches: batches)
        return (run, try journal.batches(run: run.id))
    }

    /// Measured wrong before: pending = planned − inserted while 4,880-like failures existed, and a
    /// second pass counted its records twice. Settled + open is the planned count at every step.
    func testSettledPlusOpenIsPlannedAcrossFailuresAndASecondPass() throws {
        let journal = try Journal(path: makeTempDirectory(prefix: "run-history").path + "/journal.sqlite")
        let (run, batches) = try makeRun(journal, records: 100, perBatch: 10)
        // 6 batches done: 50 inserted, 10 failed (two reasons); 4 batches still open.
        for b in batches.prefix(5) { try journal.complete(b.id, results: b.records.map { result($0, b.id, .inserted) }, runID: run.id) }
        let f = batches[5]
        try journal.complete(f.id, results: f.records.map { result($0, f.id, .failed, reason: $0 < 57 ? "DuplicatedIdentity" : "InvariantViolated") }, runID: run.id)
        var t = try journal.progressTotals(run: run.id)
        XCTAssertEqual(t.planned, 100)
        XCTAssertEqual(t.settled.inserted, 50)
        XCTAssertEqual(t.settled.failed, 10)
        XCTAssertEqual(t.open, 40, "pending is what has no outcome: not planned − inserted (50)")
        XCTAssertEqual(t.failedByReason, [.init(reason: "DuplicatedIdentity", count: 7), .init(reason: "InvariantViolated", count: 3)])
        XCTAssertEqual(t.recentFailures.count, 10)
        XCTAssertEqual(t.batchCounts[f.id]?.failed, 10, "a completed batch keeps its own counts")
        // The rest completes; then a retry of the failures is planned: those 10 are open again, not counted twice.
        for b in batches.dropFirst(6) { try journal.complete(b.id, results: b.records.map { result($0, b.id, .inserted) }, runID: run.id) }
        let retry = try journal.addBatches(run: run.id, purpose: .retryFailed, [PlannedBatch(records: Array(50..<60), upsert: false, bodySize: 10)])
        t = try journal.progressTotals(run: run.id)
        XCTAssertEqual(t.settled.total + t.open, t.planned)
        XCTAssertEqual(t.open, 10)
        XCTAssertEqual(t.settled.failed, 0)
        // 8 succeed on the retry: they leave the failures.
        try journal.complete(retry[0].id, results: (50..<60).map { result($0, retry[0].id, $0 < 58 ? .inserted : .failed, reason: $0 < 58 ? nil : "InvariantViolated") },
                             runID: run.id)
        t = try journal.progressTotals(run: run.id)
        XCTAssertEqual(t.settled.inserted, 98)
        XCTAssertEqual(t.settled.failed, 2)
        XCTAssertEqual(t.open, 0)
        XCTAssertEqual(Set(t.recentFailures.map(\.record)), [58, 59], "records that succeeded on the retry are no longer failures")
        XCTAssertEqual(t.failedByReason, [.init(reason: "InvariantViolated", count: 2)])
    }

    /// The go / no-go reads the canary's own warnings, counted by text; the rest of the run's are not its.
    func testTheCanarysWarningsAreCountedForTheGoNoGo() throws {
        let journal = try Journal(path: makeTempDirectory(prefix: "history").path + "/j.sqlite")
        let run = RunRecord(sourcePath: "/data/users.json", sourceSize: 10, sourceFingerprint: "f", sourceFormat: "json-array", mappingPath: nil,
                            editsPath: "/e", identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: 20)
        try journal.createRun(run, batches: [PlannedBatch(records: Array(5..<20), upsert: false, bodySize: 10)],
                              canary: [PlannedBatch(records: Array(0..<5), upsert: false, bodySize: 10)])
        let batches = try journal.batches(run: run.id)
        let canary = try XCTUnwrap(batches.first { $0.purpose == .canary })
        let rest = try XCTUnwrap(batches.first { $0.purpose != .canary })
        func warned(_ n: Int, _ batch: Int64, _ warnings: [String]) -> RecordResult {
            RecordResult(record: n, batchID: batch, outcome: .inserted, userID: "u\(n)", warnings: warnings,
                         errorReason: nil, errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
        }
        try journal.complete(canary.id, results: [warned(0, canary.id, ["email_verified = false"]), warned(1, canary.id, ["email_verified = false", "disabled = false"]),
                                                 warned(2, canary.id, []), warned(3, canary.id, ["email_verified = false"]), warned(4, canary.id, [])], runID: run.id)
        var totals = try journal.progressTotals(run: run.id)
        XCTAssertEqual(totals.canaryWarnings, [.init(reason: "email_verified = false", count: 3), .init(reason: "disabled = false", count: 1)])
        XCTAssertEqual(totals.open, 15)
        try journal.complete(rest.id, results: (5..<20).map { warned($0, rest.id, ["disabled = false"]) }, runID: run.id)
        totals = try journal.progressTotals(run: run.id)
        XCTAssertEqual(totals.canaryWarnings.first { $0.reason == "disabled = false" }?.count, 1, "only the canary's records count")
    }

    func testHistoryStatesAreWhatTheRunReallyIs() throws {
        let dir = makeTempDirectory(prefix: "run-history").path
        let journal = try Journal(path: dir + "/journal.sqlite")
        let (finished, fb) = try makeRun(journal, records: 3, perBatch: 3, source: "/data/a.json")
        try journal.complete(fb[0].id, results: fb[0].records.map { result($0, fb[0].id, .inserted) }, runID: finished.id)
        try journal.setRunState(finished.id, .finished)
        let (active, _) = try makeRun(journal, records: 5, perBatch: 5, source: "/data/b.json")
        let (stopped, _) = try makeRun(journal, records: 2, perBatch: 2, source: "/data/c.json")
        try journal.setRunState(stopped.id, .paused, reason: RunStop.interrupted.description)
        let (quota, _) = try makeRun(journal, records: 2, perBatch: 2, source: "/data/d.json")
        try journal.setRunState(quota.id, .paused, reason: RunStop.quota(period: "day", resetsAt: nil).description)
        func condition(_ id: String, _ entries: [RunHistoryEntry]) -> RunHistoryEntry.Condition? { entries.first { $0.run.id == id }?.condition }
        var entries = try journal.runHistory()
        XCTAssertEqual(entries.count, 4)
        XCTAssertEqual(condition(finished.id, entries), .finished)
        XCTAssertNotNil(entries.first { $0.run.id == finished.id }?.finishedAt)
        XCTAssertEqual(condition(active.id, entries), .interrupted, "active in the journal, but no process holds it: interrupted")
        XCTAssertEqual(entries.first { $0.run.id == active.id }?.withoutOutcome, 5)
        XCTAssertEqual(condition(stopped.id, entries), .stopped)
        XCTAssertEqual(condition(quota.id, entries), .paused)
        // While this process holds the journal, the active run is running here.
        let lock = try JournalLock.acquire(journal: journal.path, command: "test")
        entries = try journal.runHistory()
        XCTAssertEqual(condition(active.id, entries), .running)
        lock.release()
        XCTAssertEqual(RunHistoryEntry.Condition(.runningElsewhere(holder: "pid 1, import")), .runningElsewhere)
        XCTAssertEqual(RunHistoryEntry.Condition(.paused(reason: "quota")), .paused)
    }

    func testARunBelongsToTheContentAndTheTarget() throws {
        let dir = makeTempDirectory(prefix: "run-history").path
        let a = dir + "/a.json", b = dir + "/b.json"
        try Data(#"[{"email":"a@example.com"}]"#.utf8).write(to: URL(fileURLWithPath: a))
        try Data(#"[{"email":"b@example.com"},{"email":"c@example.com"}]"#.utf8).write(to: URL(fileURLWithPath: b))
        let fa = try RecordIndex.open(path: a).file, fb = try RecordIndex.open(path: b).file
        let run = RunRecord(sourcePath: a, sourceSize: fa.size, sourceFingerprint: fa.fingerprint(), sourceFormat: "json-array", mappingPath: nil,
                            editsPath: "/e", identifier: "email", upsert: false, endpoint: "https://x.example/", projectID: "p", recordCount: 1)
        XCTAssertTrue(run.source.sameContent(as: SourceIdentity(file: fa)))
        XCTAssertFalse(run.source.sameContent(as: SourceIdentity(file: fb)))
        XCTAssertEqual(run.target, RunTarget(endpoint: "https://x.example", projectID: "p"))
        XCTAssertNotEqual(run.target, RunTarget(endpoint: "https://x.example", projectID: "q"))
    }

    /// A record number the index does not hold is a problem, not a crash (was: out of range in loadRecord).
    func testARecordNumberPastTheEndIsAProblem() throws {
        let path = makeTempDirectory(prefix: "run-history").path + "/a.json"
        try Data(#"[{"email":"a@example.com"}]"#.utf8).write(to: URL(fileURLWithPath: path))
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        guard case .failure(let p) = index.loadRecord(17) else { return XCTFail("record 17 of 1 loaded") }
        XCTAssertEqual(p.rule, "record.not_in_source")
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        XCTAssertEqual(RunCoordinator.upsertPreview(records: [0, 17, 40_000], workspace: workspace).changes, [:])
    }
}
