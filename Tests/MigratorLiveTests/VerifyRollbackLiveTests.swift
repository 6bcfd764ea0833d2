import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
@testable import MigratorLive
import MigratorUI
import TestSupport
import XCTest

/// The TUI's verify and rollback effects against the real sandbox over loopback: what they post.
final class VerifyRollbackLiveTests: SandboxTestCase {
    var run: RunRecord!

    /// Imports 5 users into the sandbox through the engine, then deletes user 0 behind the tool's back.
    override func setUp() async throws {
        try await super.setUp()
        let source = sandbox.writeSource(count: 5) { #""name":"User \#($0)""# }
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal)
        _ = try await sandbox.runner(run, workspace, journal: journal).run()
        self.run = run
        let ids = try await sandbox.userIDsByEmail()
        let graphQL = AdminGraphQLClient(connection: AdminAPIConnection(try sandbox.service().client))
        _ = try await graphQL.deleteUsers([try XCTUnwrap(ids[SandboxHarness.email(0)])])
    }

    func handler(protection: @escaping @Sendable (String, String) -> String? = { _, _ in nil }) -> LiveEffects {
        let sandbox = self.sandbox!
        let target = LiveTarget(loaded: ImportSettings(),
                                connect: { s, _ in
                                    LiveTarget.Connection(endpoint: s.endpoint, projectID: s.projectID, makeClient: { try sandbox.service().client })
                                },
                                check: { _, _ in [] }, protection: protection)
        return LiveEffects(target: target, journalPath: sandbox.dir + "/journal.sqlite", log: TUILog(path: sandbox.dir + "/tui.log"), format: nil)
    }

    var state: AppState {
        var s = AppState()
        s.settings.endpoint = sandbox.endpoint
        s.settings.projectID = "myapp"
        return s
    }

    /// Drains the mailbox until `done` says so (or 30 s pass).
    func messages(_ mailbox: Mailbox, until done: (Message) -> Bool) -> [Message] {
        var all: [Message] = []
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            all += mailbox.drain()
            if all.contains(where: done) { break }
            usleep(10_000)
        }
        return all
    }

    func testVerifyFindsTheDeletedUserMissingAndTheRestVerified() throws {
        let mailbox = Mailbox()
        handler().perform(.verifyRun(runID: run.id), state: state, mailbox: mailbox)
        let posted = messages(mailbox) { if case .verifyEnded = $0 { true } else { false } }
        guard case .verifyEnded(let id, .finished(let summary))? = posted.last else { return XCTFail("no finished verification: \(posted)") }
        XCTAssertEqual(id, run.id)
        XCTAssertEqual(summary.checked, 5)
        XCTAssertEqual(summary.verified, 4)
        XCTAssertEqual(summary.missing, 1)
        let problems = posted.flatMap { m -> [VerifyProblem] in if case .verifyProblems(_, let p) = m { p } else { [] } }
        XCTAssertEqual(problems.map(\.record), [0])
        XCTAssertEqual(problems.first?.kind, .missing)
        XCTAssertTrue(posted.contains { if case .verifyProgress(_, let p) = $0 { p.phase == "looking up users" && p.done == 5 } else { false } }, "\(posted)")
    }

    func testVerifyRefusesSettingsThatPointToAnotherProject() throws {
        let mailbox = Mailbox()
        var s = state
        s.settings.projectID = "other"
        handler().perform(.verifyRun(runID: run.id), state: s, mailbox: mailbox)
        let posted = messages(mailbox) { if case .verifyEnded = $0 { true } else { false } }
        guard case .verifyEnded(_, .failed(let reason))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertTrue(reason.contains("the settings point to \(sandbox.endpoint) project other"), reason)
    }

    func testRollbackPlansDeletesWhatTheRunInsertedAndASecondOneHasNothingToDo() async throws {
        let mailbox = Mailbox()
        let live = handler()
        live.perform(.planRollback(runID: run.id), state: state, mailbox: mailbox)
        var posted = messages(mailbox) { if case .rollbackPlanned = $0 { true } else { false } }
        guard case .rollbackPlanned(_, .success(let plan))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(plan.toDelete, 5)
        XCTAssertEqual(plan.projectID, "myapp")
        XCTAssertEqual(plan.endpoint, sandbox.endpoint)

        live.perform(.rollback(runID: run.id, typedProjectID: "myap"), state: state, mailbox: mailbox)
        posted = messages(mailbox) { if case .rollbackEnded = $0 { true } else { false } }
        guard case .rollbackEnded(_, .failed(let refusal))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertTrue(refusal.contains("is not the project id myapp"), refusal)
        let before = try await sandbox.users().count
        XCTAssertEqual(before, 4, "a wrong id deletes nothing")

        live.perform(.rollback(runID: run.id, typedProjectID: "myapp"), state: state, mailbox: mailbox)
        posted = messages(mailbox) { if case .rollbackEnded = $0 { true } else { false } }
        guard case .rollbackEnded(_, .finished(let result))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(result.deleted, 4)
        XCTAssertEqual(result.alreadyGone, 1)
        XCTAssertEqual(result.leftAlone, [])
        let after = try await sandbox.users().count
        XCTAssertEqual(after, 0)

        live.perform(.planRollback(runID: run.id), state: state, mailbox: mailbox)
        posted = messages(mailbox) { if case .rollbackPlanned = $0 { true } else { false } }
        guard case .rollbackPlanned(_, .success(let again))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(again.toDelete, 0)
        XCTAssertEqual(again.settledEarlier, 5)
    }

    func testAProtectedTargetIsRefusedBeforeAnythingIsRead() async throws {
        let mailbox = Mailbox()
        let live = handler(protection: { _, project in project == "myapp" ? "its target is protected: profile \"prod\"" : nil })
        live.perform(.planRollback(runID: run.id), state: state, mailbox: mailbox)
        var posted = messages(mailbox) { if case .rollbackPlanned = $0 { true } else { false } }
        guard case .rollbackPlanned(_, .failure(let refusal))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(refusal.reason, "its target is protected: profile \"prod\"")
        live.perform(.rollback(runID: run.id, typedProjectID: "myapp"), state: state, mailbox: mailbox)
        posted = messages(mailbox) { if case .rollbackEnded = $0 { true } else { false } }
        guard case .rollbackEnded(_, .failed(let reason))? = posted.last else { return XCTFail("\(posted)") }
        XCTAssertEqual(reason, "its target is protected: profile \"prod\"")
        let users = try await sandbox.users().count
        XCTAssertEqual(users, 4, "nothing deleted on a protected target")
        live.perform(.loadRuns, state: state, mailbox: mailbox)
        posted = messages(mailbox) { if case .runsLoaded = $0 { true } else { false } }
        guard case .protectedTargets(let targets)? = posted.first(where: { if case .protectedTargets = $0 { true } else { false } }) else {
            return XCTFail("\(posted)")
        }
        guard case .runsLoaded? = posted.last else { return XCTFail("the protections come before the runs: \(posted)") }
        XCTAssertEqual(targets, [RunTarget(endpoint: sandbox.endpoint, projectID: "myapp"): "its target is protected: profile \"prod\""])
    }
}
