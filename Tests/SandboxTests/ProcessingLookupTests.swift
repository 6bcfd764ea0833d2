import XCTest
import MigrationCore
@testable import Sandbox

final class ProcessingLookupTests: XCTestCase {
    func testSameIdentifierTwiceSkipsWithoutUpsert() {
        var store = UserStore()
        let d = ProcessingFixture.run([#"{"email": "a@example.com", "name": "A"}"#, #"{"email": "a@example.com", "name": "B", "roles": ["nope"]}"#], store: &store)
        XCTAssertEqual(d.map(\.outcome), ["inserted", "skipped"])
        XCTAssertEqual(d[1].userID, d[0].userID)
        XCTAssertEqual(d[1].warnings, ["skipping because upsert = false and user exists"])
        XCTAssertEqual(ProcessingFixture.go(d[1].json), #"{"index":1,"outcome":"skipped","record":{"email":"a@example.com","name":"B","roles":["nope"]},"user_id":"\#(d[0].userID!)","warnings":[{"message":"skipping because upsert = false and user exists"}]}"#)
        XCTAssertEqual(ProcessingFixture.users(store)[0]["standard_attributes"]!["name"], .string("A"))
    }

    func testSameIdentifierTwiceUpdatesWithUpsert() {
        var store = UserStore()
        let d = ProcessingFixture.run([#"{"email": "a@example.com", "name": "A"}"#, #"{"email": "a@example.com", "name": "B"}"#], upsert: true, store: &store)
        XCTAssertEqual(d.map(\.outcome), ["inserted", "updated"])
        XCTAssertEqual(d[1].userID, d[0].userID)
        XCTAssertEqual(ProcessingFixture.users(store)[0]["standard_attributes"]!["name"], .string("B"))
    }

    func testSameOtherLoginIDIsDuplicated() {
        var store = UserStore()
        let d = ProcessingFixture.run([#"{"preferred_username": "u1", "email": "same@example.com"}"#, #"{"preferred_username": "u2", "email": "same@example.com"}"#],
                      identifier: "preferred_username", store: &store)
        XCTAssertEqual(d.map(\.outcome), ["inserted", "failed"])
        XCTAssertEqual(ProcessingFixture.text(d[1].errors[0]["info"]), #"{"IdentityTypeExisting":"login_id","IdentityTypeIncoming":"login_id","LoginIDTypeExisting":"email","LoginIDTypeIncoming":"email","cause":{"kind":"DuplicatedIdentity"}}"#)
        XCTAssertEqual(store.count, 1)
    }

    func testLookupAsymmetry() {
        var store = UserStore()
        let d = ProcessingFixture.run([#"{"email": "alice@example.com"}"#, #"{"email": "Alice@Example.com"}"#], upsert: true, store: &store)
        XCTAssertEqual(d.map(\.outcome), ["inserted", "failed"])
        XCTAssertEqual(d[1].errors[0]["reason"], .string("InvariantViolated"))
        XCTAssertEqual(d[1].errors[0]["info"]!["cause"]!["kind"], .string("DuplicatedIdentity"))
        let phone = ProcessingFixture.run([#"{"phone_number": "+85298765432"}"#, #"{"phone_number": "+85298765432"}"#], identifier: "phone_number", store: &store)
        XCTAssertEqual(phone.map(\.outcome), ["inserted", "skipped"])
    }

    func testOAuthClaimMatchAndTwoMatches() {
        var store = UserStore()
        let refs = ProcessingFixture.seed(#"{"users": [{"ref": "G", "identities": [{"type": "oauth", "provider": "google", "claims": {"email": "g@example.com"}}]},"#
                          + #" {"ref": "U1", "identities": [{"type": "login_id", "key": "email", "value": "two@example.com"},"#
                          + #" {"type": "oauth", "provider": "google", "subject": "g-123", "claims": {"email": "two@example.com"}}]}]}"#, into: &store)
        let skip = ProcessingFixture.one(#"{"email": "g@example.com"}"#, store: &store)
        XCTAssertEqual(skip.outcome, "skipped")
        XCTAssertEqual(skip.userID, refs["G"])
        let two = ProcessingFixture.one(#"{"email": "two@example.com", "name": "x"}"#, upsert: true, store: &store)
        XCTAssertEqual(ProcessingFixture.text(two.errors[0]), #"{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500}"#)
        XCTAssertEqual(two.warnings, [])
        // Another user's login ID colliding with the OAuth claim of G.
        let dup = ProcessingFixture.one(#"{"preferred_username": "gg", "email": "g@example.com"}"#, identifier: "preferred_username", store: &store)
        XCTAssertEqual(ProcessingFixture.text(dup.errors[0]["info"]), #"{"IdentityTypeExisting":"oauth","IdentityTypeIncoming":"login_id","LoginIDTypeIncoming":"email","OAuthProviderTypeExisting":"google","cause":{"kind":"DuplicatedIdentity"}}"#)
    }

    func testUnknownIdentifierIsUnexpected() {
        var store = UserStore()
        XCTAssertEqual(ProcessingFixture.one(#"{"email": "a@example.com"}"#, identifier: "nope", store: &store).errors[0]["reason"], .string("UnexpectedError"))
    }
}
