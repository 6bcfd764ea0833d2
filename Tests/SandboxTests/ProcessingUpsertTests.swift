import XCTest
import MigrationCore
@testable import Sandbox

final class ProcessingUpsertTests: XCTestCase {
    /// A store with one imported user alice (email + username + phone, password, mfa email/phone, custom attrs).
    private func aliceStore() -> (UserStore, String) {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "alice@example.com", "preferred_username": "alice", "phone_number": "+85298765432", "email_verified": true,"#
                      + #" "name": "Alice", "gender": "f", "address": {"country": "HK", "locality": "Central"}, "custom_attributes": {"age": 30, "tier": "gold"},"#
                      + #" "roles": ["role_a"], "groups": ["group_a"], "password": {"type": "bcrypt", "password_hash": "\#(ProcessingFixture.hash)"},"#
                      + #" "mfa": {"email": "alice@example.com", "phone_number": "+85298765432", "totp": {"secret": "JBSWY3DPEHPK3PXP"}}}"#, store: &store)
        XCTAssertEqual(d.outcome, "inserted")
        return (store, d.userID!)
    }

    func testAbsentFieldsLeaveUserUnchanged() {
        var (store, id) = aliceStore()
        let before = ProcessingFixture.users(store)[0]
        let d = ProcessingFixture.one(#"{"email": "alice@example.com"}"#, upsert: true, store: &store)
        XCTAssertEqual(d.outcome, "updated")
        XCTAssertEqual(d.userID, id)
        XCTAssertEqual(d.warnings, [])
        XCTAssertEqual(ProcessingFixture.users(store)[0], before)
    }

    func testValuesReplace() {
        var (store, id) = aliceStore()
        let d = ProcessingFixture.one(#"{"email": "alice@example.com", "preferred_username": "Alice2", "phone_number": "+447911123456", "name": "A2","#
                      + #" "address": {"region": "X"}, "custom_attributes": {"tier": "silver", "age": null}, "roles": ["role_b", "role_c"], "groups": [],"#
                      + #" "password": {"type": "bcrypt", "password_hash": "bad"}, "mfa": {"password": {"type": "bcrypt", "password_hash": "bad"}, "totp": {"secret": "bad"},"#
                      + #" "email": "new@example.com", "phone_number": "+85298765432"}}"#, upsert: true, store: &store)
        XCTAssertEqual(d.outcome, "updated", ProcessingFixture.text(d.json))
        XCTAssertEqual(d.warnings, [])
        XCTAssertEqual(d.userID, id)
        let u = ProcessingFixture.users(store)[0]
        XCTAssertEqual(ProcessingFixture.text(u["standard_attributes"]),
                       #"{"address":{"region":"X"},"email":"alice@example.com","gender":"f","name":"A2","phone_number":"+447911123456","preferred_username":"alice2"}"#)
        XCTAssertEqual(ProcessingFixture.text(u["custom_attributes"]), #"{"tier":"silver"}"#)
        XCTAssertEqual(ProcessingFixture.text(u["roles"]), #"["role_b","role_c"]"#)
        XCTAssertEqual(ProcessingFixture.text(u["groups"]), "[]")
        let ids = u["identities"]!.arrayValue!.map { $0["value"]!.stringValue! }
        XCTAssertEqual(ids, ["alice@example.com", "+447911123456", "alice2"])
        let auths = u["authenticators"]!.arrayValue!
        XCTAssertEqual(auths.map { $0["type"]!.stringValue! }, ["password", "oob_otp_sms", "totp", "oob_otp_email"])
        XCTAssertEqual(auths.last!["target"], .string("new@example.com"))
    }

    func testNullsRemove() {
        var (store, _) = aliceStore()
        let d = ProcessingFixture.one(#"{"email": "alice@example.com", "preferred_username": null, "name": null, "address": null,"#
                      + #" "custom_attributes": {"age": null}, "mfa": {"email": null, "phone_number": null}}"#, upsert: true, store: &store)
        XCTAssertEqual(d.outcome, "updated", ProcessingFixture.text(d.json))
        let u = ProcessingFixture.users(store)[0]
        XCTAssertEqual(u["identities"]!.arrayValue!.count, 2)
        XCTAssertEqual(ProcessingFixture.text(u["standard_attributes"]), #"{"email":"alice@example.com","gender":"f","phone_number":"+85298765432"}"#)
        XCTAssertEqual(ProcessingFixture.text(u["custom_attributes"]), #"{"tier":"gold"}"#)
        XCTAssertEqual(u["authenticators"]!.arrayValue!.map { $0["type"]!.stringValue! }, ["password", "totp"])
    }

    func testVerifiedFlags() {
        var (store, _) = aliceStore()
        let d = ProcessingFixture.one(#"{"email": "alice@example.com", "phone_number_verified": true, "email_verified": false}"#, upsert: true, store: &store)
        XCTAssertEqual(d.warnings, ["phone_number_verified has no effect when phone_number is absent."])
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[0]["verified_claims"]), "[]")
        let d2 = ProcessingFixture.one(#"{"preferred_username": "alice", "email": null, "phone_number": "+85298765432", "email_verified": true, "phone_number_verified": true}"#,
                       identifier: "preferred_username", upsert: true, store: &store)
        XCTAssertEqual(d2.outcome, "updated", ProcessingFixture.text(d2.json))
        XCTAssertEqual(d2.warnings, ["email_verified has no effect when email = null."])
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[0]["verified_claims"]), #"[{"name":"phone_number","value":"+85298765432"}]"#)
        let d3 = ProcessingFixture.one(#"{"preferred_username": "alice", "email": "Alice@Example.com", "email_verified": true}"#,
                       identifier: "preferred_username", upsert: true, store: &store)
        XCTAssertEqual(d3.warnings, [])
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[0]["verified_claims"]), #"[{"name":"phone_number","value":"+85298765432"}]"#, "no exact match: unchanged")
    }

    func testAccountStatusTransitions() {
        var (store, _) = aliceStore()
        func status(_ r: String) -> ImportDetail { ProcessingFixture.one(r, upsert: true, store: &store) }
        XCTAssertEqual(status(#"{"email": "alice@example.com", "disabled": false}"#).warnings, ["invalid account status transition: normal -> normal"])
        XCTAssertEqual(status(#"{"email": "alice@example.com", "disabled": true}"#).warnings, [])
        XCTAssertEqual(status(#"{"email": "alice@example.com", "disabled": true}"#).warnings, ["invalid account status transition: disabled -> disabled"])
        XCTAssertEqual(status(#"{"email": "alice@example.com", "disabled": false}"#).warnings, [])
        XCTAssertEqual(ProcessingFixture.users(store)[0]["is_disabled"], .bool(false))
        let d = status(#"{"email": "alice@example.com", "account_valid_until": "2026-01-01T00:00:00Z"}"#)
        XCTAssertEqual(d.outcome, "updated")
        XCTAssertEqual(status(#"{"email": "alice@example.com", "disabled": false}"#).warnings, ["invalid account status transition: outside_valid_period -> normal"])
        let bad = status(#"{"email": "alice@example.com", "disabled": false, "account_valid_from": "2026-02-01T00:00:00Z"}"#)
        XCTAssertEqual(bad.outcome, "failed")
        XCTAssertNil(bad.userID)
        XCTAssertEqual(bad.warnings, ["invalid account status transition: outside_valid_period -> normal"])
        XCTAssertEqual(bad.errors[0]["reason"], .string("InvalidAccountStatusTransition"))
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[0]["account_status"]), #"{"disabled":false,"account_valid_from":null,"account_valid_until":"2026-01-01T00:00:00Z"}"#)
    }

    func testLoginIDDeletionInvariants() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "np@example.com", "preferred_username": "nopass"}"#, store: &store)
        let identities = ProcessingFixture.users(store)[0]["identities"]!.arrayValue!
        let f = ProcessingFixture.one(#"{"email": "np@example.com", "preferred_username": null, "name": "X"}"#, upsert: true, store: &store)
        XCTAssertEqual(ProcessingFixture.text(f.errors[0]), #"{"name":"Invalid","reason":"InvariantViolated","message":"cannot remove last primary authenticator for identity","code":400,"#
            + #""info":{"cause":{"identity_id":"\#(identities[0]["id"]!.stringValue!)","kind":"RemoveLastPrimaryAuthenticator"}}}"#)
        XCTAssertNil(f.userID)
        XCTAssertEqual(ProcessingFixture.users(store)[0]["identities"]!.arrayValue!.count, 2, "rolled back")
        XCTAssertNil(ProcessingFixture.users(store)[0]["standard_attributes"]!["name"])
        _ = d
    }

    func testUpsertWithoutLoginIDKeyFails() throws {
        let project = try SandboxProject(json: ProcessingFixture.json(#"{"login_id_keys": [{"type": "email"}]}"#))
        var store = UserStore()
        _ = ProcessingFixture.one(#"{"email": "k@example.com"}"#, project: project, store: &store)
        let d = ProcessingFixture.one(#"{"email": "k@example.com", "preferred_username": "kk"}"#, upsert: true, project: project, store: &store)
        XCTAssertEqual(ProcessingFixture.text(d.errors[0]), #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid login ID","code":400,"info":{"causes":[{"location":"/login_id","kind":"general","details":{"msg":"login ID key is not allowed"}}]}}"#)
    }

    func testUpsertDuplicateOtherLoginID() {
        var store = UserStore()
        _ = ProcessingFixture.run([#"{"email": "a@example.com", "preferred_username": "usera"}"#, #"{"email": "b@example.com"}"#], store: &store)
        let d = ProcessingFixture.one(#"{"email": "b@example.com", "preferred_username": "usera", "name": "B"}"#, upsert: true, store: &store)
        XCTAssertEqual(ProcessingFixture.text(d.errors[0]), #"{"name":"Invalid","reason":"InvariantViolated","message":"identity already exists","code":400,"#
            + #""info":{"IdentityTypeExisting":"login_id","IdentityTypeIncoming":"login_id","LoginIDTypeExisting":"username","LoginIDTypeIncoming":"username","cause":{"kind":"DuplicatedIdentity"}}}"#)
    }
}
