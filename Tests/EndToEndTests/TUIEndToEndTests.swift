import Foundation
import TestSupport
import XCTest

/// The real binary's TUI in tmux against a real sandbox: open the sample, fix an invalid record,
/// launch, see the totals, retry a failed group, re-run skipped users with upsert, quit; and
/// resume a run after `kill -9`.
final class TUIEndToEndTests: XCTestCase {
    /// A tmux server of its own (a private socket), one window of a fixed size.
    final class Tmux {
        let socket = "agm-e2e-\(UUID().uuidString.prefix(8))"
        let width: Int, height: Int

        init(width: Int = 120, height: Int = 36) {
            self.width = width
            self.height = height
        }

        /// Runs tmux with posix_spawn and waitpid. Foundation's Process is not used: the tmux server
        /// that `new-session` forks inherits Process's bookkeeping descriptors, and
        /// `waitUntilExit` then never returns.
        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            let path = NSTemporaryDirectory() + "tmux-out-" + UUID().uuidString
            defer { unlink(path) }
            var actions = posix_spawn_file_actions_t()
            posix_spawn_file_actions_init(&actions)
            defer { posix_spawn_file_actions_destroy(&actions) }
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
            posix_spawn_file_actions_addopen(&actions, 1, path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
            let argv = ["tmux", "-u", "-L", socket] + args
            var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
            defer { for a in cargs { free(a) } }
            var pid: pid_t = 0
            let rc = posix_spawnp(&pid, "tmux", &actions, nil, &cargs, environ)
            guard rc == 0 else { throw NSError(domain: "tmux", code: Int(rc), userInfo: [NSLocalizedDescriptionKey: "cannot run tmux (is it installed? scripts/setup.sh installs it)"]) }
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
            guard status == 0 else { throw NSError(domain: "tmux", code: Int(status), userInfo: [NSLocalizedDescriptionKey: "tmux \(args): \(text)"]) }
            return text
        }

        /// Starts `command` (a shell command line) in a new session.
        func start(_ command: String) throws {
            try tmux(["new-session", "-d", "-s", "e2e", "-x", String(width), "-y", String(height), command])
            try tmux(["set-option", "-t", "e2e", "remain-on-exit", "on"])
        }

        func respawn(_ command: String) throws { try tmux(["respawn-pane", "-k", "-t", "e2e", command]) }

        func keys(_ keys: String...) throws { try tmux(["send-keys", "-t", "e2e"] + keys) }

        /// Sends text literally (no key-name lookup).
        func type(_ text: String) throws { try tmux(["send-keys", "-t", "e2e", "-l", text]) }

        func screen() -> String { (try? tmux(["capture-pane", "-p", "-t", "e2e"])) ?? "" }

        func panePID() throws -> Int32 { Int32(try tmux(["display-message", "-p", "-t", "e2e", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 }

        /// Waits until the screen contains every one of `texts`; fails with the screen otherwise.
        @discardableResult
        func wait(for texts: String..., timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = screen()
                if texts.allSatisfy({ last.contains($0) }) { return last }
                usleep(100_000)
            }
            XCTFail("timed out waiting for \(texts) on the screen:\n\(last)", file: file, line: line)
            return last
        }

        /// Waits until none of `texts` is on the screen (an overlay closed); fails with the screen otherwise.
        @discardableResult
        func wait(untilGone texts: String..., timeout: Double = 20, file: StaticString = #filePath, line: UInt = #line) -> String {
            let deadline = Date().addingTimeInterval(timeout)
            var last = ""
            while Date() < deadline {
                last = screen()
                if !texts.contains(where: { last.contains($0) }) { return last }
                usleep(100_000)
            }
            XCTFail("timed out waiting for \(texts) to leave the screen:\n\(last)", file: file, line: line)
            return last
        }

        /// Waits for the program in the pane to end; its exit status (the command line writes it
        /// to `statusFile`: a dead pane's last output can be lost), or nil on timeout.
        func exitStatus(_ statusFile: String, timeout: Double = 20) -> Int32? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let text = try? String(contentsOfFile: statusFile, encoding: .utf8), let status = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)) {
                    return status
                }
                usleep(100_000)
            }
            XCTFail("the program did not exit; the screen:\n\(screen())")
            return nil
        }

        func kill() { _ = try? tmux(["kill-server"]) }
    }

    var sandbox: SandboxProcess!
    var tmux: Tmux!
    var work = ""

    override func setUpWithError() throws {
        work = TempDirectory(prefix: "tui-e2e").path
        try FileManager.default.copyItem(atPath: ProductBinary.repoRoot.appendingPathComponent("samples/legacy-users.json").path, toPath: work + "/users.json")
        tmux = Tmux()
    }

    override func tearDown() {
        tmux?.kill()
        sandbox?.stop()
        try? FileManager.default.removeItem(atPath: work)
    }

    /// The command line that runs the TUI with the sandbox's settings and a private state directory.
    func tuiCommand(_ args: String) -> String {
        let env = sandbox.env.map { "\($0.key)='\($0.value)'" }.sorted().joined(separator: " ")
        return "cd '\(work)' && env \(env) XDG_STATE_HOME='\(work)/state' LANG=C.UTF-8 TERM=screen '\(CLIProcess.binary.path)' \(args); echo $? > '\(work)/exit-status'"
    }

    func testFixLaunchRetryFailedAndRerunSkippedWithUpsert() throws {
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state", recordLatencyMs: 5)
        // One user exists already (record 1 is skipped); another holds record 6's phone number (record 6 fails).
        // Records 2 and 17 share an email: 2 comes first and is sent (a warning), 17 is invalid.
        try sandbox.post("/_sandbox/users", #"{"users":[{"ref":"a","identities":[{"type":"login_id","key":"email","value":"grace.ritchie1@example.com"}]},{"ref":"b","identities":[{"type":"login_id","key":"phone","value":"+85294047514"}]}]}"#)
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")

        // Fix record 5's email in the editor.
        try tmux.keys(":")
        try tmux.type("5")
        try tmux.keys("Enter")
        try tmux.keys("Enter")
        tmux.wait(for: "Record 5 · line 7 · INVALID", "missing '@'")
        try tmux.keys("Enter", "C-u")
        try tmux.type("margaret.hamilton5@example.com")
        try tmux.keys("Enter")
        tmux.wait(for: "Record 5 · line 7 · valid", "/email changed")
        try tmux.keys("Escape")
        tmux.wait(for: "9 invalid", "1 edited")

        // Launch: the confirmation states the counts and needs y.
        try tmux.keys("L")
        tmux.wait(for: "Import settings", "Will send 31 records")
        try tmux.keys("L")
        tmux.wait(for: "Launch the import?", "Will send 31 records", "9 invalid, 0 excluded")
        try tmux.keys("y")
        tmux.wait(for: "Finished", "inserted 29", "skipped 1", "failed 1")

        // Failure review: the failed group, fix the record (drop the taken phone number), retry the group.
        try tmux.keys("v")
        tmux.wait(for: "Review", "InvariantViolated", "barbara.turing6@example.com")
        try tmux.keys("Enter", "Enter")
        // The editor shows the server's failure from the journal, not "valid · No problems".
        tmux.wait(for: "Record 6", "FAILED on the server: InvariantViolated", "cause: DuplicatedIdentity", "clashes with an existing",
                  "not edited since it failed")
        try tmux.keys("a")
        try tmux.type("phone_number=\"+85297023700\"")
        try tmux.keys("Enter")
        tmux.wait(for: "/phone_number changed", "Record 6 · line 8 · valid", "✎ edited since it failed")
        try tmux.keys("Escape")
        tmux.wait(for: "Review", "1 edited since they failed")
        try tmux.keys("r")
        tmux.wait(for: "Retry 1 failed record?", "edited since it failed")
        try tmux.keys("y")
        tmux.wait(for: "Finished", "inserted 30", "failed 0")

        // Skipped users: re-run with upsert, after seeing what upsert ignores.
        try tmux.keys("v", "Tab")
        tmux.wait(for: "user already existed")
        try tmux.keys("U")
        tmux.wait(for: "Re-run 1 skipped user with upsert?", "IGNORED", "password (1)")
        try tmux.keys("y")
        tmux.wait(for: "Finished", "updated 1")

        XCTAssertFalse(tmux.screen().contains("$2a$"), "no password hash reached the screen")
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
        XCTAssertEqual(try sandbox.users().count, 32, "31 imported once each + the phone holder; none twice")
    }

    func testResumeAfterKillNine() throws {
        sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/sandbox-state", recordLatencyMs: 150)
        try tmux.start(tuiCommand("tui users.json"))
        tmux.wait(for: "40 records", "10 invalid")
        try tmux.keys("L", "L")
        tmux.wait(for: "Launch the import?")
        try tmux.keys("y")
        tmux.wait(for: "Importing", "userimport_")
        // kill -9 the TUI while the server is still processing the job.
        let shell = try tmux.panePID()
        // The shell runs the binary as its only child.
        let children = try String(contentsOfFile: "/proc/\(shell)/task/\(shell)/children", encoding: .utf8)
            .split(separator: " ").compactMap { Int32($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        XCTAssertEqual(children.count, 1, "expected the TUI as the shell's only child")
        for child in children { kill(child, SIGKILL) }
        let deadline = Date().addingTimeInterval(10)
        while children.contains(where: { FileManager.default.fileExists(atPath: "/proc/\($0)") }), Date() < deadline { usleep(50_000) }
        XCTAssertFalse(children.contains { FileManager.default.fileExists(atPath: "/proc/\($0)") }, "the TUI survived SIGKILL")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 137, "killed by SIGKILL")
        unlink(work + "/exit-status")
        // Start again: the unfinished run is offered; r resumes it and it finishes.
        try tmux.respawn(tuiCommand("tui users.json"))
        tmux.wait(for: "This file has an unfinished run", "Press r to resume")
        try tmux.keys("r")
        tmux.wait(for: "Finished", "inserted 30", timeout: 40)
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)
        XCTAssertEqual(try sandbox.users().count, 30, "every valid record imported exactly once")
    }
}
