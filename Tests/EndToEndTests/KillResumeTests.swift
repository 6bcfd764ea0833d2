import Foundation
import MigrationEngine
import TestSupport
import XCTest

/// `kill -9` of the real importer at 20 random moments of a 5,000-record run against a real
/// sandbox process; `resume` each time. Nothing may be lost and no user created twice.
final class KillResumeTests: XCTestCase {
    func testKillNineAtTwentyRandomMomentsThenResumeLosesNothingAndDuplicatesNothing() throws {
        let count = 5000
        let dir = makeTempDirectory(prefix: "kill-resume").path
        let stateDir = dir + "/state"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let sandbox = try SandboxProcess(dir: dir + "/sandbox", stateDir: stateDir)
        defer { sandbox.stop() }

        let source = dir + "/users.ndjson"
        var text = ""
        for i in 0..<count { text += #"{"email":"\#(SandboxHarness.email(i))","given_name":"User \#(i)"}"# + "\n" }
        _ = FileManager.default.createFile(atPath: source, contents: Data(text.utf8))
        let journalPath = dir + "/journal.sqlite"
        let env = CLIProcess.environment(sandbox.env, stateDir: stateDir)
        let log = dir + "/children.log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        let logHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        defer { try? logHandle.close() }

        var random = SplitMix64(seed: 0x5EED_2024)   // seeded, so a failing schedule replays
        var kills = 0, exitedOnTheirOwn = 0
        for cycle in 0..<20 {
            // Until a run exists in the journal, starting again means `import`; afterwards `resume`.
            var hasRun = false
            if FileManager.default.fileExists(atPath: journalPath) { hasRun = !(try Journal(path: journalPath).runs().isEmpty) }
            let args = hasRun ? ["resume", "--journal", journalPath]
                              : ["import", source, "--yes", "--journal", journalPath, "--max-records", "50"]
            let child = try CLIProcess.spawn(args, env: env, stdout: logHandle, stderr: logHandle)
            let delay = Double.random(in: 0.05...1.5, using: &random)
            Thread.sleep(forTimeInterval: delay)
            if child.isRunning {
                kill(child.processIdentifier, SIGKILL)
                kills += 1
            } else {
                exitedOnTheirOwn += 1
            }
            child.waitUntilExit()
            if child.terminationReason == .exit {
                XCTAssertNotEqual(child.terminationStatus, 1, "cycle \(cycle): \(args[0]) reported failed records")
            }
        }
        XCTAssertGreaterThanOrEqual(kills, 15, "most cycles must end in kill -9 (\(exitedOnTheirOwn) exited by themselves)")
        let killedJournal = try Journal(path: journalPath)
        let runID = try XCTUnwrap(killedJournal.runs().first?.id)
        let resultsBeforeFinal = try killedJournal.latestResults(run: runID).count
        let batchesResent = try killedJournal.batches(run: runID).filter { $0.attempts > 1 }.count
        XCTAssertGreaterThan(resultsBeforeFinal, 0, "the killed processes never got anything done")

        // Let it finish.
        var final = try CLIProcess.run(["resume", "--journal", journalPath], env: env, in: dir)
        if final.status == 2, final.stderr.contains("no runs yet") {
            final = try CLIProcess.run(["import", source, "--yes", "--journal", journalPath, "--max-records", "50"], env: env, in: dir)
        }
        XCTAssertEqual(final.status, 0, final.stderr)

        let statusOut = try CLIProcess.run(["status", "--journal", journalPath, "--json"], env: env, in: dir)
        XCTAssertEqual(statusOut.status, 0, statusOut.stderr)
        let status = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(statusOut.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(status["state"] as? String, "finished")
        XCTAssertEqual(status["records"] as? Int, count)
        XCTAssertEqual(status["failed"] as? Int, 0)
        XCTAssertEqual((status["inserted"] as? Int ?? 0) + (status["skipped"] as? Int ?? 0), count, statusOut.stdout)
        XCTAssertEqual(try Journal(path: journalPath).runs().count, 1, "one run only")

        let users = try sandbox.users()
        XCTAssertEqual(users.count, count, "sandbox users")
        var byEmail: [String: String] = [:]
        for u in users {
            XCTAssertNil(byEmail[u.email], "\(u.email) was created twice")
            byEmail[u.email] = u.id
        }
        XCTAssertEqual(byEmail.count, count, "distinct emails")
        for i in 0..<count { XCTAssertNotNil(byEmail[SandboxHarness.email(i)], "record \(i) has no sandbox user") }

        let reportOut = try CLIProcess.run(["report", "--journal", journalPath, "--format", "ndjson"], env: env, in: dir)
        XCTAssertEqual(reportOut.status, 0, reportOut.stderr)
        let rows = try CLIProcess.ndjsonLines(reportOut.stdout)
        XCTAssertEqual(rows.count, count)
        var seenRecords = Set<Int>()
        var skipped = 0
        for row in rows {
            let record = try XCTUnwrap(row["record"] as? Int)
            XCTAssertTrue(seenRecords.insert(record).inserted, "record \(record) reported twice")
            let outcome = row["outcome"] as? String
            XCTAssertTrue(outcome == "inserted" || outcome == "skipped", "record \(record): \(row)")
            let userID = row["user_id"] as? String
            XCTAssertNotNil(userID, "record \(record) has no user_id")
            XCTAssertEqual(userID, byEmail[SandboxHarness.email(record)], "record \(record)")
            XCTAssertEqual(row["identifier"] as? String, SandboxHarness.email(record))
            if outcome == "skipped" {
                skipped += 1
                // Nothing existed before the run: a skipped user was created by an interrupted attempt.
                XCTAssertNotNil(row["possibly_created_at"], "record \(record) skipped without possibly_created_at")
            }
        }
        XCTAssertEqual(seenRecords, Set(0..<count))
        print("kill -9 cycles: \(kills) kills, \(exitedOnTheirOwn) exited; \(resultsBeforeFinal) results before the final resume, "
              + "\(batchesResent) batches sent more than once by then, \(skipped) records skipped after re-sends in the end")
    }
}
