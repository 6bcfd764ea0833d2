import XCTest
import MigrationCore
@testable import Sandbox

final class ProcessingSeedTests: XCTestCase {
    func testSeedIssueExampleAndListing() {
        var store = UserStore()
        let refs = ProcessingFixture.seed(#"{"users": [{"ref": "U1", "identities": [{"type": "login_id", "key": "email", "value": "Alice@Example.com"},"#
            + #" {"type": "oauth", "provider": "google", "subject": "g-123", "claims": {"email": "alice@example.com"}}],"#
            + #" "verified_claims": [{"name": "email", "value": "alice@example.com"}], "custom_attributes": {"age": 30}, "roles": ["role_a"], "groups": ["group_a"],"#
            + #" "account_status": {"disabled": false, "account_valid_from": null, "account_valid_until": null},"#
            + #" "authenticators": [{"kind": "primary", "type": "password", "password_hash": "\#(ProcessingFixture.hash)", "expire_after": null},"#
            + #" {"kind": "secondary", "type": "password"}, {"kind": "secondary", "type": "totp", "secret": "JBSWY3DPEHPK3PXP", "display_name": "Imported"},"#
            + #" {"kind": "secondary", "type": "oob_otp_email", "target": "alice@example.com"}, {"kind": "secondary", "type": "oob_otp_sms", "target": "+85298765432"}]},"#
            + #" {"ref": "U2", "standard_attributes": {"name": "Bob"}}]}"#, into: &store)
        XCTAssertEqual(Set(refs.keys), ["U1", "U2"])
        let users = ProcessingFixture.users(store)
        XCTAssertEqual(users[0]["id"], .string(refs["U1"]!))
        XCTAssertEqual(users[0]["ref"], .string("U1"))
        XCTAssertEqual(users[0]["identities"]!.arrayValue![0]["value"], .string("alice@example.com"))
        XCTAssertEqual(ProcessingFixture.text(users[0]["standard_attributes"]), #"{"email":"alice@example.com"}"#)
        XCTAssertEqual(ProcessingFixture.text(users[1]["standard_attributes"]), #"{"name":"Bob"}"#)
        let text = ProcessingFixture.text(store.listJSON(now: ProcessingFixture.now))
        XCTAssertFalse(text.contains("$2a$"))
        XCTAssertFalse(text.contains("JBSWY3DP"))
        XCTAssertFalse(text.contains("password_hash"))
        XCTAssertFalse(text.contains("secret"))
        XCTAssertEqual(users[0]["authenticators"]!.arrayValue!.count, 5)
        XCTAssertEqual(users[0]["is_disabled"], .bool(false))
        // Imported users are listed after seeded ones with ref null.
        XCTAssertEqual(ProcessingFixture.one(#"{"email": "new@example.com"}"#, store: &store).outcome, "inserted")
        XCTAssertEqual(ProcessingFixture.users(store)[2]["ref"], .null)
        // The seeded email is found by the import lookup (stored normalised).
        XCTAssertEqual(ProcessingFixture.one(#"{"email": "alice@example.com"}"#, store: &store).outcome, "failed", "two identities carry the claim")
    }

    func testSeedErrorsHaveExactPathsAndAreAtomic() {
        var store = UserStore()
        func fails(_ body: String, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try store.seed(ProcessingFixture.json(body), project: .default, now: ProcessingFixture.now), file: file, line: line) { error in
                XCTAssertEqual((error as? ControlError)?.path, path, "\(error)", file: file, line: line)
            }
        }
        fails(#"{"users": [{"ref": "A"}, {"identities": []}]}"#, "/users/1")
        fails(#"{"users": [{"ref": "A"}, {"ref": "A"}]}"#, "/users/1/ref")
        fails(#"{"users": [{"ref": "A", "identities": [{"type": "login_id", "key": "email", "value": "a@example.com"}, {"type": "login_id", "key": "nokey", "value": "x"}]}]}"#, "/users/0/identities/1/key")
        fails(#"{"users": [{"ref": "A", "identities": [{"type": "login_id", "key": "username", "value": "admin"}]}]}"#, "/users/0/identities/0/value")
        fails(#"{"users": [{"ref": "A", "identities": [{"type": "login_id", "key": "email", "value": "a@example.com"}]}, {"ref": "B", "identities": [{"type": "login_id", "key": "email", "value": "A@example.com"}]}]}"#, "/users/1/identities/0/value")
        fails(#"{"users": [{"ref": "A", "roles": ["role_x"]}]}"#, "/users/0/roles/0")
        fails(#"{"users": [{"ref": "A", "groups": ["group_a", "group_z"]}]}"#, "/users/0/groups/1")
        fails(#"{"users": [{"ref": "A", "custom_attributes": {"nope": 1}}]}"#, "/users/0/custom_attributes/nope")
        fails(#"{"users": [{"ref": "A", "custom_attributes": {"age": -1}}]}"#, "/users/0/custom_attributes/age")
        fails(#"{"users": [{"ref": "A", "authenticators": [{"kind": "primary", "type": "totp"}]}]}"#, "/users/0/authenticators/0/kind")
        fails(#"{"users": [{"ref": "A", "authenticators": [{"kind": "secondary", "type": "password", "password_hash": "x"}]}]}"#, "/users/0/authenticators/0/password_hash")
        fails(#"{"users": [{"ref": "A", "account_status": {"account_valid_from": "2030-01-01T00:00:00Z", "account_valid_until": "2020-01-01T00:00:00Z"}}]}"#, "/users/0/account_status/account_valid_until")
        fails(#"{"users": [{"ref": "A", "identities": [{"type": "oauth", "provider": "google", "subject": "s"}]}, {"ref": "B", "identities": [{"type": "oauth", "provider": "google", "subject": "s"}]}]}"#, "/users/1/identities/0/subject")
        fails(#"{"users": [{"ref": "A", "extra": 1}]}"#, "/users/0/extra")
        XCTAssertEqual(store.count, 0)
    }

    func testProjectDefaultsAndParsing() throws {
        XCTAssertEqual(try SandboxProject(json: ProcessingFixture.json("{}")), SandboxProject.default)
        XCTAssertEqual(SandboxProject.default.projectID, "myapp")
        let p = try SandboxProject(json: ProcessingFixture.json(#"{"project_id": "p2", "login_id_keys": [{"key": "work_email", "type": "email"}, {"type": "username", "max_length": 10}],"#
            + #" "login_id_types": {"username": {"case_sensitive": true}}, "phone_input": {"validation_method": "isPossibleNumber", "allowlist": ["HK"]},"#
            + #" "custom_attributes": [{"name": "score", "type": "number", "minimum": 0.5}], "usage_limits": {"user_import": [{"quota": 10, "period": "month", "action": "alert"}]},"#
            + #" "admin_keys": [{"kid": "k1", "public_key_pem": "-----BEGIN PUBLIC KEY-----\nAA\n-----END PUBLIC KEY-----\n"}]}"#))
        XCTAssertEqual(p.config.loginIDKeys, [LoginIDKey(key: "username", type: .username, maxLength: 10)])
        XCTAssertEqual(p.loginIDKeys.count, 2)
        XCTAssertTrue(p.config.username.caseSensitive)
        XCTAssertTrue(p.config.username.asciiOnly)
        XCTAssertEqual(p.usageLimits, [UsageLimit(quota: 10, period: .month, action: .alert)])
        XCTAssertEqual(p.adminKeys.map(\.kid), ["k1"])
        XCTAssertEqual(try SandboxProject(json: p.json), p)
        XCTAssertEqual(ProcessingFixture.text(p.json["custom_attributes"]), #"[{"name":"score","type":"number","minimum":0.5}]"#)
        func fails(_ body: String, _ path: String, file: StaticString = #filePath, line: UInt = #line) {
            XCTAssertThrowsError(try SandboxProject(json: ProcessingFixture.json(body)), file: file, line: line) { error in
                XCTAssertEqual((error as? ControlError)?.path, path, "\(error)", file: file, line: line)
            }
        }
        fails(#"{"login_id_keys": [{"type": "fax"}]}"#, "/login_id_keys/0/type")
        fails(#"{"login_id_keys": [{"type": "email"}, {"type": "email"}]}"#, "/login_id_keys/1")
        fails(#"{"login_id_types": {"email": {"case_sensitive": 1}}}"#, "/login_id_types/email/case_sensitive")
        fails(#"{"phone_input": {"allowlist": ["HK", "ZZZ"]}}"#, "/phone_input/allowlist/1")
        fails(#"{"custom_attributes": [{"name": "t", "type": "enum"}]}"#, "/custom_attributes/0")
        fails(#"{"usage_limits": {"user_import": [{"quota": 1, "period": "year"}]}}"#, "/usage_limits/user_import/0/period")
        fails(#"{"roles": ["a", "a"]}"#, "/roles/1")
        fails(#"{"admin_keys": [{"kid": "k"}]}"#, "/admin_keys/0")
        fails(#"{"bogus": 1}"#, "/bogus")
    }

    func testNumberTextLikeGo() {
        let cases = ["1.0": "1", "1e3": "1000", "-0": "-0", "0.000001": "0.000001", "1e-7": "1e-7", "123456789012345678901": "123456789012345680000",
                     "1e21": "1e+21", "2.5E-10": "2.5e-10", "0.1": "0.1", "9007199254740993": "9007199254740992", "-12.50": "-12.5", "1e400": "1e400"]
        for (input, expected) in cases { XCTAssertEqual(SandboxNumbers.normalize(input), expected, input) }
    }
}
