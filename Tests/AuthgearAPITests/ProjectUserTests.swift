import XCTest
@testable import AuthgearAPI
import MigrationCore

/// `ProjectUser(exportRecord:)`: an export NDJSON record (export spec §8) as the verifier reads it.
final class ProjectUserTests: XCTestCase {
    func testAnExportRecordIsReadWhole() throws {
        let line = #"""
        {"sub":"0a7c4e5e-1111-4a4a-9b9b-000000000001","created_at":"2026-01-02T03:04:05.000000Z","email":"a@example.com",
         "email_verified":true,"name":"A","address":{"locality":"Hong Kong"},"phone_number":"+85298765432",
         "custom_attributes":{"tier":"gold","member_id":7},"roles":["admin","staff"],"groups":["g1"],"disabled":true,
         "identities":[{"type":"login_id","login_id":{"key":"work_email","type":"email","value":"a@example.com","original_value":"A@Example.com"}},
                       {"type":"oauth","claims":{"email":"other@x"}}],
         "mfa":{"emails":["m@x"],"phone_numbers":[],"totps":[{"secret":"JBSWY3DPEHPK3PXP"}]},"unknown_future_key":{"x":1}}
        """#
        let user = try XCTUnwrap(ProjectUser(exportRecord: JSONParser.parse(line)))
        XCTAssertEqual(user.id, "0a7c4e5e-1111-4a4a-9b9b-000000000001")
        XCTAssertEqual(user.standardAttributes, ["email": .string("a@example.com"), "email_verified": .bool(true), "name": .string("A"),
                                                 "address": .obj(["locality": .string("Hong Kong")]), "phone_number": .string("+85298765432")])
        XCTAssertEqual(user.customAttributes, ["tier": .string("gold"), "member_id": .number("7")])
        XCTAssertEqual(user.roles, ["admin", "staff"])
        XCTAssertEqual(user.groups, ["g1"])
        XCTAssertTrue(user.disabled)
        XCTAssertEqual(user.loginIDs, [.init(key: "work_email", type: "email", value: "a@example.com", originalValue: "A@Example.com")])
        XCTAssertEqual(user.totpSecrets, ["JBSWY3DPEHPK3PXP"])
        XCTAssertEqual(user.mfaEmails, ["m@x"])
        XCTAssertEqual(user.mfaPhoneNumbers, [])
    }

    func testEmptyListsAndAddressAreAbsentAndARepeatedMemberReadsAsItsLast() throws {
        let user = try XCTUnwrap(ProjectUser(exportRecord: JSONParser.parse(
            #"{"sub":"first","name":"Old","address":{"locality":"X"},"sub":"last","name":"New","address":{},"disabled":false,"identities":[]}"#)))
        XCTAssertEqual(user.id, "last")
        XCTAssertEqual(user.standardAttributes, ["name": .string("New")], "an empty address is no address")
        XCTAssertEqual(user.loginIDs, [])
        XCTAssertEqual(user.totpSecrets, [], "an export always says which TOTP secrets a user has (none here)")
        XCTAssertFalse(user.disabled)
    }

    func testARecordWithoutASubIsNoUser() throws {
        XCTAssertNil(ProjectUser(exportRecord: try JSONParser.parse(#"{"email":"a@example.com"}"#)))
        XCTAssertNil(ProjectUser(exportRecord: try JSONParser.parse(#"{"sub":12}"#)))
        XCTAssertNil(ProjectUser(exportRecord: try JSONParser.parse(#"["sub"]"#)))
    }
}
