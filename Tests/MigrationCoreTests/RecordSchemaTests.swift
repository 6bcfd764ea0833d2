import XCTest
@testable import MigrationCore

/// The per-record schema (spec §6) and its causes (spec §8), plus warnings (spec §9.1).
/// Avoids format checks, login-ID rules, password hashes and TOTP (still stand-ins).
final class RecordSchemaTests: XCTestCase {
    private func issues(_ json: String, _ identifier: ImportIdentifier = .preferredUsername, upsert: Bool = false) -> [Issue] {
        let v = try! JSONParser.parse(json)
        return RecordValidator(settings: ValidationSettings(identifier: identifier, upsert: upsert)).validate(v).issues
    }
    private func causes(_ json: String, _ identifier: ImportIdentifier = .preferredUsername) -> [String] {
        issues(json, identifier).compactMap { $0.cause.map { $0.json.jsonText } }
    }
    private func warnings(_ json: String, _ identifier: ImportIdentifier = .preferredUsername, upsert: Bool = false) -> [String] {
        issues(json, identifier, upsert: upsert).filter { $0.severity == .warning }.map(\.message)
    }

    func testRequiredDetails() {
        XCTAssertEqual(causes("{}"), [#"{"location":"","kind":"required","details":{"actual":null,"expected":["preferred_username"],"missing":["preferred_username"]}}"#])
        XCTAssertEqual(causes(#"{"name":"A","email":null}"#).first,
                       #"{"location":"","kind":"required","details":{"actual":["email","name"],"expected":["preferred_username"],"missing":["preferred_username"]}}"#)
        XCTAssertEqual(causes(#"{"preferred_username":"u","password":{"type":"bcrypt"}}"#),
                       [#"{"location":"/password","kind":"required","details":{"actual":["type"],"expected":["password_hash","type"],"missing":["password_hash"]}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","mfa":{"totp":{}}}"#),
                       [#"{"location":"/mfa/totp","kind":"required","details":{"actual":null,"expected":["secret"],"missing":["secret"]}}"#])
    }

    func testTypeDetails() {
        XCTAssertEqual(causes(#"{"preferred_username":"u","disabled":1}"#),
                       [#"{"location":"/disabled","kind":"type","details":{"actual":["integer","number"],"expected":["boolean"]}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","name":1.5}"#),
                       [#"{"location":"/name","kind":"type","details":{"actual":["number"],"expected":["null","string"]}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","email":true}"#),
                       [#"{"location":"/email","kind":"type","details":{"actual":["boolean"],"expected":["null","string"]}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":null}"#),
                       [#"{"location":"/preferred_username","kind":"type","details":{"actual":["null"],"expected":["string"]}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","custom_attributes":null,"roles":{},"address":[]}"#), [
            #"{"location":"/address","kind":"type","details":{"actual":["array"],"expected":["null","object"]}}"#,
            #"{"location":"/custom_attributes","kind":"type","details":{"actual":["null"],"expected":["object"]}}"#,
            #"{"location":"/roles","kind":"type","details":{"actual":["object"],"expected":["array"]}}"#,
        ])
        XCTAssertEqual(causes(#"{"preferred_username":"u","email_verified":"true"}"#).count, 1)
        XCTAssertEqual(causes(#"{"preferred_username":"u","account_valid_from":1e3}"#),
                       [#"{"location":"/account_valid_from","kind":"type","details":{"actual":["integer","number"],"expected":["string"]}}"#])
    }

    func testNullsWhereAllowed() {
        XCTAssertEqual(causes(#"{"preferred_username":"u","name":null,"email":null,"phone_number":null,"address":null,"locale":null,"mfa":{"email":null,"phone_number":null}}"#), [])
    }

    func testUnknownKeysHaveEmptyKindOnClosedObjectsOnly() {
        XCTAssertEqual(causes(#"{"preferred_username":"u","foo":1,"password":{"type":"bcrypt","password_hash":"h","salt":"x"},"mfa":{"sms":1,"totp":{"secret":"S","digits":6}},"address":{"planet":"Mars"},"custom_attributes":{"anything":1}}"#), [
            #"{"location":"/foo","kind":""}"#,
            #"{"location":"/mfa/sms","kind":""}"#,
            #"{"location":"/mfa/totp/digits","kind":""}"#,
            #"{"location":"/password/salt","kind":""}"#,
        ])
        XCTAssertEqual(issues(#"{"preferred_username":"u","a/b~c":1}"#).first?.pointer, "/a~1b~0c")
        XCTAssertEqual(issues(#"{"preferred_username":"u","foo":1}"#).first?.rule, "schema.unknown_field")
    }

    func testMinLengthOnEmptyStrings() {
        let expected = #"{"actual":0,"expected":1}"#
        for field in ["name", "given_name", "family_name", "middle_name", "nickname", "gender"] {
            XCTAssertEqual(causes("{\"preferred_username\":\"u\",\"\(field)\":\"\"}"), ["{\"location\":\"/\(field)\",\"kind\":\"minLength\",\"details\":\(expected)}"])
        }
        XCTAssertEqual(causes(#"{"preferred_username":""}"#), [#"{"location":"/preferred_username","kind":"minLength","details":{"actual":0,"expected":1}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","address":{"country":"","planet":""}}"#),
                       [#"{"location":"/address/country","kind":"minLength","details":{"actual":0,"expected":1}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","password":{"type":"bcrypt","password_hash":""}}"#),
                       [#"{"location":"/password/password_hash","kind":"minLength","details":{"actual":0,"expected":1}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","address":{"country":null}}"#),
                       [#"{"location":"/address/country","kind":"type","details":{"actual":["null"],"expected":["string"]}}"#])
    }

    func testPasswordTypeEnum() {
        XCTAssertEqual(causes(#"{"preferred_username":"u","password":{"type":"md5","password_hash":"h"}}"#),
                       [#"{"location":"/password/type","kind":"enum","details":{"actual":"md5","expected":["bcrypt"]}}"#])
        XCTAssertEqual(causes(#"{"preferred_username":"u","mfa":{"password":{"type":"BCRYPT","password_hash":"h"}}}"#),
                       [#"{"location":"/mfa/password/type","kind":"enum","details":{"actual":"BCRYPT","expected":["bcrypt"]}}"#])
    }

    /// `{"type":"string","enum":["bcrypt"]}`: a non-string fails both keywords (spec §8: type + enum at one location).
    func testPasswordTypeOfWrongTypeFailsTypeAndEnum() {
        let found = Set(causes(#"{"preferred_username":"u","password":{"type":1,"password_hash":"h"}}"#))
        XCTAssertEqual(found, [
            #"{"location":"/password/type","kind":"type","details":{"actual":["integer","number"],"expected":["string"]}}"#,
            #"{"location":"/password/type","kind":"enum","details":{"actual":1,"expected":["bcrypt"]}}"#,
        ])
    }

    func testRolesAndGroupsItems() {
        XCTAssertEqual(causes(#"{"preferred_username":"u","roles":["role_a","",3],"groups":[]}"#), [
            #"{"location":"/roles/1","kind":"minLength","details":{"actual":0,"expected":1}}"#,
            #"{"location":"/roles/2","kind":"type","details":{"actual":["integer","number"],"expected":["string"]}}"#,
        ])
    }

    func testDuplicateKeysWarnAndLastWins() {
        let found = issues(#"{"preferred_username":"u","name":1,"name":"ok","mfa":{"email":null,"email":null}}"#)
        XCTAssertFalse(found.contains { $0.severity == .error }, "\(found)")
        let dups = found.filter { $0.rule == "duplicate_key" }
        XCTAssertEqual(dups.map(\.pointer), ["/name", "/mfa/email"])
        XCTAssertEqual(dups.first?.message, "the key \"name\" appears more than once; the server uses the last one")
        XCTAssertEqual(causes(#"{"preferred_username":"u","name":"ok","name":""}"#).count, 1)
    }

    func testNotAnObject() {
        XCTAssertEqual(causes("[]"), [#"{"location":"","kind":"type","details":{"actual":["array"],"expected":["object"]}}"#])
    }

    // MARK: - §9.1 warnings (exact strings)

    func testInsertWarnings() {
        XCTAssertEqual(warnings(#"{"preferred_username":"u","email":null,"phone_number":null}"#),
                       ["email = null has no effect in insert.", "phone_number = null has no effect in insert."])
        XCTAssertEqual(warnings(#"{"email":"a@b.c","preferred_username":null}"#, .email), ["preferred_username = null has no effect in insert."])
        XCTAssertEqual(warnings(#"{"preferred_username":"u","email_verified":false,"phone_number_verified":false,"disabled":false}"#), [
            "email_verified = false has no effect in insert.", "phone_number_verified = false has no effect in insert.",
            "disabled = false has no effect in insert.",
        ])
        XCTAssertEqual(warnings(#"{"preferred_username":"u","email_verified":true,"phone_number_verified":true}"#), [
            "email_verified = true has no effect when email is absent.", "phone_number_verified = true has no effect when phone_number is absent.",
        ])
        XCTAssertEqual(warnings(#"{"preferred_username":"u","mfa":{"email":null,"phone_number":null}}"#),
                       ["mfa.email = null has no effect in insert.", "mfa.phone_number = null has no effect in insert."])
        XCTAssertEqual(warnings(#"{"preferred_username":"u","email_verified":true,"email":"a@b.c","disabled":true}"#), [])
    }

    func testInsertNotAllowedLoginIDWarnings() {
        var project = ProjectConfig()
        project.loginIDKeys = [LoginIDKey(key: "username", type: .username)]
        let v = try! JSONParser.parse(#"{"preferred_username":"u","email":"a@b.c","phone_number":"+85298765432","email_verified":true}"#)
        let found = RecordValidator(settings: ValidationSettings(identifier: .preferredUsername, project: project)).validate(v).issues
        let messages = found.filter { $0.severity == .warning }.map(\.message)
        XCTAssertTrue(messages.contains("email is ignored because it is not an allowed login ID."))
        XCTAssertTrue(messages.contains("phone_number is ignored because it is not an allowed login ID."))
        // §7.2 step 3: "true but no identity carrying that claim was created (field absent, null, or ignored)".
        XCTAssertTrue(messages.contains("email_verified = true has no effect when email is absent."), "\(messages)")
    }

    func testUpsertWarnings() {
        XCTAssertEqual(warnings(#"{"preferred_username":"u","email_verified":true,"phone_number_verified":false}"#, upsert: true), [
            "email_verified has no effect when email is absent.", "phone_number_verified has no effect when phone_number is absent.",
        ])
        let nulls = warnings(#"{"preferred_username":"u","email":null,"email_verified":true,"phone_number":null,"phone_number_verified":true}"#, upsert: true)
        XCTAssertTrue(nulls.contains("email_verified has no effect when email = null."))
        XCTAssertTrue(nulls.contains("phone_number_verified has no effect when phone_number = null."))
        XCTAssertFalse(nulls.contains { $0.hasSuffix("in insert.") })
        XCTAssertEqual(warnings(#"{"preferred_username":"u","disabled":false,"email_verified":true,"email":"a@b.c"}"#, upsert: true), [])
    }
}
