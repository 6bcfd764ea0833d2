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
        let users42 = try await sandbox.userIDsByEmail().count
        XCTAssertEqual(users42, 42)

        // --all sends all 42: with upsert off the existing users are skipped.
        let all = try importCLI([aPrime, "--yes", "--all"])
        XCTAssertEqual(all.status, 0, all.stderr)
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
        XCTAssertEqual(canary.status, 0, canary.stderr)
        XCTAssertTrue(canary.stderr.contains("No terminal and no --yes: only the canary is sent"), canary.stderr)
        XCTAssertTrue(canary.stderr.contains("canary: 5 record(s) done:"), canary.stderr)
        XCTAssertTrue(canary.stderr.contains("record 4: inserted"), canary.stderr)
        XCTAssertTrue(canary.stderr.contains("sends the other 20 record(s)"), canary.stderr)
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
        XCTAssertTrue(goes.stderr.contains("canary passed (no failures): sending the other 9 record(s)"), goes.stderr)
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
        XCTAssertTrue(status.stdout.contains("1 batch(es) (10 records) have an unknown outcome"), status.stdout)
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
}
