import Foundation
import TestSupport
import XCTest

/// The setup the TUI's tmux tests against a sandbox process share: a private work directory
/// holding a copy of the sample as `users.json`, a tmux session, and the command line that
/// starts the real binary there with the sandbox's settings and private state and config.
class TUISandboxTestCase: XCTestCase {
    var sandbox: SandboxProcess!
    var tmux: TUIEndToEndTests.Tmux!
    var work = ""

    /// The work directory's name prefix (one per test class, to tell kept directories apart).
    var workPrefix: String { "tui-e2e" }

    override func setUpWithError() throws {
        work = TempDirectory(prefix: workPrefix).path
        try FileManager.default.copyItem(atPath: ProductBinary.repoRoot.appendingPathComponent("samples/legacy-users.json").path, toPath: work + "/users.json")
        tmux = TUIEndToEndTests.Tmux()
    }

    override func tearDown() {
        tmux?.kill()
        sandbox?.stop()
        if ProcessInfo.processInfo.environment["KEEP_E2E"] == nil { try? FileManager.default.removeItem(atPath: work) } else { print("kept \(work)") }
    }

    /// The TUI with the sandbox's settings, private state and a private profiles directory; its
    /// exit status lands in `exit-status`.
    func tuiCommand(_ args: String) -> String {
        let env = sandbox.env.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        return "cd '\(work)' && env \(env) XDG_STATE_HOME='\(work)/state' XDG_CONFIG_HOME='\(work)/config' LANG=C.UTF-8 TERM=screen '\(CLIProcess.binary.path)' \(args); echo $? > '\(work)/exit-status'"
    }
}
