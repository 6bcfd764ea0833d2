import Foundation
import TestSupport
import XCTest

/// Keys as a real terminal sends them, through tmux: Alt-x is one key (not Esc and then x, which
/// excluded a record), and Ctrl-Z suspends the TUI to the shell and `fg` brings its screen back.
final class TUIKeysEndToEndTests: TUISandboxTestCase {
    override var workPrefix: String { "tui-keys-e2e" }

    override func setUpWithError() throws {
        try super.setUpWithError()
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state")
    }

    func testAltXDoesNotExcludeARecord() throws {
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")
        try tmux.keys("M-x")          // Esc x in one write, as a terminal sends Alt-x
        try tmux.keys("j", "x")       // then exclude record 1 on purpose
        tmux.wait(for: "record 1 excluded from the import")
        try tmux.keys("k")            // clears the message: the totals show again
        let screen = tmux.wait(for: "· 1 excluded")
        XCTAssertFalse(screen.contains("2 excluded"), "Alt-x excluded a record:\n\(screen)")
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
    }

    func testCtrlZSuspendsToTheShellAndFgRedrawsTheScreen() throws {
        try tmux.start("env -i PATH=\"$PATH\" HOME=\"$HOME\" PS1='shell$ ' bash --norc --noprofile -i")
        tmux.wait(for: "shell$")
        // A script, as an operator's wrapper would be: the whole job stops and continues.
        try Data((tuiCommand("tui users.json") + "\n").utf8).write(to: URL(fileURLWithPath: work + "/run.sh"))
        try tmux.type("sh '\(work)/run.sh'")
        try tmux.keys("Enter")
        tmux.wait(for: "40 records", "10 invalid")
        try tmux.keys("C-z")
        let stopped = tmux.wait(for: "Stopped")
        XCTAssertFalse(stopped.contains("authgear-migrate · Records"), "the shell has the terminal:\n\(stopped)")
        try tmux.type("fg")
        try tmux.keys("Enter")
        tmux.wait(for: "authgear-migrate · Records", "40 records", "10 invalid")
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
    }
}
