import Foundation
import TestSupport
import XCTest

/// `check` of the real binary against a real sandbox child process.
final class CheckCommandTests: XCTestCase {
    func testCheckPassesWithTheSandboxKeyAndFailsWithAWrongKeyID() throws {
        let work = makeTempDirectory(prefix: "check").path
        let sandbox = try SandboxProcess(dir: work + "/sandbox", stateDir: work + "/state", recordLatencyMs: 5)
        defer { sandbox.stop() }
        XCTAssertEqual(sandbox.env["AUTHGEAR_PROJECT_ID"], "myapp")
        let env = CLIProcess.environment(sandbox.env, stateDir: work + "/state")
        let good = try CLIProcess.run(["check"], env: env, in: work)
        XCTAssertEqual(good.status, 0, good.stdout + good.stderr)
        XCTAssertTrue(good.stdout.contains("✓ authentication"), good.stdout)
        XCTAssertFalse(good.stdout.contains("HTTP 404"), "the probe's 404 is not shown as a connection success: \(good.stdout)")
        let bad = try CLIProcess.run(["check", "--key-id", "not-the-kid", "--json"], env: env, in: work)
        XCTAssertEqual(bad.status, 2, "refused credentials: the command could not run (README's exit-status table)")
        XCTAssertTrue(bad.stdout.contains(#""step":"authentication","ok":false"#), bad.stdout)
        XCTAssertFalse(bad.stdout.contains("eyJ"), "a token leaked into the output")
    }
}
