import Foundation
import MigrationEngine
import TestSupport
import XCTest

/// The headless commands against a sandbox whose quota runs out: `import` pauses (exit 2),
/// `resume` before the reset pauses again, and after the sandbox clock moves to the next day
/// `resume` finishes the run.
final class CLIQuotaResumeTests: SandboxTestCase {
    func testImportPausesOnQuotaAndResumeFinishesAfterTheClockMovesToTheNextDay() async throws {
        try await sandbox.control("PUT", "/_sandbox/project",
                                  #"{"usage_limits": {"user_import": [{"quota": 40, "period": "day", "action": "block"}]}}"#)
        let source = sandbox.writeSource(count: 100)
        let journalPath = sandbox.dir + "/journal.sqlite"
        let env = sandbox.cliEnvironment

        let first = try CLIProcess.run(["import", source, "--yes", "--journal", journalPath, "--max-records", "20", "--concurrency", "1"],
                                       env: env, in: sandbox.dir)
        XCTAssertEqual(first.status, 2, first.stderr)
        XCTAssertTrue(first.stderr.contains("daily user-import quota is used up"), first.stderr)
        XCTAssertTrue(first.stderr.contains("authgear-migrate resume --run"), first.stderr)
        let journal = try Journal(path: journalPath)
        let run = try XCTUnwrap(journal.runs().first)
        XCTAssertEqual(run.state, .paused)
        XCTAssertEqual(try journal.latestResults(run: run.id).count, 40)

        let early = try CLIProcess.run(["resume", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(early.status, 2, early.stderr)
        XCTAssertTrue(early.stderr.contains("quota"), early.stderr)

        // Only the sandbox's clock moves (the CLI keeps minting tokens from the real clock).
        try await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds": 86400}"#)
        try await sandbox.control("PUT", "/_sandbox/project", "{}")
        let resumed = try CLIProcess.run(["resume", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)

        let status = try CLIProcess.run(["status", "--journal", journalPath, "--json"], env: env, in: sandbox.dir)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any], status.stdout)
        XCTAssertEqual(doc["state"] as? String, "finished")
        XCTAssertEqual(doc["inserted"] as? Int, 100)
        let users = try await sandbox.userIDsByEmail()
        XCTAssertEqual(users.count, 100)
    }
}
