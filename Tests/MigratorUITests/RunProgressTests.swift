import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit
import TestSupport

/// The progress screen's figures come from the journal's totals and the batches in flight, and
/// agree with each other; the scenarios are the ones measured wrong before.
final class RunProgressTests: XCTestCase {
    func totals(planned: Int, inserted: Int, failed: Int = 0, open: Int, failures: [Int] = []) -> RunProgressTotals {
        var t = RunProgressTotals()
        t.planned = planned
        t.settled.inserted = inserted
        t.settled.failed = failed
        t.open = open
        t.recentFailures = failures.map { .init(record: $0, reason: "DuplicatedIdentity", message: "exists") }
        if failed > 0 { t.failedByReason = [.init(reason: "DuplicatedIdentity", count: failed)] }
        return t
    }

    func progressState() throws -> AppState {
        var s = try Fixture.state()
        s.screen = .progress
        return s
    }

    func line(_ s: AppState, containing text: String) -> String {
        AppView.render(s).text.split(separator: "\n").first { $0.contains(text) }.map(String.init) ?? ""
    }

    /// Was: pending 11,473 with 38,000 inserted of 49,473 while 4,880 had failed; "Failures (1000)".
    func testAResumedRunShowsTheWholeRunsTotalsPendingAndFailureCount() throws {
        var s = try progressState()
        s.confirmResume("d8a93321")
        _ = Update.update(&s, .runStarted(runID: "d8a93321", batches: [], base: OutcomeCounts()))
        _ = Update.update(&s, .progressTotals(runID: "d8a93321", totals(planned: 49_473, inserted: 38_000, failed: 4_880, open: 6_593, failures: Array(0..<200))))
        XCTAssertEqual(s.run.pending, 6_593)
        XCTAssertEqual(s.run.settledCount + s.run.pending, 49_473)
        XCTAssertTrue(line(s, containing: "inserted").contains("inserted 38,000   updated 0   skipped 0   failed 4,880   pending 6,593   of 49,473"), line(s, containing: "inserted"))
        XCTAssertTrue(AppView.render(s).text.contains("Failures (4,880) and events"), "the header counts failures, not the feed's length")
        XCTAssertTrue(line(s, containing: "import ").contains("import 42,880/49,473"), "the status line agrees")
    }

    /// Was: gauge 8 % at 15 % (the gauge counted only this invocation's records).
    func testTheGaugeIsTheWholeRunsShare() throws {
        var s = try progressState()
        s.confirmResume("r1")
        _ = Update.update(&s, .progressTotals(runID: "r1", totals(planned: 1_000, inserted: 150, open: 850)))
        XCTAssertEqual(s.run.fraction, 0.15, accuracy: 1e-9)
        XCTAssertTrue(line(s, containing: "%").contains(" 15%"), line(s, containing: "%"))
    }

    func testWhilePausedNoRateNorETAAndElapsedExcludesPausedTime() throws {
        var s = try progressState()
        let t0 = s.now
        s.confirmResume("r1")
        _ = Update.update(&s, .progressTotals(runID: "r1", totals(planned: 1_000, inserted: 100, open: 900)))
        s.now = t0.addingTimeInterval(10)
        _ = Update.update(&s, .progressTotals(runID: "r1", totals(planned: 1_000, inserted: 200, open: 800)))
        XCTAssertEqual(s.run.rate(now: s.now) ?? 0, 10, accuracy: 1e-9)
        XCTAssertEqual(s.run.eta(now: s.now) ?? 0, 80, accuracy: 1e-9)
        XCTAssertTrue(line(s, containing: "records/s").contains("10 records/s · ETA 1m20s"), line(s, containing: "records/s"))
        _ = Update.update(&s, .runEnded(.failure(.interrupted)))
        s.now = t0.addingTimeInterval(100)
        XCTAssertNil(s.run.rate(now: s.now))
        XCTAssertNil(s.run.eta(now: s.now))
        XCTAssertFalse(AppView.render(s).text.contains("records/s"), "no rate while paused")
        XCTAssertFalse(AppView.render(s).text.contains("ETA"), "no ETA while paused")
        XCTAssertTrue(line(s, containing: "elapsed").contains("elapsed 10s (paused time not counted)"), line(s, containing: "elapsed"))
        // P resumes: the 90 s paused are not counted.
        XCTAssertEqual(press(&s, .char("P")), [.resume(runID: "r1", settings: s.settings)])
        s.now = t0.addingTimeInterval(105)
        XCTAssertEqual(s.run.elapsed(now: s.now), 15, accuracy: 1e-9)
    }

    func testARecordThatSucceededOnRetryLeavesTheFailureFeed() throws {
        var s = try progressState()
        s.confirmResume("r1")
        _ = Update.update(&s, .progressTotals(runID: "r1", totals(planned: 10, inserted: 8, failed: 2, open: 0, failures: [3, 7])))
        XCTAssertTrue(AppView.render(s).text.contains("record 7: DuplicatedIdentity"))
        _ = Update.update(&s, .progressTotals(runID: "r1", totals(planned: 10, inserted: 9, failed: 1, open: 0, failures: [3])))
        XCTAssertFalse(AppView.render(s).text.contains("record 7:"), "record 7 succeeded on the retry")
        XCTAssertTrue(AppView.render(s).text.contains("Failures (1) and events"))
    }

    func testBatchNumbersArePerRunAndAPendingJobSaysForHowLong() throws {
        var s = try progressState()
        s.confirmResume("r1")
        // Two batches of a journal that already holds other runs' batches: their ids are journal-wide.
        let journal = try Journal(path: TempDirectory(prefix: "run-progress").path + "/journal.sqlite")
        for n in 0..<2 {
            let other = RunRecord(sourcePath: "/o\(n)", sourceSize: 1, sourceFingerprint: "o", sourceFormat: "json-array", mappingPath: nil, editsPath: "/e",
                                  identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: 1)
            try journal.createRun(other, batches: [PlannedBatch(records: [0], upsert: false, bodySize: 9)])
        }
        let run = RunRecord(id: "r1", sourcePath: "/r", sourceSize: 1, sourceFingerprint: "r", sourceFormat: "json-array", mappingPath: nil, editsPath: "/e",
                            identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: 4)
        try journal.createRun(run, batches: [PlannedBatch(records: [0, 1], upsert: false, bodySize: 9), PlannedBatch(records: [2, 3], upsert: false, bodySize: 9)])
        let planned = try journal.batches(run: "r1")
        try journal.complete(planned[0].id, results: [], runID: "r1")
        try journal.markSending(planned[1].id, bodySHA256: "y")
        try journal.markSent(planned[1].id, jobID: "userimport_b")
        var journalRows = try journal.batches(run: "r1")
        journalRows[1].sentAt = s.now.addingTimeInterval(-25)
        var c = OutcomeCounts()
        c.inserted = 2
        let rows = RunViewState.rows(journalRows, counts: [planned[0].id: c], createdAt: s.now)
        XCTAssertEqual(rows.map(\.number), [1, 2])
        XCTAssertEqual(rows[0].note, "2 ins · 0 upd · 0 skip · 0 fail", "a completed batch loaded from the journal keeps its detail")
        _ = Update.update(&s, .runStarted(runID: "r1", batches: rows, base: c))
        // A recovery batch planned during the run is the run's next number, whatever its journal id.
        _ = Update.update(&s, .engine(.batchSending(batch: 4_377, records: 1, attempt: 1)))
        XCTAssertEqual(s.run.batches.last?.number, 3)
        _ = Update.update(&s, .engine(.retrying(batch: 4_377, after: 1, reason: "HTTP 503")))
        XCTAssertEqual(s.run.events.last, "batch 3: retrying in 1.0 s — HTTP 503")
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("job userimport_b (batch 2) pending for 25s"), text)
        let row = try XCTUnwrap(text.split(separator: "\n").first { $0.contains("userimport_b") && $0.contains("sent") })
        XCTAssertTrue(row.hasPrefix("│    2 "), "the run's number, not the journal-wide id \(planned[1].id): \(row)")
    }

    /// The engine's last event arrives just before its run returns: until it has, the screen says
    /// "Importing" (quitting then still asks to stop a run), never "Finished".
    func testFinishedOnlyOnceTheRunHasEnded() throws {
        var s = try progressState()
        s.run.runID = "r1"
        s.run.begin(now: s.now)
        RunUpdate.apply(&s.run, .finished(OutcomeCounts()), now: s.now)
        XCTAssertTrue(line(s, containing: "run r1").contains("Importing · run r1"), line(s, containing: "run r1"))
        _ = Update.update(&s, .runEnded(.success(OutcomeCounts())))
        XCTAssertTrue(line(s, containing: "run r1").contains("Finished · run r1"), line(s, containing: "run r1"))
    }

    func testTheCanaryBannerNamesItsWarnings() {
        var c = OutcomeCounts()
        c.inserted = 10
        var t = RunProgressTotals()
        t.open = 19
        t.canaryWarnings = [.init(reason: "email_verified = false", count: 4), .init(reason: "disabled = false", count: 1)]
        let b = RunViewState.canaryBanner(counts: c, totals: t)
        XCTAssertEqual(b.title, "Canary done: go or no-go?")
        XCTAssertEqual(b.lines[0], "its records: inserted 10 · updated 0 · skipped 0 · failed 0")
        XCTAssertEqual(b.lines[1], "warnings: email_verified = false (4); disabled = false (1)")
        XCTAssertEqual(b.lines[2], "19 records wait for your go")
        t.canaryWarnings = []
        XCTAssertEqual(RunViewState.canaryBanner(counts: c, totals: t).lines[1], "warnings: none")
    }

    func testTheEndOfARunRingsTheBellAndShowsItsSummary() throws {
        var s = try progressState()
        s.confirmResume("r1")
        _ = Update.update(&s, .progressTotals(runID: "r1", totals(planned: 10, inserted: 7, failed: 3, open: 0)))
        var c = OutcomeCounts()
        c.inserted = 7
        c.failed = 3
        _ = Update.update(&s, .runEnded(.success(c)))
        XCTAssertEqual(s.bells, 1)
        guard case .banner(let b)? = s.overlay else { return XCTFail("no banner") }
        XCTAssertEqual(b.title, "The run has finished")
        XCTAssertEqual(b.lines[0], "inserted 7 · updated 0 · skipped 0 · failed 3")
        XCTAssertEqual(b.lines[1], "failed by reason: DuplicatedIdentity 3")
        // Any key but Enter/Esc closes it and does what it does: v reviews.
        XCTAssertEqual(press(&s, .char("v")), [.loadReview(.failed)])
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.screen, .review)
        // A stop the operator asked for rings nothing.
        s.confirmResume("r1")
        _ = Update.update(&s, .runEnded(.failure(.interrupted)))
        XCTAssertEqual(s.bells, 1)
        XCTAssertNil(s.overlay)
        // A quota stop does.
        s.confirmResume("r1")
        _ = Update.update(&s, .runEnded(.failure(.quota(period: "day", resetsAt: nil))))
        XCTAssertEqual(s.bells, 2)
        guard case .banner(let q)? = s.overlay else { return XCTFail("no banner") }
        XCTAssertEqual(q.title, "The run has stopped")
    }
}

extension AppState {
    /// As after confirming the resume of run `id`.
    mutating func confirmResume(_ id: String) {
        overlay = .confirm(Confirmation(title: "t", lines: [], key: "r", action: .resume(runID: id)))
        _ = Update.update(&self, .key(.char("r")))
    }
}
