import AuthgearAPI
import MigrationCore
import MigrationEngine
import XCTest

/// RecordComparison: what verify calls equal, and that secrets are masked.
final class RecordComparisonTests: XCTestCase {
    let comparison = RecordComparison(identifier: .email, project: .default)

    func record(_ text: String) -> JSONValue { try! JSONParser.parse(text) }

    func user(_ extra: (inout ProjectUser) -> Void = { _ in }) -> ProjectUser {
        var u = ProjectUser(id: "u1", standardAttributes: ["email": .string("ada@example.com")],
                            loginIDs: [.init(key: "email", type: "email", value: "ada@example.com")], totpSecrets: [], mfaEmails: [], mfaPhoneNumbers: [])
        extra(&u)
        return u
    }

    func testNormalisedIdentifiersNumbersByValueAndUndefinedCustomAttributesAreEqual() {
        let r = record(#"{"email":"Ada@EXAMPLE.com","custom_attributes":{"age":37.0,"undefined_here":"x"},"roles":["role_b","role_a"],"name":null}"#)
        let u = user { $0.customAttributes = ["age": .number("37")]; $0.roles = ["role_a", "role_b"] }
        XCTAssertEqual(comparison.differences(record: r, outcome: .inserted, user: u, fully: true), [])
    }

    func testATOTPSecretIsComparedAndMaskedAndOnlyForInsertedUsers() {
        let r = record(#"{"email":"ada@example.com","mfa":{"totp":{"secret":"JBSWY3DPEHPK3PXP"}}}"#)
        let other = user { $0.totpSecrets = ["GEZDGNBVGY3TQOJQ"] }
        let d = comparison.differences(record: r, outcome: .inserted, user: other, fully: true)
        XCTAssertEqual(d, [FieldDifference(field: "mfa.totp.secret", sent: "••••", found: "•••• (another secret)")])
        XCTAssertEqual(comparison.differences(record: r, outcome: .updated, user: other, fully: true), [], "upsert ignores the TOTP secret")
        XCTAssertEqual(comparison.differences(record: r, outcome: .inserted, user: user { $0.totpSecrets = ["JBSWY3DPEHPK3PXP"] }, fully: true), [])
        XCTAssertEqual(RecordComparison.uncheckable(r, outcome: .inserted, exposesTOTP: false), ["mfa.totp.secret"])
    }

    func testASkippedUserIsJudgedOnItsIdentifierOnly() {
        let r = record(#"{"email":"ada@example.com","name":"Ada"}"#)
        XCTAssertEqual(comparison.differences(record: r, outcome: .skipped, user: user(), fully: false), [])
        XCTAssertEqual(comparison.differences(record: r, outcome: .inserted, user: user(), fully: true),
                       [FieldDifference(field: "name", sent: #""Ada""#, found: nil)])
        let renamed = user { $0.loginIDs = [.init(key: "email", type: "email", value: "eve@example.com")] }
        XCTAssertEqual(comparison.differences(record: r, outcome: .skipped, user: renamed, fully: false),
                       [FieldDifference(field: "email", sent: #""ada@example.com""#, found: #""eve@example.com""#)])
    }
}
