import Foundation
import TestSupport
import XCTest

/// The real binary's TUI in tmux against a sandbox process: import the sample, V shows every
/// checked record verified; D on the Runs screen is refused while a profile protects the target,
/// refuses a wrongly typed project id, and with the id typed deletes exactly what the run inserted.
final class TUIVerifyRollbackEndToEndTests: TUISandboxTestCase {
    override var workPrefix: String { "tui-verify-e2e" }

    var profilesPath: String { work + "/config/authgear-migrate/profiles.json" }

    func testVerifyShowsEveryRecordVerifiedAndRollbackNeedsTheProjectIDTyped() throws {
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state", recordLatencyMs: 5)
        // Record 1's user exists already: skipped by the import, never touched by the rollback.
        try sandbox.post("/_sandbox/users", #"{"users":[{"ref":"a","identities":[{"type":"login_id","key":"email","value":"grace.ritchie1@example.com"}]}]}"#)
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")
        try tmux.keys("L", "L")
        tmux.wait(for: "Launch the import?")
        try tmux.keys("y")
        tmux.wait(for: "Finished", "inserted 29", "skipped 1", "The run has finished", timeout: 40)
        // Enter closes the banner; Esc goes back to the records (sent apart: Esc then V would be Alt-V).
        try tmux.keys("Enter")
        try tmux.keys("Escape")
        tmux.wait(for: "Records · users.json")

        try tmux.keys("V")
        var screen = tmux.wait(for: "Verified run", "every checked record is in the project", "checked 30 · verified 30 · missing 0 · mismatched 0",
                               "cannot be checked: password", timeout: 40)
        XCTAssertFalse(screen.contains("$2a$"), "no password hash on screen")
        try tmux.keys("Escape")
        tmux.wait(for: "Records · users.json")

        // A profile protects the target: D says why and does nothing.
        try FileManager.default.createDirectory(atPath: work + "/config/authgear-migrate", withIntermediateDirectories: true)
        try Data(#"{"profiles": {"staging": {"endpoint": "\#(sandbox.endpoint)", "project_id": "myapp", "protected": true}}}"#.utf8)
            .write(to: URL(fileURLWithPath: profilesPath))
        try tmux.keys("R")
        tmux.wait(for: "Runs in the journal (1)", "finished")
        try tmux.keys("D")
        tmux.wait(for: #"D rollback — not now: its target is protected: profile "staging""#)
        XCTAssertEqual(try sandbox.users().count, 30)

        // Unprotected (the Runs screen reads the profiles again): a wrong id is refused, the right one deletes.
        try FileManager.default.removeItem(atPath: profilesPath)
        try tmux.keys("Escape")
        tmux.wait(for: "Records · users.json")
        try tmux.keys("R")
        tmux.wait(for: "Runs in the journal (1)")
        try tmux.keys("D")
        screen = tmux.wait(for: "Rollback of run", "Target: \(sandbox.endpoint) project myapp", "DELETE up to 29 users", "1 skipped", "Type the project id myapp")
        try tmux.type("myap")
        try tmux.keys("Enter")
        tmux.wait(for: #"refused: "myap" is not the project id myapp — nothing was deleted"#)
        XCTAssertEqual(try sandbox.users().count, 30)
        try tmux.keys("D")
        tmux.wait(for: "Type the project id myapp")
        try tmux.type("myapp")
        try tmux.keys("Enter")
        screen = tmux.wait(for: "Rollback done", "deleted 29 · already gone 0 · left alone 0 · refused 0", timeout: 40)
        XCTAssertEqual(try sandbox.users().map(\.email), ["grace.ritchie1@example.com"], "only the user that existed before is left")
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
    }
}
