import Foundation
import MigrationEngine
import TestSupport
import XCTest

/// The headless commands over many runs of one migration, against a sandbox: delta launches
/// (`--only-new` / `--all`), canaries, and runs described exactly (`status`, `runs`).
final class CLIRunsTests: SandboxTestCase {
    private func importCLI(_ args: [String]) throws -> CLIProcess.Output {
        try CLIProcess.run(["import"] + args + ["--journal", sandbox.dir + "/journal.sqlite", "--max-records", "10"],
                           env: sandbox.cliEnvironment, in: sandbox.dir)
    }

    private func plannedRecords(_ run: RunRecord, _ journal: Journal) throws -> Int {
        try journal.batches(run: run.id).filter { $0.purpose != .recovery }.reduce(0) { $0 + $1.records.count }
    }

    func testADeltaLaunchSendsOnlyTheNewRecordsOfAReExportAndAllSendsEveryRecord() async throws {
        let a = sandbox.writeSource("a.ndjson", count: 30)
        let first = try importCLI([a, "--yes"])
        XCTAssertEqual(first.status, 0, first.stderr)
        let users30 = try await sandbox.userIDsByEmail().count
        XCTAssertEqual(users30, 30)

        // The same file again: every record is matched by number, nothing is sent.
        let again = try importCLI([a, "--yes"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("30 of the 30 sendable records already have a successful outcome"), again.stderr)
        XCTAssertTrue(again.stderr.contains("30 by record number (same file content)"), again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing new to send"), again.stdout)

        // A re-export with 12 users appended (another content): matched by identifier, only the 12 go out.
        let aPrime = sandbox.writeSource("a-prime.ndjson", count: 42)
        let delta = try importCLI([aPrime, "--yes"])
        XCTAssertEqual(delta.status, 0, delta.stderr)
        XCTAssertTrue(delta.stderr.contains("30 of the 42 sendable records already have a successful outcome"), delta.stderr)
        XCTAssertTrue(delta.stderr.contains("30 by identifier (the file changed since)"), delta.stderr)
        XCTAssertTrue(delta.stderr.contains("Sending only the 12 others (--only-new, the default)"), delta.stderr)
        XCTAssertTrue(delta.stderr.contains("Will send 12 records"), delta.stderr)
        let journal = try Journal(path: sandbox.dir + "/journal.sqlite")
        let deltaRun = try XCTUnwrap(journal.runs().first)
        XCTAssertEqual(try plannedRecords(deltaRun, journal), 12)
        let deltaCounts = try journal.outcomeCounts(run: deltaRun.id)
        XCTAssertEqual(deltaCounts.inserted, 12)
        XCTAssertEqual(deltaCounts.skipped, 0, "no record already imported was sent")
        XCTAssertEqual(Set(try journal.latestResults(run: deltaRun.id).keys), Set(30..<42))
        let left = try CLIProcess.run(["report", "--journal", journal.path, "--run", String(deltaRun.id.prefix(8)), "--outcome", "not_in_run"],
                                      env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertEqual(left.stdout.components(separatedBy: "\r\n").filter { $0.contains(",not_in_run,") }.count, 30, left.stdout + left.stderr)
        let users42 = try await sandbox.userIDsByEmail().count
        XCTAssertEqual(users42, 42)

        // --all sends all 42: with upsert off the existing users are skipped.
        let all = try importCLI([aPrime, "--yes", "--all", "--json"])
        XCTAssertEqual(all.status, 0, all.stderr)
        // Batches are numbered per run (1…n), although the journal already holds 5 batches of earlier runs.
        let sending = try CLIProcess.ndjsonLines(all.stdout).filter { $0["event"] as? String == "batch_sending" }
        XCTAssertEqual(Set(sending.compactMap { $0["batch"] as? Int }), Set(1...5), all.stdout)
        XCTAssertTrue(all.stderr.contains("--all: sending all 42; with upsert off they will be skipped"), all.stderr)
        let allRun = try XCTUnwrap(journal.runs().first)
        XCTAssertEqual(try plannedRecords(allRun, journal), 42)
        XCTAssertEqual(try journal.outcomeCounts(run: allRun.id).skipped, 42)

        let both = try importCLI([aPrime, "--yes", "--all", "--only-new"])
        XCTAssertEqual(both.status, 2, both.stderr)
    }

    func testACanaryStopsAfterExactlyNRecordsAndResumeSendsTheRest() async throws {
        let source = sandbox.writeSource("canary.ndjson", count: 25)
        // No terminal, no --yes: only the canary is sent, the run stays paused for a go.
        let canary = try importCLI([source, "--canary", "5"])
        XCTAssertEqual(canary.status, 1, "the rest has no outcome yet: " + canary.stderr)
        XCTAssertTrue(canary.stderr.contains("No terminal and no --yes: only the canary is sent"), canary.stderr)
        XCTAssertTrue(canary.stderr.contains("canary: 5 records done:"), canary.stderr)
        XCTAssertTrue(canary.stderr.contains("record 4: inserted"), canary.stderr)
        XCTAssertTrue(canary.stderr.contains("sends the other 20 records"), canary.stderr)
        let users5 = try await sandbox.userIDsByEmail().count
        XCTAssertEqual(users5, 5)
        let journal = try Journal(path: sandbox.dir + "/journal.sqlite")
        let run = try XCTUnwrap(journal.runs().first)
        XCTAssertEqual(run.state, .paused)
        XCTAssertEqual(run.pausedReason, "canary")

        let status = try CLIProcess.run(["status", "--journal", journal.path], env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertTrue(status.stdout.contains("(paused: canary)"), status.stdout)

        let resumed = try CLIProcess.run(["resume", "--journal", journal.path], env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let users25 = try await sandbox.userIDsByEmail().count
        XCTAssertEqual(users25, 25)
        XCTAssertEqual(try journal.outcomeCounts(run: run.id).inserted, 25)

        // With --yes a clean canary goes on by itself.
        let more = sandbox.writeSource("more.ndjson", count: 12) { _ in #""name":"x""# }
        let goes = try importCLI([more, "--canary", "3", "--yes", "--all"])
        XCTAssertEqual(goes.status, 0, goes.stderr)
        XCTAssertTrue(goes.stderr.contains("canary passed (no failures): sending the other 9 records"), goes.stderr)
        XCTAssertEqual(try journal.outcomeCounts(run: XCTUnwrap(journal.runs().first).id).total, 12)
    }

    func testStatusOfARunWhoseProcessIsGoneSaysInterruptedAndWhatResumeDoes() async throws {
        let source = sandbox.writeSource("gone.ndjson", count: 20)
        let journal = try Journal(path: sandbox.dir + "/journal.sqlite")
        let (run, _) = try sandbox.startRun(source, journal: journal, maxRecords: 10)
        // As a process killed between `sending` and the answer leaves it.
        let first = try XCTUnwrap(journal.batches(run: run.id).first)
        try journal.markSending(first.id, bodySHA256: "")
        let status = try CLIProcess.run(["status", "--journal", journal.path], env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("(interrupted)"), status.stdout)
        XCTAssertTrue(status.stdout.contains("no process holds its lock"), status.stdout)
        XCTAssertTrue(status.stdout.contains("1 batch (10 records) has an unknown outcome"), status.stdout)
        let runs = try CLIProcess.run(["runs", "--journal", journal.path], env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertTrue(runs.stdout.contains("interrupted"), runs.stdout)
        XCTAssertFalse(runs.stdout.contains("active"), runs.stdout)

        let resumed = try CLIProcess.run(["resume", "--journal", journal.path], env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resuming run \(run.id) (interrupted)"), resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resume sends each again exactly"), resumed.stderr)
        let users20 = try await sandbox.userIDsByEmail().count
        XCTAssertEqual(users20, 20)
    }

    func testReportsCarryTheLegacyKeyAndTheServersCauseAndTheSummaryIsJSON() async throws {
        try await sandbox.control("POST", "/_sandbox/users",
                                  #"{"users":[{"ref":"P","identities":[{"type":"login_id","key":"phone","value":"+6591234567"}]}]}"#)
        let csv = sandbox.dir + "/legacy.csv"
        try Data("Legacy ID,email,phone_number\nL-1,u1@example.com,\nL-2,clash@example.com,+6591234567\nL-3,u3@example.com,\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let secret = try importCLI([csv, "--yes", "--key-field", "/password/password_hash"])
        XCTAssertEqual(secret.status, 2, secret.stderr)
        XCTAssertTrue(secret.stderr.contains("holds secrets"), secret.stderr)
        let imported = try importCLI([csv, "--yes", "--key-field", "Legacy ID"])
        XCTAssertEqual(imported.status, 1, imported.stderr)

        let journal = sandbox.dir + "/journal.sqlite"
        func cli(_ args: [String]) throws -> CLIProcess.Output {
            try CLIProcess.run(args + ["--journal", journal], env: sandbox.cliEnvironment, in: sandbox.dir)
        }
        let report = try cli(["report"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let lines = report.stdout.components(separatedBy: "\r\n")
        XCTAssertEqual(lines[0], "record,line,legacy_id,identifier,outcome,user_id,warnings,error_reason,error_message,error_cause,error_clash,possibly_created_at")
        XCTAssertTrue(lines[1].hasPrefix("0,2,L-1,u1@example.com,inserted,"), lines[1])
        XCTAssertTrue(lines[2].hasPrefix("1,3,L-2,clash@example.com,failed,,"), lines[2])
        XCTAssertTrue(lines[2].contains("DuplicatedIdentity"), lines[2])
        XCTAssertTrue(lines[2].contains("the record's phone login ID clashes with an existing login_id (phone) identity of another user"), lines[2])
        XCTAssertFalse(report.stdout.contains("$2"), "no secret in a report")

        let map = try cli(["report", "--user-map"])
        let users = try await sandbox.userIDsByEmail()
        XCTAssertTrue(map.stdout.hasPrefix("legacy_id,identifier,user_id\r\n"), map.stdout)
        XCTAssertTrue(map.stdout.contains("L-1,u1@example.com,\(try XCTUnwrap(users["u1@example.com"]))\r\n"), map.stdout)
        XCTAssertFalse(map.stdout.contains("L-2"), "a failed record has no user")

        let out = sandbox.dir + "/failed.ndjson"
        let summary = try cli(["report", "--summary", "--outcome", "failed", "--format", "ndjson", "-o", out])
        XCTAssertEqual(summary.status, 0, summary.stderr)
        let doc = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [String: Any], summary.stdout)
        XCTAssertEqual(doc["state"] as? String, "finished")
        XCTAssertEqual(doc["key_field"] as? String, "Legacy ID")
        let totals = try XCTUnwrap(doc["totals"] as? [String: Int])
        XCTAssertEqual(totals, ["inserted": 2, "updated": 0, "skipped": 0, "failed": 1, "pending": 0])
        XCTAssertEqual((doc["failures_by_reason"] as? [String: Int])?.values.reduce(0, +), 1)
        XCTAssertEqual(doc["files"] as? [String], [out])
        XCTAssertNotNil(doc["finished_at"] as? String)
        XCTAssertGreaterThanOrEqual(try XCTUnwrap(doc["elapsed_seconds"] as? Double), try XCTUnwrap(doc["active_seconds"] as? Double))
        let failedRow = try XCTUnwrap(JSONSerialization.jsonObject(with: XCTUnwrap(FileManager.default.contents(atPath: out))) as? [String: Any])
        XCTAssertEqual(failedRow["legacy_id"] as? String, "L-2")
        XCTAssertEqual((failedRow["error"] as? [String: Any])?["cause_kind"] as? String, "DuplicatedIdentity")
    }
}
