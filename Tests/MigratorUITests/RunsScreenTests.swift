import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// The Runs screen (R): every run of the journal, a run's summary, and what can be done from there.
final class RunsScreenTests: XCTestCase {
    /// A finished run of the open file, an interrupted run of a big file, one running elsewhere.
    static func runsState(width: Int = 120, height: Int = 40) throws -> AppState {
        var s = try Fixture.state(width: width, height: height)
        s.timeZone = TimeZone(identifier: "UTC")!
        let file = s.session!.index.file
        var mine = RunBindingTests.entry("aaaaaaaa-0000-4000-8000-000000000001", path: s.session!.path, size: file.size, fingerprint: file.fingerprint(),
                                         .finished, inserted: 10, failed: 2)
        mine.counts.skipped = 0
        var big = RunBindingTests.entry("d8a93321-0000-4000-8000-000000000002", path: "/data/big.json", size: 17_000_000, fingerprint: "b",
                                        .interrupted, inserted: 38_000, failed: 4_880, open: 6_593)
        big.failedByReason = [.init(reason: "DuplicatedIdentity", count: 4_000), .init(reason: "InvariantViolated", count: 880)]
        big.resumePlan = "1 batch(es) (1,000 records) have an unknown outcome: resume sends each again exactly"
        var elsewhere = RunBindingTests.entry("eeeeeeee-0000-4000-8000-000000000003", path: "/data/more.csv", size: 9_000, fingerprint: "m",
                                              .runningElsewhere, inserted: 100, open: 900)
        elsewhere.holder = "pid 4242, import, started 2026-12-04T21:00:00Z"
        s.run.runID = mine.run.id
        press(&s, .char("R"))
        _ = Update.update(&s, .runsLoaded([big, elsewhere, mine]))
        return s
    }

    func testREntersTheRunsScreenFromTheRecordsAndEscGoesBack() throws {
        var s = try Fixture.state()
        XCTAssertEqual(press(&s, .char("R")), [.loadRuns])
        XCTAssertEqual(s.screen, .runs)
        XCTAssertTrue(AppView.render(s).text.contains("reading the journal…"))
        _ = Update.update(&s, .runsLoaded([]))
        XCTAssertTrue(AppView.render(s).text.contains("The journal has no runs yet"))
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("r"), in: s), "r resume — not now: the journal has no runs")
        press(&s, .escape)
        XCTAssertEqual(s.screen, .records)
    }

    func testEveryRunIsListedWithItsStateAndTheSelectedOnesFacts() throws {
        let s = try Self.runsState()
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("Runs in the journal (3)"), text)
        let rows = text.split(separator: "\n").map(String.init)
        let big = try XCTUnwrap(rows.first { $0.contains("d8a93321") })
        XCTAssertTrue(big.contains("big.json") && big.contains("38,000") && big.contains("4,880") && big.contains("6,593") && big.contains("interrupted"), big)
        XCTAssertTrue(try XCTUnwrap(rows.first { $0.contains("eeeeeeee") }).contains("running elsewhere"))
        let mine = try XCTUnwrap(rows.first { $0.contains("aaaaaaaa") })
        XCTAssertTrue(mine.contains("▸") && mine.contains("finished"), "the open file's run is marked: \(mine)")
        XCTAssertTrue(text.contains("/data/big.json (49,473 records, 17.0 MB)"), text)
        XCTAssertTrue(text.contains("interrupted: the process that ran it is gone; resume continues it"), text)
    }

    func testKeysSayWhyTheyDoNothingForARun() throws {
        var s = try Self.runsState()
        // The interrupted big file's run (selected first): resume works, retry does not yet.
        XCTAssertNil(KeyMap.disabledMessage(for: .char("r"), in: s))
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("f"), in: s), "f retry failed — not now: resume it first (r): a retry follows a finished run")
        XCTAssertNil(KeyMap.disabledMessage(for: .char("o"), in: s))
        press(&s, .down)
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("r"), in: s), "r resume — not now: it is running in another process (pid 4242, import, started 2026-12-04T21:00:00Z)")
        press(&s, .down)
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("r"), in: s), "r resume — not now: the run has finished")
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("o"), in: s), "o open source — not now: its source is the open file")
        XCTAssertNil(KeyMap.disabledMessage(for: .char("f"), in: s), "the open file's finished run can retry its failures")
        press(&s, .char("f"))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.title, "Retry 2 failed records of run aaaaaaaa?")
        XCTAssertEqual(press(&s, .char("y")), [.retryAllFailed])
        XCTAssertEqual(s.screen, .progress)
    }

    func testFromARunsSummaryItsSourceOpensItResumesAndItsReportIsWritten() throws {
        var s = try Self.runsState()
        XCTAssertEqual(press(&s, .enter), [])
        XCTAssertTrue(s.runs.showingSummary)
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("4,000  DuplicatedIdentity") && text.contains("880  InvariantViolated"), text)
        XCTAssertEqual(press(&s, .char("o")), [.openSource(path: "/data/big.json", mappingPath: nil)])
        press(&s, .char("w"))
        XCTAssertEqual(s.prompt?.text.text, "authgear-migrate-run-d8a93321.csv")
        XCTAssertEqual(press(&s, .enter), [.writeRunReport(runID: "d8a93321-0000-4000-8000-000000000002", path: "authgear-migrate-run-d8a93321.csv")])
        press(&s, .char("r"))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertTrue(c.lines.joined(separator: "\n").contains("42,880 of 49,473 planned records have a result; interrupted"), c.lines.joined(separator: "\n"))
        XCTAssertEqual(press(&s, .char("r")), [.resume(runID: "d8a93321-0000-4000-8000-000000000002", settings: s.settings)])
        XCTAssertEqual(s.screen, .progress)
        XCTAssertTrue(s.runInFlight)
        XCTAssertNil(s.run.totals, "the other run's figures are not carried over")
    }

    func testEscFromASummaryGoesBackToTheList() throws {
        var s = try Self.runsState()
        press(&s, .enter)
        press(&s, .escape)
        XCTAssertFalse(s.runs.showingSummary)
        XCTAssertEqual(s.screen, .runs)
        press(&s, .escape)
        XCTAssertEqual(s.screen, .records)
    }
}
