import Foundation
import TestSupport
import XCTest

/// `import --yes` without a terminal against a real sandbox process whose worker is paused: the job
/// stays pending, and the importer still prints a line every 5 s, then says which job has been
/// pending for how long. Once the worker resumes, the run finishes.
final class CLIPendingJobTests: XCTestCase {
    func testImportWithoutATerminalSaysWhichJobIsStillPendingThenFinishes() throws {
        let dir = makeTempDirectory(prefix: "cli-pending").path
        let stateDir = dir + "/state"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        let sandbox = try SandboxProcess(dir: dir + "/sandbox", stateDir: stateDir)
        defer { sandbox.stop() }
        try sandbox.put("/_sandbox/worker", #"{"paused": true}"#)

        let source = dir + "/users.ndjson"
        var text = ""
        for i in 0..<30 { text += #"{"email":"\#(SandboxHarness.email(i))"}"# + "\n" }
        _ = FileManager.default.createFile(atPath: source, contents: Data(text.utf8))
        let errPath = dir + "/stderr.txt", outPath = dir + "/stdout.txt"
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        defer { try? err.close(); try? out.close() }
        let child = try CLIProcess.spawn(["import", source, "--yes", "--journal", dir + "/journal.sqlite", "--concurrency", "1"],
                                         env: CLIProcess.environment(sandbox.env, stateDir: stateDir), stdout: out, stderr: err)
        defer { if child.isRunning { child.terminate() } }
        func stderr() -> String { String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self) }

        // The job is pending from the start; the importer has nothing to report but must say so.
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, child.isRunning,
              stderr().split(separator: "\n").filter({ $0.contains("waiting for job") }).count < 2 { Thread.sleep(forTimeInterval: 0.2) }
        let waiting = stderr()
        let jobs = try XCTUnwrap(sandbox.get("/_sandbox/jobs") as? [String: Any])["jobs"] as? [[String: Any]]
        let jobID = try XCTUnwrap(jobs?.first?["id"] as? String, "the importer sent its batch")
        // A slow first job is named with its age on the progress line, never a silent 0.
        let waitingLine = waiting.split(separator: "\n").first { $0.contains("waiting for job") }.map(String.init)
        XCTAssertNotNil(waitingLine, "no 'waiting for job' line within 30 s:\n\(waiting)")
        if let waitingLine {
            XCTAssertTrue(waitingLine.hasPrefix("progress: no record completed yet, 1 batch in flight; waiting for job \(jobID) ("), waitingLine)
            XCTAssertTrue(waitingLine.hasSuffix(" s)"), waitingLine)
        }
        // Lines kept coming although no record completed.
        XCTAssertGreaterThanOrEqual(waiting.split(separator: "\n").filter { $0.hasPrefix("progress: ") }.count, 2, waiting)
        XCTAssertFalse(waiting.contains("\u{1B}["), "no terminal escapes without a terminal")

        try sandbox.put("/_sandbox/worker", #"{"paused": false}"#)
        let finishBy = Date().addingTimeInterval(60)
        while child.isRunning, Date() < finishBy { Thread.sleep(forTimeInterval: 0.1) }
        XCTAssertFalse(child.isRunning, "the run did not finish after the worker resumed")
        child.waitUntilExit()
        XCTAssertEqual(child.terminationStatus, 0, stderr())
        XCTAssertTrue(stderr().contains("finished: inserted 30, updated 0, skipped 0, failed 0"), stderr())
        XCTAssertEqual(try sandbox.users().count, 30)
    }
}
