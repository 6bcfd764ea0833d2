import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// The journal as the one record of a migration, through the real binary: one process at a time,
/// every SQLite failure named, no record lost (the in-process cases are `JournalSafetyTests`).
final class JournalSafetyCLITests: SandboxTestCase {
    private var env: [String: String] { sandbox.cliEnvironment }

    func testASecondProcessOnTheJournalIsRefusedAndAKilledHoldersLockIsTakenOver() async throws {
        try await sandbox.setWorkerPaused(true)
        let source = sandbox.writeSource(count: 60)
        let journalPath = sandbox.dir + "/journal.sqlite"
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: { let p = sandbox.dir + "/first.out"; FileManager.default.createFile(atPath: p, contents: nil); return p }()))
        let first = try CLIProcess.spawn(["import", source, "--yes", "--journal", journalPath, "--max-records", "20"],
                                         env: env, stdout: out, stderr: out)
        defer { if first.isRunning { kill(first.processIdentifier, SIGKILL) } }
        // The first import has sent its batches and waits for the paused worker.
        try await waitUntil("the first import's batches to be sent", seconds: 60) {
            guard FileManager.default.fileExists(atPath: journalPath), let j = try? Journal(path: journalPath),
                  let run = try j.runs().first else { return false }
            return try j.batches(run: run.id).contains { $0.state == .sent }
        }

        for args in [["resume", "--journal", journalPath], ["import", source, "--yes", "--journal", journalPath, "--max-records", "20"],
                     ["retry", "--failed", "--journal", journalPath]] {
            let second = try CLIProcess.run(args, env: env, in: sandbox.dir)
            XCTAssertEqual(second.status, 2, "\(args[0]): \(second.stderr)")
            XCTAssertTrue(second.stderr.contains("another authgear-migrate is using this journal"), second.stderr)
            XCTAssertTrue(second.stderr.contains("pid \(first.processIdentifier)"), second.stderr)
            XCTAssertTrue(second.stderr.contains("import, started"), second.stderr)
        }
        XCTAssertEqual(try Journal(path: journalPath).runs().count, 1, "a refused import created no run")

        // Killed while holding the lock: the kernel drops it, the next process takes over and names the dead one.
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        // A new import of the same source is pointed at the unfinished run.
        let again = try CLIProcess.run(["import", source, "--yes", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(again.status, 2, again.stderr)
        XCTAssertTrue(again.stderr.contains("already has an unfinished run"), again.stderr)
        XCTAssertTrue(again.stderr.contains("authgear-migrate resume --run"), again.stderr)
        try await sandbox.setWorkerPaused(false)
        let resumed = try CLIProcess.run(["resume", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let journal = try Journal(path: journalPath)
        let run = try XCTUnwrap(journal.runs().first)
        let users = try await sandbox.userIDsByEmail()
        _ = try RunChecks.assertComplete(journal: journal, runID: run.id, count: 60, users: users)
        XCTAssertEqual(try journal.latestResults(run: run.id).values.filter { $0.outcome == .inserted }.count, 60,
                       "every user inserted once, by the first process's jobs")
    }

    func testAJournalThatCannotBeWrittenIsNamedWithTheSystemsReasonAndTheRunResumes() async throws {
        let count = 6000
        let source = sandbox.writeSource(count: count)
        let journalPath = sandbox.dir + "/journal.sqlite"
        // Files of this process may not grow past 512 KiB (SIGXFSZ ignored: writes fail with EFBIG),
        // as when the disk fills up in the middle of a run (the run and its planned batches, with
        // their record keys, fit; the results do not).
        let script = #"trap '' XFSZ; ulimit -f 512; exec "$0" "$@""#
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = ["-c", script, CLIProcess.binary.path, "import", source, "--yes", "--journal", journalPath, "--max-records", "100"]
        p.environment = env
        let errPath = sandbox.dir + "/limited.err"
        FileManager.default.createFile(atPath: errPath, contents: nil)
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let stderr = try String(contentsOfFile: errPath, encoding: .utf8)
        XCTAssertEqual(p.terminationStatus, 2, stderr)
        XCTAssertTrue(stderr.contains("journal \(journalPath)"), stderr)
        XCTAssertTrue(stderr.contains("File too large"), stderr)
        XCTAssertFalse(stderr.contains("server could not be reached"), stderr)
        XCTAssertTrue(stderr.contains("resume"), stderr)

        let resumed = try CLIProcess.run(["resume", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        let journal = try Journal(path: journalPath)
        let run = try XCTUnwrap(journal.runs().first)
        let users = try await sandbox.userIDsByEmail()
        _ = try RunChecks.assertComplete(journal: journal, runID: run.id, count: count, users: users)
    }

    func testADamagedJournalExitsTwoNamingTheJournal() async throws {
        let source = sandbox.writeSource(count: 30)
        let journalPath = sandbox.dir + "/journal.sqlite"
        let first = try CLIProcess.run(["import", source, "--yes", "--journal", journalPath, "--max-records", "10"], env: env, in: sandbox.dir)
        XCTAssertEqual(first.status, 0, first.stderr)
        // Damage every page past the header (the first 100 bytes stay a valid SQLite header).
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: journalPath))
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 4096)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: Int(size) - 4096))
        try handle.close()
        for args in [["status", "--journal", journalPath], ["runs", "--journal", journalPath], ["report", "--journal", journalPath],
                     ["resume", "--journal", journalPath]] {
            let r = try CLIProcess.run(args, env: env, in: sandbox.dir)
            XCTAssertEqual(r.status, 2, "\(args[0]): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("journal \(journalPath)"), "\(args[0]): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("what to do"), "\(args[0]): \(r.stderr)")
        }
    }

    func testARecordTooLargeForAnyRequestIsInvalidEverywhereAndNeverLostSilently() async throws {
        let path = sandbox.writeSource(count: 3, extra: { $0 == 1 ? #""name":"\#(String(repeating: "x", count: 500_000))""# : "" })
        let validate = try CLIProcess.run(["validate", path], env: env, in: sandbox.dir)
        XCTAssertEqual(validate.status, 1, validate.stderr)
        XCTAssertTrue(validate.stdout.contains("record.too_large"), validate.stdout)
        XCTAssertTrue(validate.stdout.contains("/name"), validate.stdout)
        let journalPath = sandbox.dir + "/journal.sqlite"
        let refused = try CLIProcess.run(["import", path, "--yes", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("record 1"), refused.stderr)
        let skipping = try CLIProcess.run(["import", path, "--yes", "--skip-invalid", "--journal", journalPath], env: env, in: sandbox.dir)
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        let report = try CLIProcess.run(["report", "--journal", journalPath, "--format", "ndjson"], env: env, in: sandbox.dir)
        let outcomes = try CLIProcess.ndjsonLines(report.stdout).map { $0["outcome"] as? String ?? "?" }
        XCTAssertEqual(outcomes, ["inserted", "invalid", "inserted"])
    }
}
