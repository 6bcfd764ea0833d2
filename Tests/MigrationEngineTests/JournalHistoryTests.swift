import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// Runs bound to their source (by content) and target, and their status told exactly — against a
/// real SQLite file.
final class JournalHistoryTests: XCTestCase {
    private func run(_ path: String, size: Int, fingerprint: String, project: String = "p", endpoint: String = "https://x",
                     state: RunRecord.State = .active, reason: String? = nil, dir: String) -> RunRecord {
        RunRecord(sourcePath: path, sourceSize: size, sourceFingerprint: fingerprint, sourceFormat: "ndjson", mappingPath: nil,
                  editsPath: dir + "/edits", identifier: "email", upsert: false, endpoint: endpoint, projectID: project, recordCount: 3,
                  state: state, pausedReason: reason)
    }

    func testRunsOfASourceAreFoundByContentAndTarget() throws {
        let dir = makeTempDirectory(prefix: "journal-history").path
        let journal = try Journal(path: dir + "/journal.sqlite")
        let a = run("/data/a.json", size: 10, fingerprint: "10-aa", dir: dir)
        let aCopy = run("/elsewhere/copy-of-a.json", size: 10, fingerprint: "10-aa", dir: dir)
        let aOtherTarget = run("/data/a.json", size: 10, fingerprint: "10-aa", project: "other", dir: dir)
        let aChanged = run("/data/a.json", size: 12, fingerprint: "12-bb", dir: dir)
        for r in [a, aCopy, aOtherTarget, aChanged] { try journal.createRun(r, batches: []) }

        let identity = SourceIdentity(path: "/anywhere/a.json", size: 10, fingerprint: "10-aa")
        let target = RunTarget(endpoint: "https://x/", projectID: "p")
        XCTAssertEqual(Set(try journal.runs(source: identity, target: target).map(\.id)), [a.id, aCopy.id],
                       "same content into the same target, whatever the path; the trailing slash of the endpoint does not matter")
        XCTAssertEqual(Set(try journal.runs(source: identity).map(\.id)), [a.id, aCopy.id, aOtherTarget.id])
        XCTAssertEqual(Set(try journal.runs(target: target).map(\.id)), [a.id, aCopy.id, aChanged.id])
        XCTAssertEqual(Set(try journal.runs(sourcePath: "/data/a.json").map(\.id)), [a.id, aOtherTarget.id, aChanged.id])
        try journal.setRunState(a.id, .finished)
        XCTAssertEqual(try journal.unfinishedRuns(source: identity, target: target).map(\.id), [aCopy.id])
    }

    func testARunOfAnotherFileCannotBeBoundAndRecordsBeyondTheSourceNeverCrash() throws {
        let dir = makeTempDirectory(prefix: "journal-binding").path
        let small = dir + "/small.ndjson", big = dir + "/big.ndjson"
        try Data(#"{"email":"a@example.com"}"#.utf8 + [0x0A]).write(to: URL(fileURLWithPath: small))
        try Data((0..<50).map { #"{"email":"u\#($0)@example.com"}"# + "\n" }.joined().utf8).write(to: URL(fileURLWithPath: big))
        func workspace(_ path: String) throws -> SourceWorkspace {
            let index = try RecordIndex.open(path: path)
            try index.waitUntilComplete()
            let w = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
            w.validate()
            return w
        }
        let bigFile = try workspace(big).index.file
        let bigRun = run(big, size: bigFile.size, fingerprint: bigFile.fingerprint(), dir: dir)
        let smallWorkspace = try workspace(small)

        XCTAssertThrowsError(try RunSource(run: bigRun, workspace: smallWorkspace)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(big) && text.contains(small) && text.contains("would name other records"), text)
        }
        let journal = try Journal(path: dir + "/journal.sqlite")
        try journal.createRun(bigRun, batches: [])
        XCTAssertThrowsError(try RunCoordinator.planRetrySkipped(run: bigRun, records: [17], workspace: smallWorkspace, journal: journal))
        XCTAssertThrowsError(try RunCoordinator.planRetryFailed(run: bigRun, workspace: smallWorkspace, journal: journal))
        XCTAssertTrue(try journal.batches(run: bigRun.id).isEmpty, "nothing was planned from the wrong file")

        // Record numbers another run may name: a failure, not a trap.
        guard case .failure(let problem) = smallWorkspace.index.loadRecord(17) else { return XCTFail("record 17 of a 1-record file loaded") }
        XCTAssertEqual(problem.rule, "record.not_in_source")
        XCTAssertTrue(problem.message.contains("has no record 17"), problem.message)
        XCTAssertEqual(RunCoordinator.upsertPreview(records: [0, 17, -1], workspace: smallWorkspace).changes, [:])

        let bound = try RunSource(run: bigRun, workspace: try workspace(big))
        XCTAssertEqual(bound.identifier(17), "u17@example.com")
        XCTAssertNil(bound.identifier(50))
        XCTAssertFalse(bound.changed)
        let changed = try RunSource(run: bigRun, workspace: smallWorkspace, allowChanged: true)
        XCTAssertTrue(changed.changed)
        XCTAssertNil(changed.record(17))
    }

    func testStatusTellsInterruptedFromRunningElsewhereFromPausedAndStopped() throws {
        let dir = makeTempDirectory(prefix: "journal-status").path
        let path = dir + "/journal.sqlite"
        let journal = try Journal(path: path)
        let active = run("/a", size: 1, fingerprint: "1-a", dir: dir)
        try journal.createRun(active, batches: [PlannedBatch(records: [0, 1, 2], upsert: false, bodySize: 10),
                                                PlannedBatch(records: [3], upsert: false, bodySize: 5)])
        let first = try XCTUnwrap(journal.batches(run: active.id).first)
        try journal.markSending(first.id, bodySHA256: "abc")

        // Nobody holds the lock: the process is gone.
        var summary = try RunSummary.load(active, journal: journal)
        XCTAssertEqual(summary.status, .interrupted)
        XCTAssertEqual(summary.unknownOutcome.batches, 1)
        XCTAssertEqual(summary.unknownOutcome.records, 3)
        XCTAssertEqual(summary.pending, 4)
        XCTAssertEqual(summary.planned, 4)
        XCTAssertTrue(summary.resumePlan?.contains("1 batch (3 records) has an unknown outcome") ?? false, summary.resumePlan ?? "nil")
        XCTAssertTrue(summary.resumePlan?.contains("possibly_created_at") ?? false)

        // Another process holds it, with a holder line as JournalLock writes it.
        let lockPath = JournalLock.lockPath(forJournal: path)
        try Data("pid 4242, import, started 2026-01-01T00:00:00Z".utf8).write(to: URL(fileURLWithPath: lockPath))
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        holder.arguments = ["-o", "-x", lockPath, "sleep", "20"]  // -o: only flock itself holds the lock
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        try holder.run()
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL); holder.waitUntilExit() } }
        let deadline = Date().addingTimeInterval(20)
        while JournalLock.holder(journal: path) == .free, Date() < deadline { usleep(20_000) }
        summary = try RunSummary.load(active, journal: journal)
        XCTAssertEqual(summary.status, .runningElsewhere(holder: "pid 4242, import, started 2026-01-01T00:00:00Z"))
        XCTAssertEqual(summary.status.word, "running elsewhere")
        XCTAssertFalse(summary.status.isResumable)
        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        XCTAssertEqual(try RunSummary.load(active, journal: journal).status, .interrupted, "the kernel dropped the dead holder's lock")

        // This process holds it.
        let lock = try JournalLock.acquire(journal: path, command: "test")
        XCTAssertEqual(try RunSummary.load(active, journal: journal).status, .running)
        lock.release()

        try journal.setRunState(active.id, .paused, reason: RunStop.interrupted.description)
        XCTAssertEqual(try RunSummary.load(XCTUnwrap(journal.run(id: active.id)), journal: journal).status, .stopped)
        try journal.setRunState(active.id, .paused, reason: "canary")
        let paused = try RunSummary.load(XCTUnwrap(journal.run(id: active.id)), journal: journal)
        XCTAssertEqual(paused.status, .paused(reason: "canary"))
        XCTAssertTrue(paused.status.isResumable)
        XCTAssertGreaterThanOrEqual(paused.pausedSeconds, 0)
    }

    func testRecordKeysAreKeptPerPlannedRecordInNormalisedForm() throws {
        let dir = makeTempDirectory(prefix: "journal-keys").path
        let journal = try Journal(path: dir + "/journal.sqlite")
        let r = run("/a", size: 1, fingerprint: "1-a", dir: dir)
        let keys = [RecordKey(normalized: "a@example.com"), nil, RecordKey(normalized: "c@example.com")]
        try journal.createRun(r, batches: [PlannedBatch(records: [0, 1], upsert: false, bodySize: 10),
                                           PlannedBatch(records: [2], upsert: false, bodySize: 5)], recordKeys: { keys[$0] })
        XCTAssertEqual(try journal.recordKeys(run: r.id), [0: keys[0]!, 2: keys[2]!])
        let settings = ValidationSettings(identifier: .email)
        XCTAssertEqual(RecordKey.of(.obj(["email": .string("  A@Example.COM ")]), settings: settings), keys[0],
                       "trimmed and case-folded as the server stores it")
        XCTAssertNotEqual(RecordKey.of(.obj(["email": .string("b@example.com")]), settings: settings), keys[0])
    }

    func testARecordsKeyReadFromItsBytesIsTheKeyOfTheParsedRecord() throws {
        let dir = makeTempDirectory(prefix: "journal-key-bytes").path
        let path = dir + "/users.ndjson"
        let lines = [#"{"name":"A","email":"  A@Example.COM "}"#, #"{"email":"first@x","email":"Last@X"}"#,
                     #"{"em\u0061il":"escaped@x"}"#, #"{"name":"no identifier"}"#, #"{"email":"not an email"}"#,
                     #"{"email":"edited@x"}"#]
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        workspace.edits.replace(5, with: .obj(["email": .string("replaced@x")]))
        for n in 0..<5 {
            let parsed = try index.loadRecord(n).get()
            XCTAssertEqual(RecordKey.of(record: n, in: workspace), RecordKey.of(parsed, settings: workspace.settings), lines[n])
        }
        XCTAssertEqual(RecordKey.of(record: 1, in: workspace), RecordKey(normalized: "last@x"), "the last member, normalised")
        XCTAssertNil(RecordKey.of(record: 3, in: workspace))
        XCTAssertEqual(RecordKey.of(record: 5, in: workspace), RecordKey(normalized: "replaced@x"), "an edit is what is sent")
    }

    func testStartRunRefusesOnlyAnUnfinishedRunOfTheSameContentIntoTheSameTarget() throws {
        let dir = makeTempDirectory(prefix: "journal-start").path
        let a = dir + "/a.ndjson", copy = dir + "/copy.ndjson", other = dir + "/other.ndjson"
        let text = (0..<5).map { #"{"email":"u\#($0)@example.com"}"# + "\n" }.joined()
        for p in [a, copy] { try Data(text.utf8).write(to: URL(fileURLWithPath: p)) }
        try Data((text + #"{"email":"new@example.com"}"# + "\n").utf8).write(to: URL(fileURLWithPath: other))
        func workspace(_ path: String) throws -> SourceWorkspace {
            let index = try RecordIndex.open(path: path)
            try index.waitUntilComplete()
            let w = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
            w.validate()
            return w
        }
        let journal = try Journal(path: dir + "/journal.sqlite")
        func start(_ path: String, project: String = "p") throws -> RunRecord {
            try RunCoordinator.startRun(workspace: workspace(path), journal: journal, endpoint: "https://x", projectID: project,
                                        mappingPath: nil, editsPath: dir + "/edits.json")
        }
        let first = try start(a)
        XCTAssertThrowsError(try start(copy), "the same content under another name is the same source") { error in
            XCTAssertTrue("\(error)".contains("run \(first.id.prefix(8))") && "\(error)".contains("interrupted"), "\(error)")
        }
        XCTAssertNoThrow(try start(a, project: "staging"), "another target is another migration")
        XCTAssertNoThrow(try start(other), "another content (a re-export) is another source")
        XCTAssertEqual(try journal.recordKeys(run: first.id).count, 5, "every planned record has its key")
    }
}
