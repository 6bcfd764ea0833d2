import Foundation
import TestSupport
import XCTest

/// Runs the real `authgear-migrate` binary: exit codes, output formats, error messages.
final class CLITests: XCTestCase {
    /// The executable next to the test bundle in the products directory.
    static var binary: URL { ProductBinary.authgearMigrate }

    static var repoRoot: URL { ProductBinary.repoRoot }

    struct Run { var status: Int32; var stdout: String; var stderr: String }

    func run(_ args: [String], env: [String: String] = [:]) throws -> Run { try CLITests.run(args, env: env) }

    /// Runs `args` in the repository root with a private state directory (removed afterwards).
    static func run(_ args: [String], env: [String: String] = [:]) throws -> Run {
        let work = TempDirectory(prefix: "cli-run")
        defer { work.remove() }
        let o = try CLIProcess.run(args, env: CLIProcess.environment(env, stateDir: work.file("state")), in: work.path,
                                   currentDirectory: repoRoot)
        return Run(status: o.status, stdout: o.stdout, stderr: o.stderr)
    }

    /// Writes `text` to `name` in a temporary directory removed after the test.
    func temp(_ name: String, _ text: String) -> String { makeTempDirectory(prefix: "cli").write(name, text) }

    func testValidateSampleReportsEachDefectWithLineAndField() throws {
        let r = try run(["validate", "samples/legacy-users.json"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("40 records (authgear), identifier email, upsert off"), r.stdout)
        XCTAssertTrue(r.stdout.contains("record 5 (line 7) /email: invalid email address: mail: missing '@' or angle-addr [format.email]"), r.stdout)
        XCTAssertTrue(r.stdout.contains("record 14 (line 16) /mfa/totp/secret: InvalidTOTPSecret"), r.stdout)
        XCTAssertTrue(r.stdout.contains("record 17 (line 19) /email"), r.stdout)
    }

    func testValidateJSONLinesAndSummary() throws {
        let path = temp("u.ndjson", "{\"email\":\"a@example.com\"}\n{\"email\":\"bad\"}\n")
        let r = try run(["validate", path, "--json"])
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2)
        XCTAssertEqual(lines[0], #"{"record":1,"line":2,"issues":[{"severity":"error","pointer":"/email","rule":"format.email","message":"invalid email address: mail: missing '@' or angle-addr"}]}"#)
        XCTAssertEqual(lines[1], #"{"summary":{"format":"ndjson","records":2,"valid":1,"with_errors":1,"with_warnings":0}}"#)
    }

    func testValidExitsZeroAndUnreadableExitsTwo() throws {
        let ok = temp("ok.json", #"[{"email":"a@example.com"}]"#)
        XCTAssertEqual(try run(["validate", ok]).status, 0)
        let missing = try run(["validate", "/definitely/not/here.json"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("/definitely/not/here.json: cannot open the file"), missing.stderr)
        let truncated = temp("t.json", "[{\"email\":\"a@example.com\"},\n{\"email\":")
        let t = try run(["validate", truncated])
        XCTAssertEqual(t.status, 2)
        XCTAssertTrue(t.stderr.contains("t.json:2:1: record 1 (line 2) is not closed"), t.stderr)
    }

    func testExportWritesAnImportDocumentOfValidRecords() throws {
        let out = NSTemporaryDirectory() + "export-" + UUID().uuidString + ".json"
        let r = try run(["export", "samples/legacy-users.csv", "--mapping", "samples/legacy-users.mapping.json", "--only-valid", "-o", out])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("wrote 12 records"), r.stdout)
        let doc = try XCTUnwrap(FileManager.default.contents(atPath: out))
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: doc) as? [String: Any])
        XCTAssertEqual(json["identifier"] as? String, "email")
        let records = try XCTUnwrap(json["records"] as? [[String: Any]])
        XCTAssertEqual(records.count, 12)
        XCTAssertEqual((records[0]["password"] as? [String: Any])?["type"] as? String, "bcrypt")
        XCTAssertNil(records[0]["Legacy ID"])
        let again = try run(["validate", out])
        XCTAssertEqual(again.status, 0, again.stdout)
    }

    func testExportRefusesToOverwriteTheSource() throws {
        let src = temp("s.json", #"[{"email":"a@example.com"}]"#)
        let r = try run(["export", src, "-o", src])
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("refusing to overwrite the source file"), r.stderr)
    }

    func testHelpListsEveryCommand() throws {
        let r = try run(["--help"])
        XCTAssertEqual(r.status, 0)
        for command in ["validate", "export"] { XCTAssertTrue(r.stdout.contains(command), command) }
    }
}
