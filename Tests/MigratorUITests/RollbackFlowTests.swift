import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// Rollback from the Runs screen (D): the plan with its counts and target, the project id typed
/// exactly, progress, what was deleted and what was left alone; refused on a protected target.
final class RollbackFlowTests: XCTestCase {
    /// The Runs screen with the open file's finished run selected (10 inserted, 2 failed).
    static func mineSelected(width: Int = 120, height: Int = 40) throws -> AppState {
        var s = try RunsScreenTests.runsState(width: width, height: height)
        press(&s, .down, .down)
        XCTAssertEqual(s.runs.selectedEntry?.run.id, VerifyScreenTests.runID)
        return s
    }

    static let plan = RollbackPlan(runID: VerifyScreenTests.runID, sourcePath: "/data/users.json", endpoint: "https://myapp.authgear.cloud",
                                   projectID: "myapp", toDelete: 10, settledEarlier: 0, updated: 1, skipped: 3)

    static func confirming(width: Int = 120, height: Int = 40) throws -> AppState {
        var s = try mineSelected(width: width, height: height)
        XCTAssertEqual(press(&s, .char("D")), [.planRollback(runID: VerifyScreenTests.runID)])
        _ = Update.update(&s, .rollbackPlanned(runID: VerifyScreenTests.runID, .success(plan)))
        return s
    }

    func testDReadsThePlanAndTheConfirmationStatesTheCountsAndTheTarget() throws {
        var s = try Self.mineSelected()
        press(&s, .char("D"))
        XCTAssertTrue(AppView.render(s).text.contains("reading the journal: which users the run inserted…"))
        _ = Update.update(&s, .rollbackPlanned(runID: VerifyScreenTests.runID, .success(Self.plan)))
        guard case .rollbackConfirm(let id)? = s.prompt?.kind else { return XCTFail("no typed confirmation: \(String(describing: s.prompt))") }
        XCTAssertEqual(id, VerifyScreenTests.runID)
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("Target: https://myapp.authgear.cloud project myapp"), text)
        XCTAssertTrue(text.contains("DELETE up to 10 users that run aaaaaaaa inserted (users.json)"), text)
        XCTAssertTrue(text.contains("Left alone: 1 updated and 3 skipped users — they existed before the run."), text)
        XCTAssertTrue(text.contains("Type the project id myapp below"), text)
        XCTAssertTrue(text.contains("to DELETE 10 users type the project id (myapp):"), "the prompt line: \(text)")
    }

    func testATypedIDThatIsNotTheProjectsIsRefusedAndNothingIsDeleted() throws {
        var s = try Self.confirming()
        type(&s, "myap")
        XCTAssertEqual(press(&s, .enter), [], "no effect: nothing is deleted")
        XCTAssertNil(s.runs.rollback)
        XCTAssertNil(s.prompt)
        XCTAssertTrue(AppView.render(s).text.contains(#"refused: "myap" is not the project id myapp — nothing was deleted"#))
        // Case and spaces count: the id typed exactly.
        s = try Self.confirming()
        type(&s, "MyApp")
        XCTAssertEqual(press(&s, .enter), [])
    }

    func testTheRightIDStartsItProgressShowsAndTheResultSaysWhatWasLeftAloneAndWhy() throws {
        var s = try Self.confirming()
        type(&s, "myapp")
        XCTAssertEqual(press(&s, .enter), [.rollback(runID: VerifyScreenTests.runID, typedProjectID: "myapp")])
        _ = Update.update(&s, .rollbackProgress(runID: VerifyScreenTests.runID, done: 5, total: 10))
        var text = AppView.render(s).text
        XCTAssertTrue(text.contains("Deleting from https://myapp.authgear.cloud project myapp… 5 of 10 users looked at"), text)
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("D"), in: s), "D rollback — not now: a rollback is running")
        let result = RollbackResult(deleted: 8, alreadyGone: 1, leftAlone: [.init(record: 4, userID: "u4", reason: "no longer has the login ID edsger@example.com it was created with (now: ed@example.com)")],
                                    failed: [])
        XCTAssertEqual(Update.update(&s, .rollbackEnded(runID: VerifyScreenTests.runID, .finished(result))), [.loadRuns])
        text = AppView.render(s).text
        XCTAssertTrue(text.contains("Rollback done from https://myapp.authgear.cloud project myapp: deleted 8 · already gone 1 · left alone 1 · refused 0"), text)
        XCTAssertTrue(text.contains("left alone: record 4, user u4: no longer has the login ID edsger@example.com"), text)
        XCTAssertTrue(text.contains("Never touched: 1 updated and 3 skipped"), text)
        press(&s, .escape)
        XCTAssertNil(s.runs.rollback, "Esc closes the result")
        XCTAssertEqual(s.screen, .runs)
    }

    func testEscStopsARunningRollbackAndEscInThePromptCancelsIt() throws {
        var s = try Self.confirming()
        press(&s, .escape)
        XCTAssertNil(s.runs.rollback)
        XCTAssertTrue(AppView.render(s).text.contains("rollback cancelled: nothing was deleted"))
        s = try Self.confirming()
        type(&s, "myapp")
        press(&s, .enter)
        XCTAssertEqual(press(&s, .escape), [.cancelRollback])
        XCTAssertEqual(s.screen, .runs, "Esc stops the rollback, it does not leave the screen")
        _ = Update.update(&s, .rollbackEnded(runID: VerifyScreenTests.runID, .cancelled))
        XCTAssertTrue(AppView.render(s).text.contains("Rollback stopped. What was deleted is journaled; D continues where it stopped."))
    }

    func testAProtectedTargetRefusesWithItsReason() throws {
        var s = try Self.mineSelected()
        XCTAssertNil(KeyMap.disabledMessage(for: .char("D"), in: s))
        let reason = #"its target is protected: profile "prod" in /home/op/.config/authgear-migrate/profiles.json has "protected": true"#
        _ = Update.update(&s, .protectedTargets([RunTarget(endpoint: "https://myapp.authgear.cloud", projectID: "myapp"): reason]))
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("D"), in: s), "D rollback — not now: " + reason)
        XCTAssertEqual(press(&s, .char("D")), [])
        XCTAssertNil(s.runs.rollback)
        XCTAssertTrue(AppView.render(s).text.contains("D rollback — not now: its target is protected"))
        press(&s, .char("?"))
        XCTAssertTrue(AppView.render(s).text.contains("— not now: its target is protected"), "help says why")
    }

    func testARefusedPlanAndANothingToDoPlanAreSaid() throws {
        var s = try Self.mineSelected()
        press(&s, .char("D"))
        _ = Update.update(&s, .rollbackPlanned(runID: VerifyScreenTests.runID, .failure(RollbackRefusal("run aaaaaaaa imported into https://a project a, but the settings point to https://b project b: fix them in import settings (L)"))))
        XCTAssertNil(s.prompt)
        XCTAssertTrue(AppView.render(s).text.contains("Rollback refused or could not run: run aaaaaaaa imported into https://a project a"))
        press(&s, .escape, .char("D"))
        var done = Self.plan
        done.toDelete = 0
        done.settledEarlier = 10
        _ = Update.update(&s, .rollbackPlanned(runID: VerifyScreenTests.runID, .success(done)))
        XCTAssertNil(s.prompt, "nothing to confirm")
        XCTAssertTrue(AppView.render(s).text.contains("Nothing to roll back: every user the run inserted was already deleted or gone (10 settled by an earlier rollback)."))
    }

    func testARunWithoutInsertedUsersOrRunningElsewhereSaysWhyNot() throws {
        var s = try RunsScreenTests.runsState()
        press(&s, .down)
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("D"), in: s),
                       "D rollback — not now: it is running in another process (pid 4242, import, started 2026-12-04T21:00:00Z)")
        s.runs.entries[2].counts.inserted = 0
        press(&s, .down)
        XCTAssertEqual(KeyMap.disabledMessage(for: .char("D"), in: s), "D rollback — not now: it inserted no users")
    }
}
