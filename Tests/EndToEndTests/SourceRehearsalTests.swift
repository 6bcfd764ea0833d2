import Foundation
import TestSupport
import XCTest

/// Whole rehearsals from other systems' exports with the real binary into a real
/// `authgear-migrate sandbox`: `validate` names the format and what cannot be imported, then
/// `import` sends what can be; users whose hash cannot be imported arrive without a password.
final class SourceRehearsalTests: XCTestCase {
    static let hash = "$2b$10$" + String(repeating: "N", count: 53)

    private struct Rehearsal {
        let dir: String
        let stateDir: String
        let sandbox: SandboxProcess
        var env: [String: String] { CLIProcess.environment(sandbox.env, stateDir: stateDir) }

        func write(_ name: String, _ text: String) -> String {
            let path = dir + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
            return path
        }
        func run(_ args: [String]) throws -> CLIProcess.Output { try CLIProcess.run(args, env: env, in: dir) }

        /// email → kinds of the user's authenticators (`password`, …), from the sandbox's listing.
        func authenticators() throws -> [String: [String]] {
            let doc = try XCTUnwrap(sandbox.get("/_sandbox/users") as? [String: Any])
            var out: [String: [String]] = [:]
            for user in doc["users"] as? [[String: Any]] ?? [] {
                let email = (user["identities"] as? [[String: Any]] ?? []).first { $0["key"] as? String == "email" }?["value"] as? String ?? ""
                out[email] = (user["authenticators"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
            }
            return out
        }
    }

    private func rehearsal() throws -> Rehearsal {
        let dir = makeTempDirectory(prefix: "rehearsal").path
        let stateDir = dir + "/state"
        try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true)
        return Rehearsal(dir: dir, stateDir: stateDir, sandbox: try SandboxProcess(dir: dir + "/sandbox", stateDir: stateDir))
    }

    private func summary(_ stdout: String) throws -> [String: Any] {
        let last = try XCTUnwrap(stdout.split(separator: "\n").last.map(String.init))
        return try XCTUnwrap((JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any])?["summary"] as? [String: Any], last)
    }

    func testAuth0ExportWithItsPasswordHashFile() throws {
        let r = try rehearsal()
        defer { r.sandbox.stop() }
        let profiles = r.write("users.json", """
            {"user_id":"auth0|a1","email":"Ana@Example.com","email_verified":true,"name":"Ana","identities":[{"provider":"auth0","isSocial":false}],"created_at":"2023-01-01T00:00:00Z"}
            {"user_id":"auth0|legacy-2","email":"ben@example.com","identities":[{"provider":"auth0","isSocial":false}],"created_at":"2023-01-01T00:00:00Z"}
            {"user_id":"google-oauth2|3","email":"cy@example.com","email_verified":true,"identities":[{"provider":"google-oauth2","isSocial":true}],"created_at":"2023-01-01T00:00:00Z"}

            """)
        let hashes = r.write("hashes.json", """
            {"_id":{"$oid":"a1"},"email":"ana@example.com","passwordHash":"$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA","tenant":"t","connection":"db"}
            {"_id":{"$oid":"b2"},"alt_id":"legacy-2","email":"ben@example.com","passwordHash":"\(Self.hash)","tenant":"t","connection":"db"}

            """)
        let validate = try r.run(["validate", profiles, "--passwords", hashes, "--json"])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        let s = try summary(validate.stdout)
        XCTAssertEqual(s["format"] as? String, "auth0")
        XCTAssertEqual(s["records"] as? Int, 3)
        XCTAssertEqual(s["without_password"] as? Int, 1)
        let dropped = try XCTUnwrap(s["not_imported"] as? [String: Int])
        XCTAssertEqual(dropped["OAuth/social identities (the user signs in with the provider again)"], 1)
        XCTAssertEqual(dropped["original timestamps (created_at, updated_at, last_login)"], 3)
        XCTAssertTrue(validate.stdout.contains(#""rule":"password.not_importable""#), validate.stdout)
        XCTAssertFalse(validate.stdout.contains(Self.hash) || validate.stderr.contains(Self.hash), "no hash in the output")

        let human = try r.run(["validate", profiles, "--passwords", hashes])
        XCTAssertTrue(human.stdout.contains("3 records (auth0 export, mapping \"auth0\")"), human.stdout)
        XCTAssertTrue(human.stdout.contains("1 user will have no password"), human.stdout)

        // A canary of one (no terminal, no --yes: only the canary goes), then `resume` sends the rest:
        // the run remembers the password-hash file, so the resumed batch carries ben's hash again.
        let journal = r.dir + "/journal.sqlite"
        let imported = try r.run(["import", profiles, "--passwords", hashes, "--canary", "1", "--journal", journal])
        XCTAssertEqual(imported.status, 1, "a canary stop: " + imported.stderr)
        XCTAssertTrue(imported.stderr.contains("1 user will have no password") || imported.stdout.contains("1 user will have no password"),
                      imported.stderr + imported.stdout)
        XCTAssertEqual(try r.authenticators().count, 1, "only the canary was sent")
        let resumed = try r.run(["resume", "--journal", journal])
        XCTAssertEqual(resumed.status, 0, resumed.stderr + resumed.stdout)
        let users = try r.authenticators()
        XCTAssertEqual(Set(users.keys), ["ana@example.com", "ben@example.com", "cy@example.com"])
        XCTAssertEqual(users["ben@example.com"], ["password"], "the bcrypt hash joined by alt_id arrived, after a resume")
        XCTAssertEqual(users["ana@example.com"], [], "an Argon2 hash is not sent")
        XCTAssertEqual(users["cy@example.com"], [])
        // The report carries Auth0's own user id (the preset's key) as the legacy id.
        let report = try r.run(["report", "--journal", journal])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stdout.contains("auth0|legacy-2"), report.stdout)
        XCTAssertTrue(report.stdout.contains("google-oauth2|3"), report.stdout)
        XCTAssertFalse(report.stdout.contains(Self.hash), "no hash in the report")
    }

    func testFirebaseAuthExport() throws {
        let r = try rehearsal()
        defer { r.sandbox.stop() }
        var users: [String] = []
        for i in 0..<25 {
            users.append("""
                {
                  "localId": "uid\(i)",
                  "email": "user\(i)@example.com",
                  "emailVerified": \(i % 2 == 0),
                  \(i < 10 ? "\"passwordHash\": \"c2NyeXB0\(i)==\",\n      \"salt\": \"c2FsdA==\"," : "")
                  "displayName": "User \(i)",
                  "createdAt": "1700000000000",
                  "providerUserInfo": [\(i == 3 ? #"{"providerId": "google.com", "rawId": "9"}"# : "")]
                }
                """)
        }
        let export = r.write("firebase.json", "{\"users\": [\n" + users.joined(separator: ",\n") + "]}")
        let validate = try r.run(["validate", export, "--json"])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        let s = try summary(validate.stdout)
        XCTAssertEqual(s["format"] as? String, "firebase")
        XCTAssertEqual(s["records"] as? Int, 25, "one record per user, not per line")
        XCTAssertEqual(s["without_password"] as? Int, 10)
        XCTAssertEqual((s["not_imported"] as? [String: Int])?["OAuth/social identities (providerUserInfo)"], 1)

        let mappingOut = r.dir + "/effective-mapping.json"
        let imported = try r.run(["import", export, "--yes", "--journal", r.dir + "/journal.sqlite", "--mapping-out", mappingOut])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let arrived = try r.authenticators()
        XCTAssertEqual(arrived.count, 25)
        XCTAssertTrue(arrived.values.allSatisfy(\.isEmpty), "Firebase scrypt hashes are never sent")
        // The effective mapping is a mapping file that reads the same export again.
        let mapping = try XCTUnwrap(FileManager.default.contents(atPath: mappingOut))
        XCTAssertTrue(String(decoding: mapping, as: UTF8.self).contains(#""key": "/localId""#))
        let again = try r.run(["validate", export, "--mapping", mappingOut, "--json"])
        XCTAssertEqual(try summary(again.stdout)["records"] as? Int, 25, again.stderr)
    }

    func testSupabaseDeletedAndAnonymousUsersAreSkippedSaidOnceAndNeverSent() throws {
        let r = try rehearsal()
        defer { r.sandbox.stop() }
        func row(_ id: Int, _ email: String, deleted: Bool = false, anonymous: Bool = false) -> String {
            #"{"instance_id":"0","id":"u-\#(id)","aud":"authenticated","email":"\#(email)","encrypted_password":"\#(Self.hash)","#
                + #""deleted_at":\#(deleted ? "\"2024-05-01 00:00:00+00\"" : "null"),"is_anonymous":\#(anonymous)}"#
        }
        let export = r.write("supabase.json", "[\n" + [row(0, "kept0@example.com"), row(1, "gone1@example.com", deleted: true),
            row(2, "anon2@example.com", anonymous: true), row(3, "gone3@example.com", deleted: true), row(4, "kept4@example.com")].joined(separator: ",\n") + "\n]\n")
        let validate = try r.run(["validate", export, "--json"])
        XCTAssertEqual(validate.status, 0, validate.stderr)
        let s = try summary(validate.stdout)
        XCTAssertEqual(s["format"] as? String, "supabase")
        XCTAssertEqual(s["records"] as? Int, 5)
        XCTAssertEqual(s["skipped"] as? Int, 3)
        XCTAssertEqual(s["skipped_by_reason"] as? [String: Int], ["deleted_at set": 2, "anonymous user": 1])
        XCTAssertTrue(validate.stdout.contains(#"{"record":1,"line":3,"skipped":"deleted_at set"}"#), validate.stdout)
        let human = try r.run(["validate", export])
        XCTAssertTrue(human.stdout.contains("3 rows skipped: deleted_at set (2), anonymous user (1)"), human.stdout)
        XCTAssertTrue(human.stdout.contains("first: record 1 (line 3), record 2 (line 4)"), human.stdout)
        XCTAssertFalse(human.stdout.contains("excluded "), "skipped rows are not counted again as excluded: " + human.stdout)

        let imported = try r.run(["import", export, "--yes", "--journal", r.dir + "/journal.sqlite"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        XCTAssertTrue((imported.stdout + imported.stderr).contains("3 rows skipped"), imported.stdout + imported.stderr)
        XCTAssertEqual(Set(try r.authenticators().keys), ["kept0@example.com", "kept4@example.com"], "skipped rows are never sent")
    }
}
