import Foundation
import TestSupport
import XCTest

/// The mapping step through the real binary in tmux: a Firebase export's preset gets a row
/// (a source path seen in its records → a custom attribute, timestamps to RFC 3339), the
/// mapping is accepted, and headless `validate` of the same file reads it ("saved by the TUI").
final class TUIMappingEndToEndTests: XCTestCase {
    var tmux: TUIEndToEndTests.Tmux!
    var work = ""

    override func setUpWithError() throws {
        work = TempDirectory(prefix: "tui-mapping-e2e").path
        try Data(#"""
        {"users": [
          {"localId": "u1", "email": "Kim@Example.com", "emailVerified": true, "displayName": "Kim Lee", "createdAt": "1700000000000"},
          {"localId": "u2", "email": "lee@example.com", "displayName": "Lee", "createdAt": "1700000100000"}
        ]}
        """#.utf8).write(to: URL(fileURLWithPath: work + "/firebase.json"))
        tmux = TUIEndToEndTests.Tmux()
    }

    override func tearDown() {
        tmux?.kill()
        try? FileManager.default.removeItem(atPath: work)
    }

    func testARowAddedInTheTUIIsWhatValidateReads() throws {
        try tmux.start("cd '\(work)' && env XDG_STATE_HOME='\(work)/state' LANG=C.UTF-8 TERM=screen '\(CLIProcess.binary.path)' tui firebase.json; echo $? > '\(work)/exit-status'")
        tmux.wait(for: "Source mapping", "/displayName", "kim@example.com")
        try tmux.keys("+")
        tmux.wait(for: "Source of the new row", "/createdAt")
        try tmux.keys("j", "j", "j", "j", "Enter")        // /localId, /email, /emailVerified, /displayName, /createdAt
        tmux.wait(for: "/createdAt → field")
        try tmux.keys("End", "Up", "Enter")               // custom_attributes.…
        tmux.wait(for: "custom_attributes.")
        try tmux.type("signed_up")
        try tmux.keys("Enter")
        tmux.wait(for: "→ custom_attributes.signed_up")
        try tmux.keys("t")
        tmux.wait(for: "Transform of /createdAt", "timestamps to RFC 3339")
        try tmux.keys("j", "j", "j", "j", "j", "j", "Enter")
        tmux.wait(for: "rfc3339", "2023-11-14T22:13:20.000Z")
        try tmux.keys("a")
        tmux.wait(for: "authgear-migrate · Records", "mapping saved", #""signed_up": "2023-11-14T22:13:20.000Z""#)
        try tmux.keys("q")
        XCTAssertEqual(tmux.exitStatus(work + "/exit-status"), 0)

        let env = CLIProcess.environment([:], stateDir: work + "/state")
        let out = work + "/import.json"
        let validate = try CLIProcess.run(["validate", work + "/firebase.json"], env: env, in: work)
        XCTAssertEqual(validate.status, 0, validate.stdout + validate.stderr)
        XCTAssertTrue(validate.stdout.contains("(saved by the TUI)"), validate.stdout)
        XCTAssertFalse(validate.stdout.contains("original timestamps"), "createdAt is mapped now, not reported as dropped:\n\(validate.stdout)")
        let export = try CLIProcess.run(["export", work + "/firebase.json", "-o", out], env: env, in: work)
        XCTAssertEqual(export.status, 0, export.stderr)
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: out)), as: UTF8.self)
        XCTAssertTrue(text.contains(#""custom_attributes":{"signed_up":"2023-11-14T22:13:20.000Z"}"#), text)
    }
}
