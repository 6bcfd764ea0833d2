import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// Settings, launch, live progress, review and second passes.
final class RunFlowTests: XCTestCase {
    func testLaunchNeedsCompleteSettingsAndADeliberateKey() throws {
        var s = try Fixture.state()
        press(&s, .char("L"))
        XCTAssertEqual(s.screen, .settings)
        s.settings.keyFile = ""
        XCTAssertEqual(press(&s, .char("L")), [], "launch is disabled without a key file")
        XCTAssertNil(s.overlay)
        s.settings.keyFile = "/keys/admin.pem"
        press(&s, .char("L"))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        let text = c.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Will send 10 records"), text)
        XCTAssertTrue(text.contains("2 invalid, 0 excluded"), text)
        XCTAssertTrue(text.contains("upsert: off"), text)
        XCTAssertEqual(press(&s, .enter), [], "Enter does not launch")
        XCTAssertNotNil(s.overlay)
        XCTAssertEqual(press(&s, .char("y")), [.launch(s.settings)])
        XCTAssertEqual(s.screen, .progress)
        XCTAssertTrue(s.runInFlight)
    }

    func testASourceNotReadToItsEndIsNeverLaunchedAndTheScreenSaysWhereReadingStopped() throws {
        var s = try Fixture.state()
        _ = Update.update(&s, .indexStopped(indexed: 12, reason: "line 14, column 3: unexpected end of the file inside a record"))
        // The status line keeps saying it after a passing message is gone.
        s.status = nil
        let line = AppView.render(s).text.split(separator: "\n").last { $0.contains("records") }.map(String.init) ?? ""
        XCTAssertTrue(line.contains("not read to its end, nothing can be launched: reading stopped after record 12: line 14, column 3"), line)
        press(&s, .char("L"))
        XCTAssertEqual(s.screen, .settings)
        XCTAssertEqual(press(&s, .char("L")), [])
        XCTAssertNil(s.overlay, "no confirmation for a source that was not read to its end")
        XCTAssertTrue(s.status?.text.contains("reading stopped after record 12") ?? false, "\(String(describing: s.status))")
        // Still being read: refused too.
        var reading = try Fixture.state()
        reading.loading?.indexComplete = false
        press(&reading, .char("L"), .char("L"))
        XCTAssertNil(reading.overlay)
        XCTAssertTrue(reading.status?.text.contains("still being read") ?? false)
    }

    func testChangingTheIdentifierRevalidatesBeforeLaunch() throws {
        var s = try Fixture.state()
        press(&s, .char("L"))
        s.settings.selected = SettingsField.allCases.firstIndex(of: .identifier)!
        press(&s, .enter)
        XCTAssertEqual(s.settings.identifier, .phoneNumber)
        XCTAssertEqual(s.loading?.validationComplete, false, "the change itself starts the pass (SettingsRevalidationTests)")
        // While that pass runs, launching is refused (the report is for the old identifier).
        s.session!.workspace.settings.identifier = .phoneNumber
        XCTAssertEqual(press(&s, .char("L")), [])
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.status!.text.contains("validation is still running"))
    }

    func testSettingsFieldsAreEditedInThePrompt() throws {
        var s = try Fixture.state()
        press(&s, .char("L"), .enter)
        XCTAssertEqual(s.prompt?.text.text, "https://myapp.authgear.cloud")
        press(&s, .ctrl("u"))
        type(&s, "https://other.example")
        XCTAssertEqual(press(&s, .enter), [.loadSourceRuns], "another target: the file's runs into it are looked up")
        XCTAssertEqual(s.settings.endpoint, "https://other.example")
        s.settings.selected = SettingsField.allCases.firstIndex(of: .concurrency)!
        press(&s, .enter, .ctrl("u"))
        type(&s, "99")
        press(&s, .enter)
        XCTAssertEqual(s.settings.concurrency, 2)
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertEqual(press(&s, .char("c")), [.checkConnection(s.settings)])
        XCTAssertTrue(s.settings.checking)
        _ = Update.update(&s, .checkFinished([CheckStep(name: "token", ok: true, detail: "RS256")]))
        XCTAssertFalse(s.settings.checking)
        XCTAssertEqual(s.settings.check.count, 1)
    }

    func testEngineEventsFoldIntoTheLiveView() throws {
        var s = try Fixture.state()
        s.screen = .progress
        s.run.active = true
        var base = OutcomeCounts()
        base.inserted = 5
        _ = Update.update(&s, .runStarted(runID: "run-1", batches: [], base: base))
        _ = Update.update(&s, .engine(.batchSending(batch: 1, records: 7, attempt: 1)))
        _ = Update.update(&s, .engine(.batchSent(batch: 1, jobID: "userimport_1")))
        XCTAssertEqual(s.run.batches.map(\.state), ["sent"])
        let failure = RecordResult(record: 4, batchID: 1, outcome: .failed, userID: nil, warnings: [], errorReason: "DuplicatedIdentity",
                                   errorMessage: "identity already exists", errorJSON: nil, possiblyCreatedAt: nil, recordedAt: s.now)
        var c = OutcomeCounts()
        c.inserted = 6
        c.failed = 1
        _ = Update.update(&s, .engine(.batchCompleted(batch: 1, counts: c, failures: [failure])))
        _ = Update.update(&s, .engine(.progress(ProgressSnapshot(counts: c, toSend: 7, done: 7, inFlightBatches: 0, recordsPerSecond: 10, eta: 0))))
        XCTAssertEqual(s.run.counts.inserted, 5, "totals come from the journal, not from adding up events")
        XCTAssertEqual(s.run.batches.first?.note, "6 ins · 0 upd · 0 skip · 1 fail", "a completed batch shows its own counts")
        var t = RunProgressTotals()
        t.settled.inserted = 11
        t.settled.failed = 1
        t.planned = 12
        t.recentFailures = [.init(record: 4, reason: "DuplicatedIdentity", message: "identity already exists")]
        _ = Update.update(&s, .progressTotals(runID: "run-1", t))
        XCTAssertEqual(s.run.counts.inserted, 11)
        XCTAssertEqual(s.run.feed.first?.reason, "DuplicatedIdentity")
        _ = Update.update(&s, .progressTotals(runID: "other-run", RunProgressTotals()))
        XCTAssertEqual(s.run.counts.inserted, 11, "another run's figures are not this run's")
        _ = Update.update(&s, .engine(.retrying(batch: 2, after: 1.5, reason: "HTTP 503")))
        XCTAssertTrue(s.run.events.last!.contains("HTTP 503"))
        _ = Update.update(&s, .runEnded(.failure(.quota(period: "day", resetsAt: nil))))
        XCTAssertFalse(s.run.active)
        XCTAssertTrue(s.run.pausedReason!.contains("quota"))
        XCTAssertEqual(press(&s, .char("P")), [.resume(runID: "run-1", settings: s.settings)], "P resumes a paused run")
        XCTAssertTrue(s.run.active)
        XCTAssertEqual(press(&s, .char("P")), [.pauseRun], "P pauses a running one")
        press(&s, .char("C"))
        XCTAssertEqual(press(&s, .char("y")), [.pauseRun])
    }

    func testALongPendingJobShowsHowLongItHasBeenPendingAndStandsOut() throws {
        var s = try Fixture.state()
        s.screen = .progress
        s.run.active = true
        _ = Update.update(&s, .runStarted(runID: "run-1", batches: [], base: OutcomeCounts()))
        // Batch 7 was sent by an earlier process (resume): its first poll carries the journal's sent_at.
        let sentAt = s.now.addingTimeInterval(-125)
        _ = Update.update(&s, .engine(.jobPending(batch: 7, jobID: "userimport_7", polls: 1, since: sentAt)))
        XCTAssertEqual(s.run.batches.first?.since, sentAt, "the age is the job's, not this process's")
        _ = Update.update(&s, .engine(.batchSending(batch: 8, records: 10, attempt: 1)))
        _ = Update.update(&s, .engine(.batchSent(batch: 8, jobID: "userimport_8")))
        _ = Update.update(&s, .engine(.jobPending(batch: 8, jobID: "userimport_8", polls: 2, since: s.now)))
        _ = Update.update(&s, .tick(s.now.addingTimeInterval(5)))
        func row(_ job: String, _ buffer: ScreenBuffer) -> (text: String, y: Int)? {
            // The batch's row (the line above the batches names the oldest pending job too).
            (0..<buffer.height).map { (buffer.line($0), $0) }.first { $0.0.contains(job) && $0.0.hasPrefix("│") }
        }
        var buffer = AppView.render(s)
        let long = try XCTUnwrap(row("userimport_7", buffer))
        XCTAssertTrue(long.text.contains("pending 2m10s, server still processing"), long.text)
        let x = try XCTUnwrap(long.text.range(of: "pending 2m10s").map { long.text.distance(from: long.text.startIndex, to: $0.lowerBound) })
        XCTAssertEqual(buffer[x, long.y].style, Theme.warning, "a long-pending job stands out")
        let short = try XCTUnwrap(row("userimport_8", buffer))
        XCTAssertFalse(short.text.contains("server still processing"), "5 s is not long: \(short.text)")
        XCTAssertNotEqual(buffer[x, short.y].style, Theme.warning)
        // The 250 ms tick alone moves the age on.
        _ = Update.update(&s, .tick(s.now.addingTimeInterval(60)))
        buffer = AppView.render(s)
        XCTAssertTrue(try XCTUnwrap(row("userimport_7", buffer)).text.contains("pending 3m10s"))
        XCTAssertTrue(try XCTUnwrap(row("userimport_8", buffer)).text.contains("pending 1m05s"), "over 10 s, batch 8 is named too")
        _ = Update.update(&s, .engine(.batchCompleted(batch: 7, counts: OutcomeCounts(), failures: [])))
        XCTAssertFalse(try XCTUnwrap(row("userimport_7", AppView.render(s))).text.contains("pending"))
    }

    func testReviewGroupsRetryAndUpsertPreview() throws {
        var s = try Fixture.state()
        s.run.runID = "run-1"
        XCTAssertEqual(press(&s, .char("v")), [.loadReview(.failed)])
        let groups = [ReviewState.Group(key: "DuplicatedIdentity", records: [
            ReviewState.Item(record: 4, identifier: "edsger@example.com", reason: "DuplicatedIdentity", message: "exists"),
            ReviewState.Item(record: 6, identifier: "ken@example.com", reason: "DuplicatedIdentity", message: "exists"),
        ])]
        _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: groups))
        press(&s, .char("r"))
        guard case .confirm(let c)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(c.action, .retryFailed([4, 6]), "the whole group when nothing is marked")
        press(&s, .escape, .enter, .char(" "))
        XCTAssertEqual(s.review.marked, [4])
        press(&s, .char("r"))
        XCTAssertEqual(press(&s, .char("y")), [.retryFailed([4])])
        XCTAssertEqual(s.screen, .progress)
        // Skipped users: upsert preview before confirmation.
        s.screen = .review
        s.run.active = false
        XCTAssertEqual(press(&s, .tab), [.loadReview(.skipped)])
        _ = Update.update(&s, .reviewLoaded(tab: .skipped, groups: [ReviewState.Group(key: "user already existed", records: [
            ReviewState.Item(record: 0, identifier: "ada@example.com", reason: "skipped", message: "", userID: "u1"),
        ])]))
        XCTAssertEqual(press(&s, .char("U")), [.previewUpsert([0])])
        _ = Update.update(&s, .upsertPreview(records: [0], changes: ["name": 1], ignored: ["password": 1]))
        guard case .confirm(let u)? = s.overlay else { return XCTFail() }
        let text = u.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("name (1)") && text.contains("IGNORED") && text.contains("password (1)"), text)
        XCTAssertEqual(press(&s, .char("y")), [.rerunSkipped([0])])
        // With the project's current values read: what really changes, old → new.
        s.overlay = nil
        s.screen = .review
        let current = ["1 user(s) will change, 0 unchanged", #"  name: 1 user(s), e.g. record 0: "Ada Old" → "Ada""#,
                       "  IGNORED by the server for existing users (no warning): password (1)"]
        _ = Update.update(&s, .upsertPreview(records: [0], changes: ["name": 1], ignored: ["password": 1], current: current))
        guard case .confirm(let real)? = s.overlay else { return XCTFail() }
        XCTAssertTrue(real.lines.contains("1 user(s) will change, 0 unchanged"), "\(real.lines)")
        XCTAssertTrue(real.lines.contains { $0.contains(#""Ada Old" → "Ada""#) }, "\(real.lines)")
        XCTAssertFalse(real.lines.contains { $0.contains("will set") }, "the counts of what the records set give way to the real values")
        XCTAssertEqual(s.status, .info("read the current values of 1 user"), "the \"reading…\" line does not stay")
        // The values arrive after the operator left Review: no confirmation on another screen.
        s.overlay = nil
        s.run.active = false
        XCTAssertEqual(press(&s, .char("U")), [.previewUpsert([0])])
        press(&s, .escape)
        XCTAssertEqual(s.screen, .records)
        _ = Update.update(&s, .upsertPreview(records: [0], changes: ["name": 1], ignored: ["password": 1], current: current))
        XCTAssertNil(s.overlay, "a preview that arrives late opens nothing")
        XCTAssertEqual(s.status, .info("the upsert preview was ready after you left: press U again to see it"))
    }

    func testOpeningAFailedRecordFromReviewReturnsToReview() throws {
        var s = try Fixture.state()
        s.run.runID = "run-1"
        s.screen = .review
        _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: [ReviewState.Group(key: "X", records: [
            ReviewState.Item(record: 3, identifier: "alan@example.com", reason: "X", message: "m"),
        ])]))
        press(&s, .enter, .enter)
        XCTAssertEqual(s.screen, .editor)
        XCTAssertEqual(s.editor.record, 3)
        XCTAssertEqual(press(&s, .escape), [.loadReview(.failed)])
        XCTAssertEqual(s.screen, .review)
    }

    func testPickerAndCSVMapping() throws {
        var s = AppState()
        _ = Update.update(&s, .directoryListed(path: "/data", entries: [
            PickerState.Entry(name: "old", isDirectory: true, size: 0, format: nil),
            PickerState.Entry(name: "users.csv", isDirectory: false, size: 1200, format: "csv"),
        ], error: nil))
        XCTAssertEqual(press(&s, .down, .enter), [.listDirectory("/data/old")])
        XCTAssertEqual(press(&s, .down, .enter), [.openSource(path: "/data/users.csv", mappingPath: nil)])
        XCTAssertEqual(press(&s, .backspace), [.listDirectory("/")])
        let columns = [MappingState.Column(header: "Mail", field: nil), MappingState.Column(header: "name", field: "name")]
        XCTAssertEqual(Update.update(&s, .mappingNeeded(path: "/data/users.csv", columns: columns)), [.previewMapping(path: "/data/users.csv", columns: columns)])
        XCTAssertEqual(s.screen, .mapping)
        press(&s, .enter)
        type(&s, "email")
        let mapped = press(&s, .enter)
        XCTAssertEqual(s.mapping.columns[0].field, "email")
        XCTAssertEqual(mapped, [.previewMapping(path: "/data/users.csv", columns: s.mapping.columns)])
        press(&s, .down, .char("d"))
        XCTAssertNil(s.mapping.columns[1].field, "d skips a column")
        XCTAssertEqual(press(&s, .char("a")), [.applyMapping(path: "/data/users.csv", columns: s.mapping.columns)])
    }

    func testHelpIsGeneratedFromTheKeyTable() throws {
        var s = try Fixture.state()
        for screen in Screen.allCases {
            s.screen = screen
            s.overlay = .help
            // Tall enough for the longest screen's help unscrolled (HelpScrollTests covers scrolling).
            let size = s.size
            s.size = (size.width, 80)
            defer { s.size = size }
            let text = AppView.render(s).text
            for b in KeyMap.bindings(for: screen) where b.help.count < 60 {
                XCTAssertTrue(text.contains(b.help), "\(screen): help lacks \(b.help)")
            }
            s.overlay = nil
            let hints = AppView.render(s).line(s.size.height - 1)
            for b in KeyMap.bindings(for: screen) where b.hint && b.isEnabled(s) {
                XCTAssertTrue(hints.contains(b.name), "\(screen): hint bar lacks \(b.name): \(hints)")
            }
        }
        s.screen = .records
        press(&s, .char("?"))
        XCTAssertEqual(s.overlay, .help)
        press(&s, .char("x"))
        XCTAssertNil(s.overlay, "any key closes help and does nothing else")
    }
}

final class HelpScrollTests: XCTestCase {
    func testHelpScrollsOnASmallTerminalAndShowsEveryKey() throws {
        var s = try Fixture.state(width: 80, height: 24)
        press(&s, .char("?"))
        var seen = ""
        for _ in 0..<20 {
            seen += AppView.render(s).text
            press(&s, .down)
        }
        XCTAssertEqual(s.overlay, .help, "arrows scroll help instead of closing it")
        for b in KeyMap.bindings(for: .records) { XCTAssertTrue(seen.contains(b.help.truncated(toWidth: 40, ellipsis: false)), b.help) }
        press(&s, .escape)
        XCTAssertNil(s.overlay)
    }
}

final class OutcomeColumnTests: XCTestCase {
    func testAFinishedRunLoadsOutcomesIntoTheTable() throws {
        var s = try Fixture.state()
        s.run.runID = "run-1"
        s.run.active = true
        XCTAssertEqual(Update.update(&s, .runEnded(.success(OutcomeCounts()))), [.loadOutcomes])
        var outcomes = RecordOutcomes(count: 12)
        outcomes.set(0, .inserted)
        outcomes.set(2, .failed)
        outcomes.set(4, .skipped)
        _ = Update.update(&s, .outcomesLoaded(outcomes))
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("result"), text)
        let rows = text.split(separator: "\n")
        XCTAssertTrue(rows[2].contains("ins") && rows[2].contains("ada@example.com"), String(rows[2]))
        XCTAssertTrue(rows[4].contains("FAIL"), String(rows[4]))
        XCTAssertTrue(rows[6].contains("skip"), String(rows[6]))
        XCTAssertFalse(rows[3].contains("ins") || rows[3].contains("FAIL"), "record 1 was never sent: \(rows[3])")
        // Selected, a record without a result shows an empty cell, not a block of the "ok" colour.
        s.records.cursor = 1
        let screen = AppView.render(s)
        let header = try XCTUnwrap(screen.find("result"))
        let empty = screen.styles(x: header.x, y: 3, width: header.width)
        XCTAssertTrue(empty.allSatisfy { $0.foreground != Theme.ok.foreground }, "\(empty)")
        XCTAssertEqual(Set(empty), Set(screen.styles(x: 0, y: 3, width: 1)), "the empty result cell is styled like the rest of the selected row")
    }
}
