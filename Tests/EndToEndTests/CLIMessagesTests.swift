import Foundation
import TestSupport
import XCTest

/// The binary's exit statuses for usage errors and what `check` says about a wrong endpoint:
/// https:// on a plain-http port, an endpoint with a path, a 404 that is not Authgear's, a dead proxy.
final class CLIMessagesTests: SandboxTestCase {
    private func cli(_ args: [String], env extra: [String: String] = [:]) throws -> CLIProcess.Output {
        var env = sandbox.cliEnvironment
        for (k, v) in extra { env[k] = v.isEmpty ? nil : v }  // "" removes an inherited variable
        return try CLIProcess.run(args, env: env, in: sandbox.dir)
    }

    func testEveryCommandExitsTwoOnAnUnknownOption() throws {
        let source = sandbox.writeSource("a.ndjson", count: 1)
        for args in [["validate", source], ["export", source, "-o", sandbox.dir + "/out.json"], ["check"], ["import", source], ["resume"], ["retry"], ["status"],
                     ["runs"], ["report"], ["sandbox"], ["tui"], []] {
            let out = try cli(args + ["--no-such-option"])
            XCTAssertEqual(out.status, 2, "\(args): \(out.stderr)")
            XCTAssertTrue(out.stderr.contains("Unknown option '--no-such-option'"), "\(args): \(out.stderr)")
        }
        // A missing value is a usage error too; --help and --version still exit 0.
        XCTAssertEqual(try cli(["report", "--format"]).status, 2)
        XCTAssertEqual(try cli(["check", "--help"]).status, 0)
        XCTAssertEqual(try cli(["--version"]).status, 0)
    }

    func testCheckSaysA404IsNotAnAuthgearServer() async throws {
        try await sandbox.setFaults(#"{"http": [{"kind": "status", "status": 404, "processed": false, "share": 1, "methods": ["GET"]}]}"#)
        let out = try cli(["check"])
        XCTAssertEqual(out.status, 1, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("✗ Authgear API: HTTP 404 without Authgear's TaskNotFound: this endpoint is not an Authgear server"), out.stdout)
        XCTAssertTrue(out.stdout.contains("fix: give the project's origin as --endpoint"), out.stdout)
        XCTAssertFalse(out.stdout.contains("✓ connection: HTTP 404"), out.stdout)
        XCTAssertFalse(out.stdout.contains("✓ authentication"), out.stdout)
    }

    func testHTTPSOnAPlainHTTPPortSaysThePortServesHTTP() throws {
        let endpoint = try XCTUnwrap(sandbox.cliEnvironment["AUTHGEAR_ENDPOINT"])
        let out = try cli(["check", "--endpoint", endpoint.replacingOccurrences(of: "http://", with: "https://")])
        XCTAssertEqual(out.status, 1, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("answered the TLS handshake in plain HTTP"), out.stdout)
        XCTAssertTrue(out.stdout.contains("this port serves http://, not https://"), out.stdout)
        XCTAssertFalse(out.stdout.contains("--ca-file"), "a CA file cannot help here: \(out.stdout)")
    }

    func testAnEndpointWithAPathNamesTheOriginToGive() throws {
        let endpoint = try XCTUnwrap(sandbox.cliEnvironment["AUTHGEAR_ENDPOINT"])
        let out = try cli(["check", "--endpoint", endpoint + "/_api/admin"])
        XCTAssertEqual(out.status, 2, out.stdout + out.stderr)
        XCTAssertTrue(out.stdout.contains("it has a path (/_api/admin): give the project's origin alone, \(endpoint) "), out.stdout)
    }

    func testADeadProxyIsNamedAndTheHostIsNotResolvedLocally() throws {
        let env = ["HTTPS_PROXY": "http://127.0.0.1:9", "https_proxy": "", "NO_PROXY": "", "no_proxy": ""]
        let out = try cli(["check", "--endpoint", "https://myapp.example.invalid"], env: env)
        XCTAssertEqual(out.status, 1, out.stdout + out.stderr)
        XCTAssertFalse(out.stdout.contains("does not resolve"), out.stdout)
        XCTAssertTrue(out.stdout.contains("✓ endpoint: myapp.example.invalid is reached through the proxy http://127.0.0.1:9 (from HTTPS_PROXY)"), out.stdout)
        XCTAssertTrue(out.stdout.contains("the proxy http://127.0.0.1:9 (from HTTPS_PROXY) could not be reached"), out.stdout)
        XCTAssertTrue(out.stdout.contains("list myapp.example.invalid in no_proxy"), out.stdout)
    }
}
