import Foundation
import TestSupport
import XCTest

/// The real binary's TUI in tmux: a bulk operation on marked records is previewed and applied,
/// the records screen is left (settings, runs) and come back to with the edits, the marks and
/// the counts as they were, and one `u` undoes the whole operation.
final class TUIBulkEndToEndTests: TUISandboxTestCase {
    override var workPrefix: String { "tui-bulk-e2e" }

    func testABulkExcludeHoldsAcrossScreensAndOneUndoRestoresIt() throws {
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state")
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")
        // Mark every record, exclude them all: previewed first, then applied as one step.
        try tmux.keys("M")
        try tmux.keys("b")
        tmux.wait(for: "Bulk operation on 40 marked records")
        try tmux.keys("1")
        try tmux.keys("Enter")
        tmux.wait(for: "40 of 40 records change", "[y] apply")
        try tmux.keys("y")
        tmux.wait(for: "40 records changed")
        let applied = tmux.wait(for: "Records · users.json", "●excl")

        // Leave for the settings and the runs screen, and come back: the same table.
        try tmux.keys("L")
        tmux.wait(for: "Target and options")
        try tmux.keys("Escape")
        tmux.wait(for: "Records · users.json")
        try tmux.keys("R")
        tmux.wait(for: "r resume", "f retry failed")
        try tmux.keys("Escape")
        let back = tmux.wait(for: "Records · users.json", "●excl")
        XCTAssertEqual(rows(back), rows(applied), "the records table came back as it was left")

        // One u undoes the whole operation.
        try tmux.keys("u")
        tmux.wait(for: "undid")
        tmux.wait(untilGone: "●excl")
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
    }

    /// The table's excluded rows, without the inspector pane beside them.
    func rows(_ screen: String) -> [String] {
        screen.split(separator: "\n").filter { $0.contains("●excl") }.map { String($0.split(separator: "│").first ?? "") }
    }
}
