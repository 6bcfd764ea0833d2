import Foundation
import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorLive
import MigratorUI

/// A journal with a finished run of file A and an interrupted run of file B: opened on A, the
/// handler attaches only A's run, offers B's, and refuses to map B's record numbers onto A.
final class RunBindingLiveTests: XCTestCase {
    var work = ""

    override func setUpWithError() throws {
        work = NSTemporaryDirectory() + "run-binding-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: work) }

    func handler() -> LiveEffects {
        var loaded = ImportSettings()
        loaded.endpoint = "https://myapp.example"
        loaded.projectID = "myapp"
        let target = LiveTarget(loaded: loaded, connect: { _, _ in throw CocoaError(.featureUnsupported) }, check: { _, _ in [] })
        return LiveEffects(target: target, journalPath: work + "/journal.sqlite", log: TUILog(path: work + "/tui.log"), format: nil)
    }

    func session(_ name: String, records: Int) throws -> SourceSession {
        let path = work + "/" + name
        try Data(("[" + (0..<records).map { #"{"email":"u\#($0)@\#(name).example"}"# }.joined(separator: ",") + "]").utf8).write(to: URL(fileURLWithPath: path))
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        workspace.validate()
        return SourceSession(path: path, workspace: workspace, mappingPath: nil, editsPath: work + "/\(name).edits")
    }

    /// Writes a run of `session` with one batch of every record, completed (`finished`) or left sent.
    func run(of session: SourceSession, journal: Journal, finished: Bool) throws -> RunRecord {
        let file = session.index.file
        let run = RunRecord(sourcePath: session.path, sourceSize: file.size, sourceFingerprint: file.fingerprint(), sourceFormat: "json-array",
                            mappingPath: nil, editsPath: session.editsPath, identifier: "email", upsert: false, endpoint: "https://myapp.example",
                            projectID: "myapp", recordCount: session.count)
        try journal.createRun(run, batches: [PlannedBatch(records: Array(0..<session.count), upsert: false, bodySize: 10)])
        let batch = try journal.batches(run: run.id)[0]
        if finished {
            try journal.complete(batch.id, results: (0..<session.count).map {
                RecordResult(record: $0, batchID: batch.id, outcome: $0 == 1 ? .failed : .inserted, userID: $0 == 1 ? nil : "user-\($0)", warnings: [],
                             errorReason: $0 == 1 ? "DuplicatedIdentity" : nil, errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
            }, runID: run.id)
            try journal.setRunState(run.id, .finished)
        } else {
            // Half of B's records have results (with user_ids A's records must never be paired with).
            try journal.complete(batch.id, results: (0..<session.count / 2).map {
                RecordResult(record: $0 + 20, batchID: batch.id, outcome: .inserted, userID: "b-user-\($0)", warnings: [], errorReason: nil,
                             errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
            }, runID: run.id)
            try journal.setRunState(run.id, .active)
        }
        return run
    }

    func drain(_ mailbox: Mailbox, until done: ([Message]) -> Bool) -> [Message] {
        var all: [Message] = []
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, !done(all) {
            all += mailbox.drain()
            usleep(10_000)
        }
        return all
    }

    func testOnlyTheOpenFilesRunIsAttachedAndAnotherFilesRunIsNeverMappedOntoIt() throws {
        let a = try session("a.json", records: 3)
        let b = try session("b.json", records: 40)
        let journal = try Journal(path: work + "/journal.sqlite")
        let runA = try run(of: a, journal: journal, finished: true)
        let runB = try run(of: b, journal: journal, finished: false)
        var state = AppState()
        state.session = a
        let mailbox = Mailbox()
        let live = handler()
        live.perform(.loadSourceRuns, state: state, mailbox: mailbox)
        let posted = drain(mailbox) { $0.contains { if case .sourceRunsLoaded = $0 { true } else { false } } }
        guard case .sourceRunsLoaded(let runs)? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(runs.attached?.run.id, runA.id)
        XCTAssertEqual(runs.attached?.condition, .finished)
        XCTAssertEqual(runs.totals?.settled.failed, 1)
        XCTAssertEqual(runs.batches.map(\.number), [1])
        XCTAssertEqual(runs.elsewhere?.run.id, runB.id, "B's run is offered, not attached")
        XCTAssertEqual(runs.elsewhere?.condition, .interrupted)

        // Were B's run on screen with A open (the old bug), nothing maps its record numbers onto A.
        state.run.runID = runB.id
        for effect in [Effect.loadReview(.skipped), .loadOutcomes, .previewUpsert([20, 21, 39])] {
            live.perform(effect, state: state, mailbox: mailbox)
            let answer = drain(mailbox) { $0.contains { if case .failed = $0 { true } else { false } } }
            let text = answer.compactMap { if case .failed(let t) = $0 { t } else { nil } }.first ?? ""
            XCTAssertTrue(text.contains("is a run of \(b.path)") && text.contains("not of the open file \(a.path)"), "\(effect): \(answer)")
            XCTAssertFalse(answer.contains { if case .upsertPreview = $0 { true } else { false } })
            XCTAssertFalse(answer.contains { if case .reviewLoaded(_, let groups) = $0 { !groups.isEmpty } else { false } })
        }
        // A's own run reviews A's records with A's identifiers.
        state.run.runID = runA.id
        live.perform(.loadReview(.failed), state: state, mailbox: mailbox)
        let review = drain(mailbox) { $0.contains { if case .reviewLoaded = $0 { true } else { false } } }
        guard case .reviewLoaded(.failed, let groups)? = review.last else { return XCTFail("\(review)") }
        XCTAssertEqual(groups.flatMap(\.records).map(\.identifier), ["u1@a.json.example"])
    }

    func testWithoutAnOpenFileAnUnfinishedRunIsOfferedAndTheRunsScreenListsEveryRun() throws {
        let a = try session("a.json", records: 3)
        let b = try session("b.json", records: 40)
        let journal = try Journal(path: work + "/journal.sqlite")
        _ = try run(of: a, journal: journal, finished: true)
        let runB = try run(of: b, journal: journal, finished: false)
        let mailbox = Mailbox()
        handler().perform(.loadSourceRuns, state: AppState(), mailbox: mailbox)
        let posted = drain(mailbox) { $0.contains { if case .sourceRunsLoaded = $0 { true } else { false } } }
        guard case .sourceRunsLoaded(let runs)? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertNil(runs.attached)
        XCTAssertEqual(runs.elsewhere?.run.id, runB.id)
        handler().perform(.loadRuns, state: AppState(), mailbox: mailbox)
        let listed = drain(mailbox) { $0.contains { if case .runsLoaded = $0 { true } else { false } } }
        guard case .runsLoaded(let entries)? = listed.last else { return XCTFail("\(listed)") }
        XCTAssertEqual(entries.map(\.condition), [.interrupted, .finished])
        XCTAssertEqual(entries[0].withoutOutcome, 20)
    }
}
