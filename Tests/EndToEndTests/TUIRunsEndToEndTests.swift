import Foundation
import TestSupport
import XCTest

/// The real binary's TUI in tmux with two runs in one journal: a finished run of file A (the
/// sample) and a run of file B killed with SIGKILL mid-import. Opened on A, the TUI shows only A's
/// results and survives p, v, Tab, U and Esc; the Runs screen lists B's run and resumes it.
final class TUIRunsEndToEndTests: TUISandboxTestCase {
    override var workPrefix: String { "tui-runs-e2e" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        let records = (0..<60).map { #"{"email": "batch.user\#($0)@example.com", "name": "Batch User \#($0)"}"# }
        try Data(("[\n" + records.joined(separator: ",\n") + "\n]\n").utf8).write(to: URL(fileURLWithPath: work + "/big.json"))
    }

    /// SIGKILLs the program the pane's shell runs.
    func killTheTUI() throws {
        let shell = try tmux.panePID()
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
            .split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(children.count, 1, "expected the TUI as the shell's only child")
        for child in children { kill(child, SIGKILL) }
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 137, "killed by SIGKILL")
        unlink(work + "/exit-status")
    }

    func testTheOpenFileShowsOnlyItsOwnRunAndTheRunsScreenResumesAnotherFilesRun() throws {
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state", recordLatencyMs: 150)
        // Record 1 of the sample is skipped (the user exists), record 6 fails (its phone number is taken).
        try sandbox.post("/_sandbox/users", #"{"users":[{"ref":"a","identities":[{"type":"login_id","key":"email","value":"grace.ritchie1@example.com"}]},{"ref":"b","identities":[{"type":"login_id","key":"phone","value":"+85294047514"}]}]}"#)

        // File A: a finished run.
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")
        try tmux.keys("L", "L")
        tmux.wait(for: "Launch the import?")
        try tmux.keys("y")
        tmux.wait(for: "Finished", "inserted 28", "skipped 1", "failed 1", "The run has finished", timeout: 40)
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
        unlink(work + "/exit-status")

        // File B: killed while its job is on the server.
        try tmux.respawn(tuiCommand("tui big.json"))
        tmux.wait(for: "60 records", "0 invalid")
        XCTAssertFalse(tmux.screen().contains("unfinished run"), "A's finished run is not offered")
        try tmux.keys("L", "L")
        tmux.wait(for: "Launch the import?", "Will send 60 records")
        try tmux.keys("y")
        tmux.wait(for: "Importing", "userimport_")
        try killTheTUI()

        // A again: only A's results; B's run is offered as "open that file", never attached.
        try tmux.respawn(tuiCommand("tui users.json"))
        var screen = tmux.wait(for: "An unfinished run of another file", "big.json", "Press o to open that file")
        try tmux.keys("Escape")
        tmux.wait(untilGone: "An unfinished run of another file")
        screen = tmux.wait(for: "Records · users.json", "result", "FAIL", "skip", "ins")
        XCTAssertFalse(screen.contains("big.json"), screen)
        try tmux.keys("p")
        screen = tmux.wait(for: "Import progress", "Finished · run", "inserted 28", "skipped 1", "failed 1", "pending 0", "of 30")
        XCTAssertFalse(screen.contains("Paused"), screen)
        try tmux.keys("v")
        screen = tmux.wait(for: "Review", "InvariantViolated", "barbara.turing6@example.com")
        XCTAssertFalse(screen.contains("batch.user"), "no identifier of B paired with A's results")
        try tmux.keys("Tab")
        tmux.wait(for: "user already existed", "grace.ritchie1@example.com")
        try tmux.keys("U")
        tmux.wait(for: "Re-run 1 skipped user with upsert?")
        try tmux.keys("Escape")
        tmux.wait(for: "cancelled")
        try tmux.keys("Escape")
        tmux.wait(for: "Records", "40 records")
        XCTAssertFalse(FileManager.default.fileExists(atPath: work + "/exit-status"), "the TUI is still running:\n\(tmux.screen())")

        // The Runs screen lists both; B's run (the newest) is interrupted and resumes from here.
        try tmux.keys("R")
        screen = tmux.wait(for: "Runs in the journal (2)", "big.json", "interrupted", "users.json", "finished")
        try tmux.keys("Enter")
        tmux.wait(for: "summary", "the process that ran it is gone")
        try tmux.keys("r")
        tmux.wait(for: "Resume run")
        try tmux.keys("r")
        screen = tmux.wait(for: "Finished", "inserted 60", "big.json", timeout: 40)
        // Enter closes the finished banner (Esc and q in one write would be Alt-q, as a terminal sends it).
        try tmux.keys("Enter", "q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
        XCTAssertEqual(try sandbox.users().count, 2 + 28 + 60, "every valid record of both files imported exactly once")
    }

    /// A canary of 10 stops for a go / no-go, P sends the rest; launching the same file again says
    /// every record is already imported and sends nothing unless all are asked for.
    func testACanaryStopsForAGoAndASecondLaunchSendsOnlyWhatIsNotImported() throws {
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state", recordLatencyMs: 5)
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")
        try tmux.keys("L")
        tmux.wait(for: "Import settings", "Canary", "none")
        try tmux.keys("G", "Enter")
        tmux.wait(for: "canary: records to send first")
        try tmux.keys("Enter")
        tmux.wait(for: "the first 10 records, then a go / no-go")
        try tmux.keys("L")
        tmux.wait(for: "Launch the import?", "Will send 30 records", "Canary: the first 10 records go first")
        try tmux.keys("y")
        tmux.wait(for: "Canary done: go or no-go?", "inserted 10", "20 records wait for your go", timeout: 40)
        XCTAssertEqual(try sandbox.users().count, 10, "only the canary was sent")
        try tmux.keys("Enter")
        try tmux.keys("P")
        tmux.wait(for: "Finished", "inserted 30", "The run has finished", timeout: 40)
        XCTAssertEqual(try sandbox.users().count, 30)
        try tmux.keys("Enter", "Escape")
        tmux.wait(for: "Records · users.json")   // Esc arrived alone: L below is not Alt-L

        // The same file again: everything is already imported.
        try tmux.keys("L")
        tmux.wait(for: "Will send 0 records (30 already imported)")
        try tmux.keys("L")
        tmux.wait(for: "all 30 sendable records already have a successful outcome")
        // Send: all records — they are sent again and skipped (the server has them).
        try tmux.keys("G", "k", "Enter")
        tmux.wait(for: "Will send all 30 records (30 already imported)")
        try tmux.keys("G", "Enter", "C-u")
        try tmux.type("0")
        try tmux.keys("Enter", "L")
        tmux.wait(for: "Launch the import?", "Will send 30 records", "sending all of them again (upsert off: they are skipped)")
        try tmux.keys("y")
        tmux.wait(for: "Finished", "skipped 30", timeout: 40)
        try tmux.keys("Enter", "q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
        XCTAssertEqual(try sandbox.users().count, 30, "nobody imported twice")
    }
}
