import Foundation
import TestSupport
import XCTest

/// `--edits FILE` on the headless commands: an edits file as the TUI's edits view exports it (or
/// written by hand) applied by key, and a stale one refused naming the file, the entry and the record.
final class CLIEditsFileTests: XCTestCase {
    func run(_ args: [String]) throws -> CLITests.Run { try CLITests.run(args) }

    let edits = #"""
        {"format": "authgear-migrate edits", "version": 1,
         "edits": [
          {"record": 1, "key": {"field": "/email", "value": "Grace.example.com"},
           "changes": [{"field": "/email", "old": "Grace.example.com", "new": "grace@example.com"}]},
          {"record": 2, "key": {"field": "/email", "value": "spam@example.com"}, "exclude": true}]}
        """#

    func testEditsFileAppliesToValidateAndExport() throws {
        let dir = makeTempDirectory(prefix: "cli-edits")
        let src = dir.write("users.json", #"[{"email":"ada@example.com"},{"email":"Grace.example.com"},{"email":"spam@example.com"}]"#)
        let file = dir.write("reviewed.edits.json", edits)
        let before = try run(["validate", src])
        XCTAssertEqual(before.status, 1, before.stdout)
        let r = try run(["validate", src, "--edits", file])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("with 2 edited records applied"), r.stdout)
        XCTAssertNotNil(r.stdout.split(separator: "\n").first { $0.contains("excluded") && $0.hasSuffix(" 1") }, r.stdout)
        let out = dir.file("out.json")
        let e = try run(["export", src, "--edits", file, "-o", out])
        XCTAssertEqual(e.status, 0, e.stderr)
        let written = try String(contentsOfFile: out, encoding: .utf8)
        XCTAssertTrue(written.contains("grace@example.com"), written)
        XCTAssertFalse(written.contains("spam@example.com"), "the excluded record is left out")
        // A re-export with a record added in front: the edits follow their records by key.
        let moved = dir.write("moved.json", #"[{"email":"new@example.com"},{"email":"ada@example.com"},{"email":"Grace.example.com"},{"email":"spam@example.com"}]"#)
        let m = try run(["validate", moved, "--edits", file])
        XCTAssertEqual(m.status, 0, m.stdout + m.stderr)
    }

    func testAStaleEditsFileIsRefusedNamingTheEntryAndTheRecord() throws {
        let dir = makeTempDirectory(prefix: "cli-edits")
        let file = dir.write("reviewed.edits.json", edits)
        // Grace's address was fixed in the source in another way since the review.
        let src = dir.write("users.json", #"[{"email":"ada@example.com"},{"email":"grace@example.org"},{"email":"spam@example.com"}]"#)
        let r = try run(["validate", src, "--edits", file])
        XCTAssertEqual(r.status, 2, r.stdout + r.stderr)
        XCTAssertTrue(r.stderr.contains("\(file): entry #0 (record 1, /email = \"Grace.example.com\"): no record of the source has /email = \"Grace.example.com\" any more (it was record 1): the source changed and this edit no longer applies"), r.stderr)
        XCTAssertTrue(r.stderr.contains("hint: remove the entry, or correct its key"), r.stderr)
        let missing = try run(["validate", src, "--edits", dir.file("none.json")])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("none.json: cannot read the edits file"), missing.stderr)
    }
}
