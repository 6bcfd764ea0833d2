import XCTest
import MigrationCore
@testable import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// The Verify screen (V): progress while it runs, totals and problems by kind after, a record
/// opened to fix it and re-sent with upsert through Review's path.
final class VerifyScreenTests: XCTestCase {
    static let runID = "aaaaaaaa-0000-4000-8000-000000000001"

    static func problem(_ kind: VerifyProblem.Kind, record: Int, identifier: String, state: String = "inserted",
                        userID: String? = nil, differences: [FieldDifference] = [], message: String) -> VerifyProblem {
        VerifyProblem(kind: kind, record: record, line: record + 2, identifier: identifier, state: state, userID: userID ?? "u\(record)",
                      differences: differences, message: message)
    }

    /// Problems of each kind; the mismatch of record 3 differs in its name and its TOTP secret
    /// (handed over in the clear here, so the screen's own masking is what is checked).
    static let problems: [VerifyProblem] = [
        problem(.missing, record: 0, identifier: "ada@example.com", message: "no user u0 in the project"),
        problem(.mismatched, record: 3, identifier: "alan@example.com",
                differences: [FieldDifference(field: "name", sent: #""Alan Turing""#, found: #""Alan""#),
                              FieldDifference(field: "mfa.totp.secret", sent: #""JBSWY3DPEHPK3PXP""#, found: #""KRUGS4ZANFZSAYJA""#)],
                message: "user u3 differs in name, mfa.totp.secret"),
        problem(.existsAlthoughFailed, record: 1, identifier: "grace.example.com", state: "failed", userID: "u9",
                message: "user u9 exists although the run failed: it existed before, or an attempt whose outcome was unknown created it"),
        problem(.mismatched, record: 4, identifier: "edsger@example.com",
                differences: [FieldDifference(field: "name", sent: #""Edsger Dijkstra""#, found: #""E. W. Dijkstra""#)],
                message: "user u4 differs in name"),
    ]

    static var summary: VerifySummary {
        var s = VerifySummary()
        s.checked = 10
        s.verified = 7
        s.missing = 1
        s.mismatched = 2
        s.existsAlthoughFailed = 1
        s.failedLookedFor = 2
        s.uncheckable = ["password": 1]
        return s
    }

    /// The records screen of the fixture with a run of it, verification started with V.
    static func verifying(width: Int = 120, height: Int = 40) throws -> AppState {
        var s = try Fixture.state(width: width, height: height)
        s.run.runID = runID
        press(&s, .char("V"))
        return s
    }

    static func verified(width: Int = 120, height: Int = 40) throws -> AppState {
        var s = try verifying(width: width, height: height)
        _ = Update.update(&s, .verifyProblems(runID: runID, problems))
        _ = Update.update(&s, .verifyEnded(runID: runID, .finished(summary)))
        return s
    }

    func testVOnTheRecordsStartsAVerificationOfTheFilesRunAndEscCancelsIt() throws {
        var s = try Fixture.state()
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("V"), in: s),
                       "V verify — not now: this file has no run into this target yet (R lists every run)")
        s.run.runID = Self.runID
        XCTAssertEqual(press(&s, .char("V")), [.verifyRun(runID: Self.runID)])
        XCTAssertEqual(s.screen, .verify)
        XCTAssertEqual(s.verify.phase, .running)
        _ = Update.update(&s, .verifyProgress(runID: Self.runID, .init(phase: "looking up users", done: 100, total: 400)))
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("Verifying run aaaaaaaa of users.json"), text)
        XCTAssertTrue(text.contains("looking up users: 100 of 400"), text)
        XCTAssertTrue(text.contains("25%"), "a gauge of the lookups: \(text)")
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("U"), in: s), "U re-send upsert — not now: wait for the verification to end")
        XCTAssertEqual(press(&s, .escape), [.cancelVerify], "Esc cancels while it runs")
        XCTAssertEqual(s.screen, .verify)
        XCTAssertTrue(AppView.render(s).text.contains("Stopping the verification"))
        _ = Update.update(&s, .verifyEnded(runID: Self.runID, .cancelled))
        XCTAssertTrue(AppView.render(s).text.contains("cancelled (it changed nothing)"))
        XCTAssertEqual(press(&s, .escape), [])
        XCTAssertEqual(s.screen, .records, "Esc goes back once it has stopped")
    }

    func testTheExportsPhasesShowWhatItIsDoing() throws {
        var s = try Self.verifying()
        _ = Update.update(&s, .verifyProgress(runID: Self.runID, .init(phase: "waiting for the export", done: 0, total: 0)))
        XCTAssertTrue(AppView.render(s).text.contains("waiting for the export…"))
        _ = Update.update(&s, .verifyProgress(runID: Self.runID, .init(phase: "reading the export", done: 20_000, total: 0)))
        _ = Update.update(&s, .verifyNotice(runID: Self.runID, "the download URL was refused (HTTP 403: expired); asking for a fresh one"))
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("reading the export: 20,000 users read"), text)
        XCTAssertTrue(text.contains("! the download URL was refused"), text)
        XCTAssertTrue(text.contains("No problems so far."), text)
    }

    func testResultsShowTheTotalsWhatCannotBeCheckedAndProblemsByKindAndField() throws {
        var s = try Self.verified()
        XCTAssertEqual(s.verify.groups.map(\.title), ["missing", "mismatched: mfa.totp.secret", "mismatched: name", "exists although the run failed"])
        XCTAssertEqual(s.verify.groups.map { $0.problems.map(\.record) }, [[0], [3], [3, 4], [1]])
        var text = AppView.render(s).text
        XCTAssertTrue(text.contains("3 records missing or mismatched"), text)
        XCTAssertTrue(text.contains("checked 10 · verified 7 · missing 1 · mismatched 2 · exists although the run failed 1 (of 2 failed or never sent)"), text)
        XCTAssertTrue(text.contains("cannot be checked: password (1)"), text)
        XCTAssertTrue(text.contains("no user u0 in the project"), "the missing group is shown first: \(text)")
        press(&s, .down, .down, .enter)
        text = AppView.render(s).text
        XCTAssertTrue(text.contains(#""Alan Turing" → "Alan""#) && text.contains(#""Edsger Dijkstra" → "E. W. Dijkstra""#), text)
        XCTAssertTrue(text.contains(#"name: sent "Alan Turing", found "Alan""#), "the detail lists every field: \(text)")
        press(&s, .left, .down)
        let failed = AppView.render(s).text
        XCTAssertTrue(failed.contains("user u9 exists although the run failed"), failed)
    }

    func testASecretThatDiffersIsMaskedOnBothSides() throws {
        var s = try Self.verified()
        press(&s, .down, .enter)
        XCTAssertEqual(s.verify.currentGroup?.field, "mfa.totp.secret")
        let text = AppView.render(s).text
        XCTAssertFalse(text.contains("JBSWY3DP") || text.contains("KRUGS4ZA"), "no secret on screen: \(text)")
        XCTAssertTrue(text.contains("\(Secrets.mask) → \(Secrets.mask)"), text)
        XCTAssertTrue(text.contains("mfa.totp.secret: sent \(Secrets.mask), found \(Secrets.mask)"), text)
    }

    func testEnterOpensTheRecordAFixIsMarkedAndUReSendsItWithUpsertAfterThePreview() throws {
        var s = try Self.verified()
        press(&s, .down, .down, .enter)
        XCTAssertEqual(press(&s, .enter), [])
        XCTAssertEqual(s.screen, .editor)
        XCTAssertEqual(s.editor.record, 3)
        let fixed = try JSONParser.parse(Array(#"{"email":"alan@example.com","name":"Alan"}"#.utf8))
        try s.session!.edit { $0.replace(3, with: fixed) }
        press(&s, .escape)
        XCTAssertEqual(s.screen, .verify)
        XCTAssertEqual(s.verify.marked, [3], "a record fixed from Verify is marked for the re-send")
        XCTAssertEqual(press(&s, .char("U")), [.previewUpsert([3])])
        _ = Update.update(&s, .upsertPreview(records: [3], changes: ["name": 1], ignored: [:], current: ["1 user(s) will change, 0 unchanged"]))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.title, "Re-send 1 record with upsert?")
        XCTAssertTrue(c.lines.contains("1 user(s) will change, 0 unchanged"))
        XCTAssertEqual(press(&s, .char("y")), [.rerunSkipped([3])])
        XCTAssertEqual(s.screen, .progress)
        XCTAssertEqual(s.verify.marked, [])
    }

    func testWithoutAMarkUReSendsTheSelectedRecordElseTheGroup() throws {
        var s = try Self.verified()
        press(&s, .down, .down)
        XCTAssertEqual(press(&s, .char("U")), [.previewUpsert([3, 4])], "the group's records")
        press(&s, .enter, .down)
        XCTAssertEqual(press(&s, .char("U")), [.previewUpsert([4])], "the selected record")
    }

    func testFromTheRunsScreenAnotherFilesRunIsVerifiedButItsRecordsCannotBeOpened() throws {
        var s = try RunsScreenTests.runsState()
        // The interrupted big file's run is selected.
        let big = try XCTUnwrap(s.runs.selectedEntry?.run.id)
        XCTAssertEqual(press(&s, .char("V")), [.verifyRun(runID: big)])
        XCTAssertTrue(s.verify.title.contains("big.json into https://myapp.authgear.cloud project myapp"), s.verify.title)
        _ = Update.update(&s, .verifyProblems(runID: big, [Self.problem(.missing, record: 7, identifier: "x@example.com", message: "no user u7 in the project")]))
        _ = Update.update(&s, .verifyProblems(runID: "someone-else", Self.problems))
        _ = Update.update(&s, .verifyEnded(runID: big, .finished(Self.summary)))
        XCTAssertEqual(s.verify.received, 1, "messages of another verification are dropped")
        press(&s, .enter)
        XCTAssertEqual(KeyMap.disabledMessage(for: .enter, in: s), "Enter open — not now: its source is not the open file: open it first (R, then o)")
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("U"), in: s), "U re-send upsert — not now: its source is not the open file: open it first (R, then o)")
        press(&s, .escape)
        XCTAssertEqual(s.screen, .runs)
    }

    func testVAgainVerifiesAfreshAndHelpListsTheKeys() throws {
        var s = try Self.verified()
        XCTAssertEqual(press(&s, .char("V")), [.verifyRun(runID: Self.runID)])
        XCTAssertEqual(s.verify.received, 0)
        XCTAssertEqual(s.verify.returnTo, .records)
        press(&s, .char("?"))
        let help = AppView.render(s).text
        XCTAssertTrue(help.contains("Keys — verify"), help)
        XCTAssertTrue(help.contains("Cancel the verification while it runs"), help)
        XCTAssertTrue(help.contains("Verify the run again (after a fix and a re-send) — not now: it is running"), help)
    }

    func testAFailureToRunIsSaid() throws {
        var s = try Self.verifying()
        _ = Update.update(&s, .verifyEnded(runID: Self.runID, .failed("run aaaaaaaa imported into https://a project a, but the settings point to https://b project b")))
        XCTAssertTrue(AppView.render(s).text.contains("could not run: run aaaaaaaa imported into https://a project a"))
    }

    func testTheListKeepsAtMostItsLimitAndSaysHowManyMore() {
        var v = VerifyState()
        v.runID = Self.runID
        let p = Self.problem(.missing, record: 1, identifier: "a@example.com", message: "no user")
        for _ in 0..<(VerifyState.listLimit + 3) { v.add(p) }
        XCTAssertEqual(v.groups.first?.problems.count, VerifyState.listLimit)
        XCTAssertEqual(v.received, VerifyState.listLimit + 3)
        XCTAssertTrue(VerifyView.header(v).contains { $0.0.contains("3 more problems not listed here") })
    }
}
