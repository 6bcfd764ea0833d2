import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// The export's NDJSON and CSV encodings byte for byte: the worked examples of export spec §10.
final class ExportEncodingTests: XCTestCase {
    static let now = SandboxTime.parse("2026-06-01T00:00:00Z")!

    /// Ada and Bob of spec §10, as the import stores them.
    static func users() -> [SandboxUser] {
        var ada = SandboxUser(id: "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b", ref: nil, createdAt: SandboxTime.parse("2026-01-01T00:00:00.734521Z")!)
        ada.identities = [StoredIdentity(id: "i1", kind: .loginID(key: "email", type: .email, value: "ada@example.com", uniqueKey: "ada@example.com"),
                                         originalValue: "Ada@Example.com")]
        ada.verifiedClaims = [.init(name: "email", value: "ada@example.com")]
        ada.standardAttributes = ["email": .string("ada@example.com"), "name": .string("Ada Lovelace")]
        ada.authenticators = [StoredAuthenticator(id: "a1", kind: .primary, type: .password, passwordHash: "$2a$10$secret")]
        var bob = SandboxUser(id: "b7e1c7a2-0f3d-4f6e-9a51-2c4d8e9f1a20", ref: nil, createdAt: SandboxTime.parse("2026-01-01T00:00:01.118204Z")!)
        bob.identities = [
            StoredIdentity(id: "i2", kind: .loginID(key: "phone", type: .phone, value: "+85298765432", uniqueKey: "+85298765432"), originalValue: "+85298765432"),
            StoredIdentity(id: "i3", kind: .loginID(key: "username", type: .username, value: "bob_lee", uniqueKey: "bob_lee"), originalValue: "Bob_Lee"),
        ]
        bob.verifiedClaims = [.init(name: "phone_number", value: "+85298765432")]
        bob.standardAttributes = ["phone_number": .string("+85298765432"), "preferred_username": .string("bob_lee"), "given_name": .string("Bob"),
                                  "family_name": .string("Lee"), "address": .obj(["locality": .string("Central"), "country": .string("HK")])]
        bob.customAttributes = ["member_id": .string("M-0042"), "age": .number("37"), "tier": .string("gold")]
        bob.roles = ["role_a", "role_b"]
        bob.groups = ["group_a"]
        bob.accountStatus.validUntil = SandboxTime.parse("2027-01-01T00:00:00Z")
        bob.authenticators = [StoredAuthenticator(id: "a2", kind: .secondary, type: .oobOTPEmail, target: "bob@example.com"),
                              StoredAuthenticator(id: "a3", kind: .secondary, type: .totp, secret: "JBSWY3DPEHPK3PXP", displayName: "Imported")]
        return [ada, bob]
    }

    static let ndjson = #"""
    {"sub":"6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b","email":"ada@example.com","email_verified":true,"phone_number_verified":false,"name":"Ada Lovelace","address":{},"created_at":"2026-01-01T00:00:00.734521Z","disabled":false,"is_anonymized":false,"identities":[{"type":"login_id","login_id":{"key":"email","type":"email","value":"ada@example.com","original_value":"Ada@Example.com"},"claims":{"email":"ada@example.com"}}],"mfa":{},"biometric_count":0,"passkey_count":0}
    {"sub":"b7e1c7a2-0f3d-4f6e-9a51-2c4d8e9f1a20","preferred_username":"bob_lee","phone_number":"+85298765432","email_verified":false,"phone_number_verified":true,"given_name":"Bob","family_name":"Lee","address":{"locality":"Central","country":"HK"},"custom_attributes":{"age":37,"member_id":"M-0042","tier":"gold"},"roles":["role_a","role_b"],"groups":["group_a"],"created_at":"2026-01-01T00:00:01.118204Z","disabled":false,"is_anonymized":false,"account_valid_until":"2027-01-01T00:00:00Z","identities":[{"type":"login_id","login_id":{"key":"phone","type":"phone","value":"+85298765432","original_value":"+85298765432"},"claims":{"phone_number":"+85298765432"}},{"type":"login_id","login_id":{"key":"username","type":"username","value":"bob_lee","original_value":"Bob_Lee"},"claims":{"preferred_username":"bob_lee"}}],"mfa":{"emails":["bob@example.com"],"totps":[{"secret":"JBSWY3DPEHPK3PXP","uri":"otpauth://totp/bob_lee?algorithm=SHA1\u0026digits=6\u0026issuer=https%3A%2F%2F127.0.0.1\u0026period=30\u0026secret=JBSWY3DPEHPK3PXP"}]},"biometric_count":0,"passkey_count":0}

    """#

    static let csvDefault = #"""
    sub,preferred_username,email,phone_number,email_verified,phone_number_verified,name,given_name,middle_name,nickname,profile,picture,website,gender,birthdate,zoneinfo,locale,address.formatted,address.street_address,address.locality,address.region,address.postal_code,address.country,roles,groups,disabled,created_at,delete_at,last_login_at,is_anonymized,anonymize_at,temporarily_disabled_from,temporarily_disabled_until,account_valid_from,account_valid_until,identities,mfa.emails,mfa.phone_numbers,mfa.totps,biometric_count,passkey_count,custom_attributes.member_id,custom_attributes.age,custom_attributes.tier
    6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b,,ada@example.com,,true,false,Ada Lovelace,,,,,,,,,,,,,,,,,,,false,2026-01-01T00:00:00.734521Z,,,false,,,,,,"[{""claims"":{""email"":""ada@example.com""},""login_id"":{""key"":""email"",""original_value"":""Ada@Example.com"",""type"":""email"",""value"":""ada@example.com""},""type"":""login_id""}]",,,,0,0,,,
    b7e1c7a2-0f3d-4f6e-9a51-2c4d8e9f1a20,bob_lee,,+85298765432,false,true,,Bob,,,,,,,,,,,,Central,,,HK,"[""role_a"",""role_b""]","[""group_a""]",false,2026-01-01T00:00:01.118204Z,,,false,,,,,2027-01-01T00:00:00Z,"[{""claims"":{""phone_number"":""+85298765432""},""login_id"":{""key"":""phone"",""original_value"":""+85298765432"",""type"":""phone"",""value"":""+85298765432""},""type"":""login_id""},{""claims"":{""preferred_username"":""bob_lee""},""login_id"":{""key"":""username"",""original_value"":""Bob_Lee"",""type"":""username"",""value"":""bob_lee""},""type"":""login_id""}]","[""bob@example.com""]",,"[{""secret"":""JBSWY3DPEHPK3PXP"",""uri"":""otpauth://totp/bob_lee?algorithm=SHA1\u0026digits=6\u0026issuer=https%3A%2F%2F127.0.0.1\u0026period=30\u0026secret=JBSWY3DPEHPK3PXP""}]",0,0,M-0042,37,gold

    """#

    static let csvExplicit = #"""
    user_id,email,roles,address,totp_secret
    6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b,ada@example.com,,{},
    b7e1c7a2-0f3d-4f6e-9a51-2c4d8e9f1a20,,"[""role_a"",""role_b""]","{""country"":""HK"",""locality"":""Central""}",JBSWY3DPEHPK3PXP

    """#

    func testNDJSONMatchesTheSpecExampleByteForByte() {
        var out: [UInt8] = []
        for user in Self.users() { ExportRecord.writeLine(user, project: .default, now: Self.now, to: &out) }
        XCTAssertEqual(String(decoding: out, as: UTF8.self), Self.ndjson)
        XCTAssertFalse(String(decoding: out, as: UTF8.self).contains("$2a$"), "password hashes are never exported")
    }

    func testCSVDefaultColumnsMatchTheSpecExample() {
        XCTAssertEqual(csv(fields: nil), Self.csvDefault)
    }

    func testCSVExplicitFieldsMatchTheSpecExample() throws {
        let body = #"{"format":"csv","csv":{"fields":[{"pointer":"/sub","field_name":"user_id"},{"pointer":"/email"},{"pointer":"/roles"},{"pointer":"/address"},{"pointer":"/mfa/totps/0/secret","field_name":"totp_secret"}]}}"#
        let request = try ExportRequest.parse(body: Array(body.utf8)).get()
        XCTAssertEqual(HTTPReply.writer.string(request.json), body, "the request is echoed as sent")
        XCTAssertEqual(csv(fields: request.fields), Self.csvExplicit)
    }

    func testCSVCellsAndQuotingFollowGo() {
        XCTAssertEqual(ExportCSV.cell(.number("1e21")), "1000000000000000000000")
        XCTAssertEqual(ExportCSV.cell(.number("1.5")), "1.5")
        XCTAssertEqual(ExportCSV.cell(.number("0.0000001")), "0.0000001")
        XCTAssertEqual(ExportCSV.cell(nil), "")
        XCTAssertEqual(ExportCSV.cell(.obj(["b": .string("<&>"), "a": .number("1")])), #"{"a":1,"b":"\u003c\u0026\u003e"}"#)
        var out: [UInt8] = []
        ExportCSV.writeRow(["plain", "a,b", "say \"hi\"", "line\nbreak", " lead", "\\.", ""], to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "plain,\"a,b\",\"say \"\"hi\"\"\",\"line\nbreak\",\" lead\",\"\\.\",\n")
        XCTAssertEqual(ExportRequest.headerName("/a~1b/c~0d"), "a/b.c~d")
        XCTAssertEqual(ExportRequest.headerName("/"), "")
        XCTAssertEqual(ExportRequest.headerName(""), "")
    }

    func testRecordOmitsEmptiesAndEscapesHTML() {
        var u = SandboxUser(id: "u", ref: nil, createdAt: SandboxTime.parse("2026-01-01T00:00:00Z")!)
        u.standardAttributes = ["email": .string("a&b@example.com"), "nickname": .string(""), "picture": .string("authgearimages:///myapp/obj")]
        u.accountStatus.disabled = true
        let text = ExportRecord.writer.string(ExportRecord.make(u, project: .default, now: Self.now))
        XCTAssertEqual(text, #"{"sub":"u","email":"a\u0026b@example.com","email_verified":false,"phone_number_verified":false,"picture":"https://127.0.0.1/_images/myapp/obj/profile","address":{},"created_at":"2026-01-01T00:00:00Z","disabled":true,"is_anonymized":false,"mfa":{},"biometric_count":0,"passkey_count":0}"#)
    }

    private func csv(fields: [ExportRequest.Field]?) -> String {
        let csv = ExportCSV(fields: fields, project: .default)
        var out: [UInt8] = []
        csv.writeHeader(to: &out)
        for user in Self.users() { csv.writeRow(ExportRecord.make(user, project: .default, now: Self.now), to: &out) }
        return String(decoding: out, as: UTF8.self)
    }
}
