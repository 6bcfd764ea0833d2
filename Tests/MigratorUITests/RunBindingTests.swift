import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// A run is attached only to the file it was made from, into the target it went to; another
/// file's unfinished run is offered as "open that file", never shown as this file's.
final class RunBindingTests: XCTestCase {
    static func entry(_ id: String, path: String, size: Int, fingerprint: String, endpoint: String = "https://myapp.authgear.cloud",
                      project: String = "myapp", _ condition: RunHistoryEntry.Condition, inserted: Int = 0, failed: Int = 0, open: Int = 0) -> RunHistoryEntry {
        let run = RunRecord(id: id, createdAt: Date(timeIntervalSince1970: 1_799_990_000), sourcePath: path, sourceSize: size,
                            sourceFingerprint: fingerprint, sourceFormat: "json-array", mappingPath: nil, editsPath: "/e", identifier: "email",
                            upsert: false, endpoint: endpoint, projectID: project, recordCount: inserted + failed + open,
                            state: condition == .finished ? .finished : (condition == .interrupted ? .active : .paused))
        var c = OutcomeCounts()
        c.inserted = inserted
        c.failed = failed
        return RunHistoryEntry(run: run, counts: c, withoutOutcome: open, finishedAt: condition == .finished ? run.createdAt : nil, condition: condition)
    }

    func testOnlyTheOpenFilesRunIntoTheTargetIsAttached() throws {
        let source = SourceIdentity(path: "/data/users.json", size: 100, fingerprint: "100-a")
        let target = RunTarget(endpoint: "https://myapp.authgear.cloud", projectID: "myapp")
        let big = Self.entry("bbbbbbbb-1", path: "/data/big.json", size: 9_000, fingerprint: "9000-b", .interrupted, inserted: 38_000, open: 11_473)
        let mine = Self.entry("aaaaaaaa-1", path: "/data/users.json", size: 100, fingerprint: "100-a", .finished, inserted: 10, failed: 2)
        let otherTarget = Self.entry("cccccccc-1", path: "/data/users.json", size: 100, fingerprint: "100-a", endpoint: "https://other", .finished)
        // Newest first: the big file's run is newer, and a run of this file into another project too.
        var chosen = RunBinding.choose([big, otherTarget, mine], source: source, target: target)
        XCTAssertEqual(chosen.attached?.run.id, "aaaaaaaa-1")
        XCTAssertEqual(chosen.elsewhere?.run.id, "bbbbbbbb-1", "another file's unfinished run is only offered")
        XCTAssertFalse(chosen.elsewhereIsThisFile)
        // Same path, other content (the file was replaced): not this file's run.
        chosen = RunBinding.choose([mine], source: SourceIdentity(path: "/data/users.json", size: 100, fingerprint: "100-z"), target: target)
        XCTAssertNil(chosen.attached)
        // No file open: nothing attached, the unfinished run offered.
        chosen = RunBinding.choose([big, mine], source: nil, target: target)
        XCTAssertNil(chosen.attached)
        XCTAssertEqual(chosen.elsewhere?.run.id, "bbbbbbbb-1")
    }

    func testReopeningASourceShowsItsLatestRunOutcomesProgressAndReview() throws {
        var s = try Fixture.state()
        let file = s.session!.index.file
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("p"), in: s), "p progress — not now: this file has no run into this target yet (R lists every run)")
        let mine = Self.entry("aaaaaaaa-1", path: s.session!.path, size: file.size, fingerprint: file.fingerprint(), .finished, inserted: 10, failed: 2)
        var totals = RunProgressTotals()
        totals.settled = mine.counts
        totals.planned = 12
        let rows = [RunViewState.BatchRow(id: 501, number: 1, records: 12, state: "completed", jobID: "userimport_1", attempts: 1, since: s.now, note: "10 ins · 0 upd · 0 skip · 2 fail")]
        let effects = Update.update(&s, .sourceRunsLoaded(SourceRuns(sourcePath: s.session!.path, attached: mine, batches: rows, totals: totals)))
        XCTAssertEqual(effects, [.loadOutcomes], "the outcome column is loaded for the attached run")
        XCTAssertEqual(s.run.runID, "aaaaaaaa-1")
        XCTAssertEqual(s.run.finished?.inserted, 10)
        XCTAssertNil(s.overlay, "a finished run is not offered for resumption")
        XCTAssertNil(KeyMap.disabledMessage(for: .char("p"), in: s))
        XCTAssertEqual(press(&s, .char("v")), [.loadReview(.failed)], "v reviews this file's run")
        press(&s, .char("p"))
        XCTAssertEqual(s.screen, .progress)
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("Finished · run aaaaaaaa"), text)
        XCTAssertTrue(text.contains("inserted 10   updated 0   skipped 0   failed 2   pending 0"), text)
        XCTAssertTrue(text.contains("10 ins · 0 upd · 0 skip · 2 fail"), "the completed batch keeps its detail")
        // With another file's run unfinished too, that one is offered (this file's finished run stays attached).
        var again = try Fixture.state()
        let big = Self.entry("d8a93321-1", path: "/data/big.json", size: 9_000, fingerprint: "9000-b", .interrupted, inserted: 38_000, open: 11_473)
        _ = Update.update(&again, .sourceRunsLoaded(SourceRuns(sourcePath: again.session!.path, attached: mine, batches: rows, totals: totals, elsewhere: big)))
        XCTAssertEqual(again.run.runID, "aaaaaaaa-1")
        guard case .confirm(let c)? = again.overlay else { return XCTFail("the other file's run is not offered") }
        XCTAssertEqual(c.action, .openSource(path: "/data/big.json", mappingPath: nil))
    }

    func testAnUnfinishedRunOfThisFileIsOfferedForResumption() throws {
        var s = try Fixture.state()
        let file = s.session!.index.file
        let mine = Self.entry("aaaaaaaa-2", path: s.session!.path, size: file.size, fingerprint: file.fingerprint(), .interrupted, inserted: 4, open: 6)
        _ = Update.update(&s, .sourceRunsLoaded(SourceRuns(sourcePath: s.session!.path, attached: mine)))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no resume offer") }
        XCTAssertTrue(c.lines.joined().contains("4 of 10 planned records have a result; interrupted"), c.lines.joined())
        XCTAssertEqual(press(&s, .char("r")), [.resume(runID: "aaaaaaaa-2", settings: s.settings)])
        XCTAssertEqual(s.screen, .progress)
    }

    func testAnotherFilesUnfinishedRunIsOfferedAsOpenThatFileNeverAttached() throws {
        var s = try Fixture.state()
        let big = Self.entry("d8a93321-1", path: "/data/big.json", size: 9_000, fingerprint: "9000-b", .interrupted, inserted: 38_000, open: 11_473)
        let effects = Update.update(&s, .sourceRunsLoaded(SourceRuns(sourcePath: s.session!.path, elsewhere: big)))
        XCTAssertEqual(effects, [])
        XCTAssertNil(s.run.runID, "another file's run is never attached")
        XCTAssertEqual(KeyMap.binding(for: .char("p"), in: s)?.action, nil, "p stays disabled")
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no offer") }
        XCTAssertEqual(c.title, "An unfinished run of another file")
        XCTAssertTrue(c.lines.joined(separator: "\n").contains("Run d8a93321 of /data/big.json"))
        XCTAssertEqual(press(&s, .char("o")), [.openSource(path: "/data/big.json", mappingPath: nil)])
        // Esc instead: nothing of it stays.
        _ = Update.update(&s, .sourceRunsLoaded(SourceRuns(sourcePath: s.session!.path, elsewhere: big)))
        press(&s, .escape)
        XCTAssertNil(s.run.runID)
        XCTAssertFalse(AppView.render(s).text.contains("d8a93321"))
    }

    func testALateAnswerForAnotherFileOrDuringARunIsIgnored() throws {
        var s = try Fixture.state()
        let mine = Self.entry("aaaaaaaa-3", path: "/data/previous.json", size: 1, fingerprint: "1-x", .finished)
        XCTAssertEqual(Update.update(&s, .sourceRunsLoaded(SourceRuns(sourcePath: "/data/previous.json", attached: mine))), [])
        XCTAssertNil(s.run.runID)
        s.run.runID = "live"
        s.run.active = true
        _ = Update.update(&s, .sourceRunsLoaded(SourceRuns(sourcePath: s.session!.path, attached: mine)))
        XCTAssertEqual(s.run.runID, "live", "a run in flight stays on screen")
    }

    func testOpeningAnotherFileDropsTheRunAndLooksUpItsOwn() throws {
        var s = try Fixture.state()
        s.run.runID = "aaaaaaaa-1"
        s.records.outcomes = RecordOutcomes(count: 12)
        let other = try Fixture.session(records: [#"{"email": "x@example.com"}"#])
        XCTAssertEqual(Update.update(&s, .sourceOpened(SessionBox(other))), [.validateInBackground, .loadSourceRuns])
        XCTAssertNil(s.run.runID)
        XCTAssertNil(s.records.outcomes)
        // While a run is in flight another file cannot be opened.
        s.run.active = true
        XCTAssertEqual(press(&s, .char("o")), [])
        XCTAssertTrue(s.status?.text.contains("o open — not now: a run of this file is in flight") ?? false, "\(String(describing: s.status))")
    }
}
