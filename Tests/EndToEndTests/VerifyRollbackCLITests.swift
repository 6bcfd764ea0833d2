import Foundation
import MigrationEngine
import TestSupport
import XCTest

/// `verify` and `rollback` of the real binary against a real sandbox process over loopback.
final class VerifyRollbackCLITests: XCTestCase {
    var dir = ""
    var sandbox: SandboxProcess!
    var env: [String: String] = [:]
    var journal: String { dir + "/journal.sqlite" }

    override func setUpWithError() throws {
        dir = makeTempDirectory(prefix: "verify-cli").path
        let stateDir = dir + "/state"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        sandbox = try SandboxProcess(dir: dir + "/sandbox", stateDir: stateDir)
        env = CLIProcess.environment(sandbox.env, stateDir: stateDir)
        env["XDG_CONFIG_HOME"] = dir + "/config"
        // A user that exists before any run: it must survive every rollback.
        try sandbox.post("/_sandbox/users", #"{"users":[{"ref":"B","identities":[{"type":"login_id","key":"email","value":"before@example.com"}]}]}"#)
    }

    override func tearDown() { sandbox?.stop() }

    func cli(_ args: [String]) throws -> CLIProcess.Output { try CLIProcess.run(args, env: env, in: dir) }

    /// `count` users `user<i>@example.com` named `User <i>`, after `before@example.com`.
    func importUsers(_ count: Int) throws -> String {
        let source = dir + "/users.ndjson"
        var text = #"{"email":"before@example.com","name":"Before"}"# + "\n"
        for i in 0..<count { text += #"{"email":"user\#(i)@example.com","name":"User \#(i)","custom_attributes":{"tier":"gold"}}"# + "\n" }
        _ = FileManager.default.createFile(atPath: source, contents: Data(text.utf8))
        let out = try cli(["import", source, "--yes", "--journal", journal, "--max-records", "50"])
        XCTAssertEqual(out.status, 0, out.stderr)
        return try XCTUnwrap(Journal(path: journal).runs().first?.id)
    }

    func summary(_ out: CLIProcess.Output) throws -> [String: Any] {
        let last = try XCTUnwrap(out.stdout.split(separator: "\n").last, out.stderr)
        return try XCTUnwrap((JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])?["summary"] as? [String: Any], out.stdout)
    }

    func testACleanImportVerifiesAnUpsertElsewhereMismatchesAndRollbackLeavesOnlyWhatExistedBefore() throws {
        let run = try importUsers(5)
        let clean = try cli(["verify", "--journal", journal, "--json"])
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        var s = try summary(clean)
        XCTAssertEqual(s["checked"] as? Int, 6)
        XCTAssertEqual(s["verified"] as? Int, 6)
        XCTAssertEqual(s["method"] as? String, "lookups")
        let byExport = try cli(["verify", "--journal", journal, "--json", "--lookup-limit", "0"])
        XCTAssertEqual(byExport.status, 0, byExport.stdout + byExport.stderr)
        s = try summary(byExport)
        XCTAssertEqual(s["method"] as? String, "export")
        XCTAssertEqual(s["verified"] as? Int, 6)

        // Another journal's upsert renames user1 (record 2 of the run).
        let other = dir + "/rename.json"
        _ = FileManager.default.createFile(atPath: other, contents: Data(#"{"identifier":"email","upsert":true,"records":[{"email":"user1@example.com","name":"Renamed"}]}"#.utf8))
        let upsert = try cli(["import", other, "--yes", "--journal", dir + "/other.sqlite"])
        XCTAssertEqual(upsert.status, 0, upsert.stderr)
        for extra in [[], ["--lookup-limit", "0"]] {
            let renamed = try cli(["verify", "--journal", journal, "--json"] + extra)
            XCTAssertEqual(renamed.status, 1, renamed.stdout + renamed.stderr)
            let problem = try XCTUnwrap(CLIProcess.ndjsonLines(renamed.stdout).first { $0["problem"] as? String == "mismatched" })
            XCTAssertEqual(problem["record"] as? Int, 2)
            XCTAssertEqual(problem["field"] as? String, "name")
            XCTAssertEqual(problem["sent"] as? String, "User 1")
            XCTAssertEqual(problem["found"] as? String, "Renamed")
            XCTAssertEqual(try summary(renamed)["mismatched"] as? Int, 1)
        }
        let human = try cli(["verify", "--journal", journal])
        XCTAssertEqual(human.status, 1)
        XCTAssertTrue(human.stdout.contains("name: sent \"User 1\", found \"Renamed\""), human.stdout)
        XCTAssertTrue(human.stdout.contains("not checkable") == false, "no password was sent, nothing to declare")

        let noTerminal = try cli(["rollback", "--journal", journal, "--run", run])
        XCTAssertEqual(noTerminal.status, 2, noTerminal.stderr)
        XCTAssertTrue(noTerminal.stderr.contains("DELETE up to 5 users") && noTerminal.stderr.contains("project myapp"), noTerminal.stderr)
        XCTAssertEqual(try sandbox.users().count, 6, "nothing deleted without --yes")
        let rollback = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(rollback.status, 0, rollback.stdout + rollback.stderr)
        XCTAssertTrue(rollback.stdout.contains("deleted 5"), rollback.stdout)
        XCTAssertEqual(try sandbox.users().map(\.email), ["before@example.com"])
        let again = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stdout.contains("nothing to roll back"), again.stdout)
        let afterRollback = try cli(["verify", "--journal", journal, "--json"])
        XCTAssertEqual(afterRollback.status, 1)
        XCTAssertEqual(try summary(afterRollback)["missing"] as? Int, 5)
    }

    /// Every field verify compares, as the sandbox stores and exports it: no false mismatch, and
    /// a TOTP secret compared by export but never printed.
    func testEveryComparedFieldVerifiesByLookupsAndByExport() throws {
        let source = dir + "/rich.ndjson"
        let records = [
            #"{"email":"Rich@Example.com","email_verified":true,"name":"Rich","given_name":"R","family_name":"Ich","address":{"locality":"Central","country":"HK"},"custom_attributes":{"member_id":"M-1","age":37,"tier":"gold"},"roles":["role_a","role_b"],"groups":["group_a"],"disabled":true,"mfa":{"email":"rich.mfa@example.com","totp":{"secret":"JBSWY3DPEHPK3PXP"}},"password":{"type":"bcrypt","password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}}"#,
            #"{"email":"plain@example.com","phone_number":"+85298765432","phone_number_verified":true,"locale":"en","zoneinfo":"Asia/Hong_Kong"}"#,
        ]
        _ = FileManager.default.createFile(atPath: source, contents: Data((records.joined(separator: "\n") + "\n").utf8))
        let imported = try cli(["import", source, "--yes", "--journal", journal])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        for extra in [[], ["--lookup-limit", "0"]] {
            let out = try cli(["verify", "--journal", journal, "--json"] + extra)
            XCTAssertEqual(out.status, 0, out.stdout + out.stderr)
            let s = try summary(out)
            XCTAssertEqual(s["verified"] as? Int, 2, out.stdout)
            let notCheckable = s["not_checkable"] as? [String: Any] ?? [:]
            XCTAssertEqual(notCheckable["password"] as? Int, 1)
            XCTAssertEqual(notCheckable["mfa.totp.secret"] as? Int, extra.isEmpty ? 1 : nil, "lookups cannot see a TOTP secret; the export can")
            XCTAssertFalse(out.bytes.contains(Data("JBSWY3DP".utf8)) || out.bytes.contains(Data("$2a$".utf8)), "no secret in the output")
        }
    }

    /// `retry --skipped` shows, from the users' current values, what upsert really changes.
    func testRetrySkippedShowsWhatReallyChangesFromTheUsersCurrentValues() throws {
        _ = try importUsers(2)
        let retry = try cli(["retry", "--skipped", "--yes", "--journal", journal])
        XCTAssertEqual(retry.status, 0, retry.stdout + retry.stderr)
        XCTAssertTrue(retry.stderr.contains("1 user will change, 0 unchanged"), retry.stderr)
        XCTAssertTrue(retry.stderr.contains(#"name: 1 user, e.g. record 0: (absent) → "Before""#), retry.stderr)
        let verify = try cli(["verify", "--journal", journal, "--json"])
        XCTAssertEqual(verify.status, 0, verify.stdout + verify.stderr)
        XCTAssertEqual(try summary(verify)["verified"] as? Int, 3, "the updated user now holds what was sent")
    }

    func testKillNineDuringARollbackThenRollbackAgainDeletesTheRest() throws {
        let run = try importUsers(300)
        try sandbox.put("/_sandbox/faults", #"{"http":[{"kind":"latency","latency_ms":15,"share":1}]}"#)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/child.log", isDirectory: false).creating())
        let child = try CLIProcess.spawn(["rollback", "--journal", journal, "--run", run, "--yes"], env: env, stdout: log, stderr: log)
        try waitUntil("some users deleted", seconds: 60) { try self.sandbox.users().count < 250 }
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        let left = try sandbox.users().count
        XCTAssertGreaterThan(left, 1, "killed before the end")
        try sandbox.put("/_sandbox/faults", #"{}"#)
        let resumed = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(resumed.status, 0, resumed.stdout + resumed.stderr)
        XCTAssertEqual(try sandbox.users().map(\.email), ["before@example.com"])
        let again = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(again.status, 0)
        XCTAssertTrue(again.stdout.contains("nothing to roll back"), again.stdout)
    }

    /// A user that lost its login ID is left alone and journaled: the first rollback exits 1 naming
    /// it, a second one deletes nothing, lists it again and exits 0.
    func testUsersLeftAloneAreJournaledSoASecondRollbackIsANoOpThatExitsZero() throws {
        let source = dir + "/named.ndjson"
        let lines = (0..<3).map { #"{"email":"named\#($0)@example.com","preferred_username":"named\#($0)"}"# }
        _ = FileManager.default.createFile(atPath: source, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        XCTAssertEqual(try cli(["import", source, "--yes", "--journal", journal]).status, 0)
        let run = try XCTUnwrap(Journal(path: journal).runs().first?.id)
        let move = dir + "/move.json"
        _ = FileManager.default.createFile(atPath: move, contents: Data(#"{"identifier":"preferred_username","upsert":true,"records":[{"preferred_username":"named1","email":"moved1@example.com"}]}"#.utf8))
        let moved = try cli(["import", move, "--yes", "--journal", dir + "/other.sqlite"])
        XCTAssertEqual(moved.status, 0, moved.stdout + moved.stderr)

        let first = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(first.status, 1, first.stdout + first.stderr)
        XCTAssertTrue(first.stdout.contains("left alone: record 1") && first.stdout.contains("moved1@example.com"), first.stdout)
        XCTAssertTrue(first.stdout.contains("deleted 2, already gone 0, left alone 1"), first.stdout)
        XCTAssertEqual(Set(try sandbox.users().map(\.email)), ["before@example.com", "moved1@example.com"])

        let second = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(second.status, 0, second.stdout + second.stderr)
        XCTAssertTrue(second.stdout.contains("nothing to roll back") && second.stdout.contains("1 left alone by an earlier rollback"), second.stdout)
        XCTAssertTrue(second.stdout.contains("left alone (earlier rollback): record 1"), second.stdout)
        XCTAssertEqual(Set(try sandbox.users().map(\.email)), ["before@example.com", "moved1@example.com"])
    }

    func testExportFaultsDisabledQuotaAndAProtectedTarget() throws {
        let run = try importUsers(6)
        try sandbox.put("/_sandbox/faults", #"{"exports":[{"kind":"page_edge","users":1,"page_size":4}]}"#)
        let skipped = try cli(["verify", "--journal", journal, "--json", "--lookup-limit", "0"])
        XCTAssertEqual(skipped.status, 0, skipped.stdout + skipped.stderr)
        XCTAssertGreaterThanOrEqual(try summary(skipped)["export_missed"] as? Int ?? 0, 1, skipped.stdout)
        XCTAssertTrue(skipped.stderr.contains("looking them up by login ID"), skipped.stderr)

        try sandbox.put("/_sandbox/faults", #"{"exports":[{"kind":"fail"}]}"#)
        let failed = try cli(["verify", "--journal", journal, "--lookup-limit", "0"])
        XCTAssertEqual(failed.status, 2, failed.stdout + failed.stderr)
        XCTAssertTrue(failed.stderr.contains("failed on the server"), failed.stderr)
        try sandbox.put("/_sandbox/faults", #"{}"#)

        try sandbox.put("/_sandbox/project", #"{"user_export_enabled": false}"#)
        let disabled = try cli(["verify", "--journal", journal, "--json", "--lookup-limit", "0"])
        XCTAssertEqual(disabled.status, 0, disabled.stdout + disabled.stderr)
        XCTAssertTrue(disabled.stderr.contains("UserExportDisabled"), disabled.stderr)
        XCTAssertEqual(try summary(disabled)["method"] as? String, "lookups")

        try sandbox.put("/_sandbox/project", #"{"user_export_enabled": true, "usage_limits": {"user_export": [{"quota": 0}]}}"#)
        let quota = try cli(["verify", "--journal", journal, "--lookup-limit", "0"])
        XCTAssertEqual(quota.status, 2, quota.stdout + quota.stderr)
        XCTAssertTrue(quota.stderr.contains("user-export quota"), quota.stderr)

        try FileManager.default.createDirectory(atPath: dir + "/config/authgear-migrate", withIntermediateDirectories: true)
        let profiles = #"{"profiles":{"staging":{"endpoint":"\#(sandbox.endpoint)","project_id":"myapp","protected":true}}}"#
        _ = FileManager.default.createFile(atPath: dir + "/config/authgear-migrate/profiles.json", contents: Data(profiles.utf8))
        let refused = try cli(["rollback", "--journal", journal, "--run", run, "--yes"])
        XCTAssertEqual(refused.status, 2, refused.stdout + refused.stderr)
        XCTAssertTrue(refused.stderr.contains("protected"), refused.stderr)
        XCTAssertEqual(try sandbox.users().count, 7, "nothing deleted on a protected target")
    }
}

private extension URL {
    func creating() -> URL {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        return self
    }
}
