import XCTest
import MigrationCore
@testable import Sandbox

final class ProcessingInsertTests: XCTestCase {
    func testInsertWarningsInOrder() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"preferred_username": "alice01", "email": null, "phone_number": null, "email_verified": false,"#
                      + #" "phone_number_verified": false, "disabled": false, "mfa": {"email": null, "phone_number": null}}"#,
                      identifier: "preferred_username", store: &store)
        XCTAssertEqual(d.outcome, "inserted")
        XCTAssertEqual(d.warnings, [
            "email = null has no effect in insert.", "phone_number = null has no effect in insert.",
            "email_verified = false has no effect in insert.", "phone_number_verified = false has no effect in insert.",
            "disabled = false has no effect in insert.", "mfa.email = null has no effect in insert.",
            "mfa.phone_number = null has no effect in insert.",
        ])
        let d2 = ProcessingFixture.one(#"{"email": "bob@example.com", "preferred_username": null, "email_verified": true, "phone_number_verified": true}"#, store: &store)
        XCTAssertEqual(d2.warnings, ["preferred_username = null has no effect in insert.",
                                     "phone_number_verified = true has no effect when phone_number is absent."])
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[1]["verified_claims"]), #"[{"name":"email","value":"bob@example.com"}]"#)
    }

    func testNotAllowedLoginIDWarnings() throws {
        let project = try SandboxProject(json: ProcessingFixture.json(#"{"login_id_keys": [{"type": "username"}]}"#))
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "a@example.com", "phone_number": "+85298765432", "email_verified": true}"#, project: project, store: &store)
        XCTAssertEqual(d.outcome, "inserted")
        XCTAssertEqual(d.warnings, ["email is ignored because it is not an allowed login ID.",
                                    "phone_number is ignored because it is not an allowed login ID.",
                                    "email_verified = true has no effect when email is absent."])
        let d3 = ProcessingFixture.one(#"{"preferred_username": "a1", "email": "a@example.com"}"#, identifier: "preferred_username", project: project, store: &store)
        XCTAssertEqual(d3.warnings, ["email is ignored because it is not an allowed login ID."])
        // Identity-less user: importing the same record again inserts another user.
        XCTAssertEqual(ProcessingFixture.one(#"{"email": "a@example.com"}"#, project: project, store: &store).outcome, "inserted")
        XCTAssertEqual(store.count, 3)
        // A key named differently from its type does not count for import.
        let renamed = try SandboxProject(json: ProcessingFixture.json(#"{"login_id_keys": [{"key": "work_email", "type": "email"}]}"#))
        XCTAssertEqual(ProcessingFixture.one(#"{"email": "x@example.com"}"#, project: renamed, store: &store).warnings,
                       ["email is ignored because it is not an allowed login ID."])
    }

    func testSchemaFailureKeepsEchoAndNoWarnings() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "", "name": "", "disabled": false, "password": {"type": "md5", "password_hash": "x", "zz": 1}}"#, store: &store)
        XCTAssertEqual(d.outcome, "failed")
        XCTAssertNil(d.userID)
        XCTAssertEqual(d.warnings, [])
        XCTAssertEqual(ProcessingFixture.text(d.errors[0]), #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid value","code":400,"info":{"causes":["#
            + #"{"location":"/email","kind":"format","details":{"error":"invalid email address: mail: no address","format":"email"}},"#
            + #"{"location":"/name","kind":"minLength","details":{"actual":0,"expected":1}},"#
            + #"{"location":"/password/type","kind":"enum","details":{"actual":"md5","expected":["bcrypt"]}},"#
            + #"{"location":"/password/zz","kind":""}]}}"#)
        XCTAssertEqual(ProcessingFixture.go(d.record), #"{"disabled":false,"email":"","name":"","password":{"password_hash":"REDACTED","type":"md5","zz":1}}"#)
        XCTAssertEqual(store.count, 0)
        let missing = ProcessingFixture.one(#"{"name": "x"}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(missing.errors[0]["info"]), #"{"causes":[{"location":"","kind":"required","details":{"actual":["name"],"expected":["email"],"missing":["email"]}}]}"#)
        let notObject = ProcessingFixture.one(#"[1]"#, store: &store)
        XCTAssertNil(notObject.record)
        XCTAssertEqual(ProcessingFixture.text(notObject.errors[0]["info"]), #"{"causes":[{"location":"","kind":"type","details":{"actual":["array"],"expected":["object"]}}]}"#)
    }

    func testEchoRedactionAndNumbers() {
        var store = UserStore()
        func echo(_ r: String) -> String { ProcessingFixture.go(ProcessingFixture.one(r, store: &store).record) }
        XCTAssertEqual(echo(#"{"email": "e1@example.com", "password": {"type": "bcrypt"}}"#),
                       #"{"email":"e1@example.com","password":{"password_hash":"REDACTED","type":"bcrypt"}}"#)
        XCTAssertEqual(echo(#"{"email": "e2@example.com", "password": "secret", "mfa": {"totp": {}, "password": 5, "email": "m@x.com"}}"#),
                       #"{"email":"e2@example.com","mfa":{"email":"m@x.com","password":"REDACTED","totp":{"secret":"REDACTED"}},"password":"REDACTED"}"#)
        XCTAssertEqual(echo(#"{"email": "e3@example.com", "password": null, "mfa": [1]}"#), #"{"email":"e3@example.com","mfa":"REDACTED","password":null}"#)
        XCTAssertEqual(echo(#"{"email": "e4@example.com", "mfa": {"totp": "x", "password": null}}"#), #"{"email":"e4@example.com","mfa":{"password":null,"totp":"REDACTED"}}"#)
        XCTAssertEqual(echo(#"{"name": "<A&B>", "email": "e5@example.com", "custom_attributes": {"age": 1.0, "n": 1e3, "f": 1.50, "s": 1e-7, "b": 1e21}}"#),
                       #"{"custom_attributes":{"age":1,"b":1e+21,"f":1.5,"n":1000,"s":1e-7},"email":"e5@example.com","name":"\u003cA\u0026B\u003e"}"#)
        XCTAssertEqual(echo(#"{"email": "e6@example.com", "email": "e7@example.com"}"#), #"{"email":"e7@example.com"}"#)
        XCTAssertNil(ProcessingFixture.one("{}", store: &store).record)
    }

    func testLoginIDValidationErrors() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "a@example.com", "preferred_username": "admin", "disabled": false}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(d.errors[0]), #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid login ID","code":400,"info":{"causes":[{"location":"/login_id","kind":"blocked","details":{"reason":"UsernameReserved"}}]}}"#)
        XCTAssertEqual(d.warnings, [])
        let long = ProcessingFixture.one(#"{"preferred_username": "\#(String(repeating: "a", count: 41))"}"#, identifier: "preferred_username", store: &store)
        XCTAssertEqual(ProcessingFixture.text(long.errors[0]["info"]), #"{"causes":[{"location":"/login_id","kind":"maxLength","details":{"actual":41,"expected":40}}]}"#)
        XCTAssertEqual(store.count, 0)
    }

    func testNormalisationAndStoredAttributes() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": " lowerUPPER@CA.se ", "email_verified": true, "name": "N", "address": {"country": "HK", "extra": 1.0}, "given_name": null}"#, store: &store)
        XCTAssertEqual(d.outcome, "inserted")
        let u = ProcessingFixture.users(store)[0]
        XCTAssertEqual(ProcessingFixture.text(u["standard_attributes"]), #"{"address":{"country":"HK","extra":1},"email":"lowerupper@ca.se","name":"N"}"#)
        XCTAssertEqual(ProcessingFixture.text(u["verified_claims"]), #"[{"name":"email","value":"lowerupper@ca.se"}]"#)
        XCTAssertEqual(ProcessingFixture.go(d.record), #"{"address":{"country":"HK","extra":1},"email":" lowerUPPER@CA.se ","email_verified":true,"given_name":null,"name":"N"}"#)
    }

    func testCustomAttributes() {
        var store = UserStore()
        let ok = ProcessingFixture.one(#"{"email": "c1@example.com", "custom_attributes": {"age": 30, "tier": "gold", "unknown": true, "member_id": null}}"#, store: &store)
        XCTAssertEqual(ok.outcome, "inserted")
        XCTAssertEqual(ok.warnings, [])
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[0]["custom_attributes"]), #"{"age":30,"tier":"gold"}"#)
        let bad = ProcessingFixture.one(#"{"email": "c2@example.com", "email": "c2@example.com", "custom_attributes": {"tier": "bronze", "age": "x"}}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(bad.errors[0]), #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid value","code":400,"info":{"causes":["#
            + #"{"location":"/age","kind":"type","details":{"actual":["string"],"expected":["integer"]}},"#
            + #"{"location":"/tier","kind":"enum","details":{"actual":"bronze","expected":["gold","silver"]}}]}}"#)
        XCTAssertEqual(store.count, 1)
    }

    func testRolesGroupsAndWarningsKeptOnFailure() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "r@example.com", "phone_number": null, "roles": ["role_a", "nope", "nope2"]}"#, store: &store)
        XCTAssertEqual(d.warnings, ["phone_number = null has no effect in insert."])
        XCTAssertEqual(ProcessingFixture.text(d.errors[0]), #"{"name":"NotFound","reason":"RoleUnknownKeys","message":"unknown role keys","code":404,"info":{"keys":["nope","nope2"]}}"#)
        let g = ProcessingFixture.one(#"{"email": "r@example.com", "roles": ["role_b"], "groups": ["group_x"]}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(g.errors[0]), #"{"name":"NotFound","reason":"GroupUnknownKeys","message":"unknown group keys","code":404,"info":{"keys":["group_x"]}}"#)
        XCTAssertEqual(store.count, 0)
        XCTAssertEqual(ProcessingFixture.one(#"{"email": "r@example.com", "roles": ["role_b", "role_a"], "groups": []}"#, store: &store).outcome, "inserted")
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[0]["roles"]), #"["role_b","role_a"]"#)
    }

    func testAuthenticatorsAndSecretErrors() {
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "m@example.com", "password": {"type": "bcrypt", "password_hash": "\#(ProcessingFixture.hash)", "expire_after": "2030-01-01T08:00:00+08:00"},"#
                      + #" "mfa": {"password": {"type": "bcrypt", "password_hash": "\#(ProcessingFixture.hash)"}, "email": "m@example.com", "phone_number": "+85298765432", "totp": {"secret": "JBSWY3DPEHPK3PXP"}}}"#, store: &store)
        XCTAssertEqual(d.outcome, "inserted")
        let listing = ProcessingFixture.text(ProcessingFixture.users(store)[0]["authenticators"])
        XCTAssertFalse(listing.contains("$2a$"))
        XCTAssertFalse(listing.contains("JBSWY3DP"))
        XCTAssertTrue(listing.contains(#""kind":"primary","type":"password","expire_after":"2030-01-01T00:00:00Z""#), listing)
        XCTAssertTrue(listing.contains(#""type":"totp","display_name":"Imported""#))
        XCTAssertTrue(listing.contains(#""type":"oob_otp_sms","target":"+85298765432""#))
        let noID = ProcessingFixture.one(#"{"email": "n@example.com", "password": {"type": "bcrypt", "password_hash": "2a10abc"}}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(noID.errors[0]), #"{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500}"#)
        let short = ProcessingFixture.one(#"{"email": "n@example.com", "password": {"type": "bcrypt", "password_hash": "$2a$10$abc"}}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(short.errors[0]), #"{"name":"Invalid","reason":"InvalidBcryptHash","message":"crypto/bcrypt: hashedSecret too short to be a bcrypted password","code":400}"#)
        let totp = ProcessingFixture.one(#"{"email": "n@example.com", "mfa": {"totp": {"secret": "secret"}}}"#, store: &store)
        XCTAssertEqual(ProcessingFixture.text(totp.errors[0]), #"{"name":"Invalid","reason":"InvalidTOTPSecret","message":"illegal base32 data at input byte 0","code":400}"#)
        XCTAssertEqual(store.count, 1)
    }

    func testMFAPhoneOutsideAllowlist() throws {
        let project = try SandboxProject(json: ProcessingFixture.json(#"{"phone_input": {"allowlist": ["GB"]}}"#))
        var store = UserStore()
        let d = ProcessingFixture.one(#"{"email": "p@example.com", "mfa": {"phone_number": "+85298765432"}}"#, project: project, store: &store)
        XCTAssertEqual(ProcessingFixture.text(d.errors[0]), #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid target","code":400,"info":{"causes":[{"location":"","kind":"blocked","details":{"reason":"PhoneNumberCountryCodeAllowlist"}}]}}"#)
    }

    func testValidPeriodCompletedExample() {
        var store = UserStore()
        let details = ProcessingFixture.run([#"{"preferred_username": "testuser01", "disabled": true}"#,
                             #"{"preferred_username": "testuser02", "account_valid_from": "2099-01-01T00:00:00Z", "account_valid_until": "2025-01-01T00:00:00Z"}"#],
                            identifier: "preferred_username", store: &store)
        XCTAssertEqual(ProcessingFixture.go(details[0].json), #"{"index":0,"outcome":"inserted","record":{"disabled":true,"preferred_username":"testuser01"},"user_id":"\#(details[0].userID!)"}"#)
        XCTAssertEqual(ProcessingFixture.text(details[1].json), #"{"index":1,"record":{"account_valid_from":"2099-01-01T00:00:00Z","account_valid_until":"2025-01-01T00:00:00Z","preferred_username":"testuser02"},"#
            + #""outcome":"failed","errors":[{"name":"Invalid","reason":"InvalidAccountStatusTransition","#
            + #""message":"the start timestamp of account valid period must be less than the end timestamp of the account valid period","#
            + #""code":400,"info":{"cause":{"kind":"AccountValidFromShouldBeBeforeAccountValidUntil"}}}]}"#)
        XCTAssertEqual(store.count, 1)
        XCTAssertEqual(ProcessingFixture.users(store)[0]["is_disabled"], .bool(true))
        XCTAssertEqual(ProcessingFixture.one(#"{"preferred_username": "until2025", "account_valid_until": "2025-01-01T00:00:00Z"}"#, identifier: "preferred_username", store: &store).outcome, "inserted")
        XCTAssertEqual(ProcessingFixture.users(store)[1]["is_disabled"], .bool(true))
        XCTAssertEqual(ProcessingFixture.text(ProcessingFixture.users(store)[1]["account_status"]), #"{"disabled":false,"account_valid_from":null,"account_valid_until":"2025-01-01T00:00:00Z"}"#)
    }
}
