import XCTest
@testable import MigrationCore

/// The presets' rules for rows that are not users to import (skipped, said once with a reason)
/// or whose state maps to `disabled`, system by system as FORMATS.md and the systems' own
/// exports have them (fixtures written here).
final class SourceSkipRulesTests: XCTestCase {
    static let hash = "$2y$10$" + String(repeating: "y", count: 53)
    let hash = SourceSkipRulesTests.hash

    private func judged(_ text: String, name: String) throws -> (RecordIndex, ValidationReport, [String]) {
        let index = try RecordIndex.open(path: TestFiles.write(text, name: name))
        try index.waitUntilComplete()
        let report = ValidationPass(index: index, settings: ValidationSettings(identifier: .email, upsert: false)).run()
        var records: [String] = []
        for n in 0..<index.count {
            var out: [UInt8] = []
            XCTAssertTrue(index.recordBytes(span: index.span(n), into: &out), "record \(n)")
            records.append(String(decoding: out, as: UTF8.self))
        }
        return (index, report, records)
    }

    private func skipped(_ index: RecordIndex, _ report: ValidationReport) -> SkippedRows {
        SkippedRows.find(index: index, report: report, edits: EditOverlay())
    }

    func testKeycloakServiceAccountsAreSkippedNotImportedAsUsers() throws {
        // kc.sh exports a service-account-<client> user per client with service accounts on.
        let (index, report, records) = try judged("""
            {"realm": "kafka", "users": [
              {"id": "1", "username": "alice", "email": "alice@example.com", "enabled": true, "credentials": []},
              {"id": "2", "username": "service-account-team-a-client", "enabled": true, "serviceAccountClientId": "team-a-client",
               "credentials": [], "realmRoles": ["offline_access"]},
              {"id": "3", "username": "bob", "email": "bob@example.com", "enabled": false, "credentials": []}
            ]}
            """, name: "kafka-realm.json")
        XCTAssertEqual(index.format, .keycloak)
        XCTAssertEqual(report.status, [.valid, .excluded, .valid])
        XCTAssertEqual(skipped(index, report).summary, "1 row skipped: service account of a client (serviceAccountClientId) (1)")
        XCTAssertEqual(records[2], #"{"email":"bob@example.com","preferred_username":"bob","disabled":true}"#)
    }

    func testLaravelSoftDeletedRowsAreSkipped() throws {
        let (index, report, records) = try judged("""
            id,name,email,email_verified_at,password,remember_token,created_at,updated_at,deleted_at
            1,Tay,tay@example.com,2024-01-01 00:00:00,\(hash),,2024-01-01 00:00:00,2024-01-01 00:00:00,
            2,Gone,gone@example.com,,\(hash),,2024-01-01 00:00:00,2024-01-01 00:00:00,2024-06-01 00:00:00

            """, name: "users.csv")
        XCTAssertEqual(index.format, .laravel)
        XCTAssertEqual(report.status, [.valid, .excluded])
        XCTAssertEqual(skipped(index, report).summary, "1 row skipped: soft-deleted (deleted_at set) (1)")
        XCTAssertEqual(records[0], #"{"email":"tay@example.com","email_verified":true,"name":"Tay","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#)
    }

    func testWordPressMultisiteDeletedRowsAreSkippedAndSpamIsDisabled() throws {
        let (index, report, records) = try judged("""
            ID,user_login,user_pass,user_nicename,user_email,user_url,user_registered,user_activation_key,user_status,display_name,spam,deleted
            1,ed,\(hash),ed,ed@example.com,,2020-01-01 00:00:00,,0,Ed,0,0
            2,spammer,\(hash),spammer,spam@example.com,,2020-01-01 00:00:00,,0,Spam,1,0
            3,gone,\(hash),gone,gone@example.com,,2020-01-01 00:00:00,,0,Gone,0,1

            """, name: "wp_users.csv")
        XCTAssertEqual(index.format, .wordpress)
        XCTAssertEqual(report.status.map { $0 == .excluded }, [false, false, true])
        XCTAssertEqual(skipped(index, report).summary, "1 row skipped: deleted (multisite deleted = 1) (1)")
        XCTAssertEqual(records[0], #"{"email":"ed@example.com","preferred_username":"ed","name":"Ed","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#)
        XCTAssertEqual(records[1], #"{"email":"spam@example.com","preferred_username":"spammer","name":"Spam","disabled":true,"password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#)
    }

    func testCognitoFederatedUsersAreCountedOnceAsNotImported() throws {
        let (index, report, records) = try judged("""
            {"Users": [
              {"Username": "Google_1093", "Attributes": [{"Name": "email", "Value": "fed@example.com"}], "Enabled": true, "UserStatus": "EXTERNAL_PROVIDER"},
              {"Username": "u-2", "Attributes": [{"Name": "email", "Value": "own@example.com"}], "Enabled": true, "UserStatus": "CONFIRMED"},
              {"Username": "u-3", "Attributes": [{"Name": "email", "Value": "off@example.com"}], "Enabled": false, "UserStatus": "RESET_REQUIRED"}
            ]}
            """, name: "list-users.json")
        XCTAssertEqual(index.format, .cognito)
        XCTAssertEqual(records, [#"{"email":"fed@example.com"}"#, #"{"email":"own@example.com"}"#, #"{"email":"off@example.com","disabled":true}"#])
        let labels = index.recordMapping!.notImportedLabels
        let counts = Dictionary(uniqueKeysWithValues: zip(labels, report.notImported))
        XCTAssertEqual(counts["federated users (UserStatus EXTERNAL_PROVIDER: they sign in with their identity provider again)"], 1)
    }

    func testTheStatesFORMATSMapsToDisabledNotSkipped() throws {
        // Auth0 blocked, Firebase disabled, Okta SUSPENDED/DEPROVISIONED/LOCKED_OUT, Django is_active false:
        // users that exist and are imported disabled, not rows left out.
        let (okta, oktaReport, oktaRecords) = try judged("""
            [{"id": "00u1", "status": "DEPROVISIONED", "profile": {"login": "a@example.com", "email": "a@example.com"}, "credentials": {}},
             {"id": "00u2", "status": "LOCKED_OUT", "profile": {"login": "b@example.com", "email": "b@example.com"}, "credentials": {}},
             {"id": "00u3", "status": "STAGED", "profile": {"login": "c@example.com", "email": "c@example.com"}, "credentials": {}}]
            """, name: "okta.json")
        XCTAssertEqual(okta.format, .okta)
        XCTAssertFalse(oktaReport.status.contains(.excluded))
        XCTAssertEqual(oktaRecords, [#"{"email":"a@example.com","disabled":true}"#, #"{"email":"b@example.com","disabled":true}"#, #"{"email":"c@example.com"}"#])
        let (devise, deviseReport, deviseRecords) = try judged("""
            id,email,encrypted_password,confirmed_at,unconfirmed_email,locked_at,sign_in_count
            1,lock@example.com,$2a$11$\(String(repeating: "d", count: 53)),,new@example.com,2024-01-01 00:00:00,9

            """, name: "users.csv")
        XCTAssertEqual(devise.format, .devise)
        XCTAssertEqual(deviseReport.status, [.valid], "a Devise lock is temporary and an unconfirmed e-mail only unverified: imported, enabled")
        XCTAssertEqual(deviseRecords, [#"{"email":"lock@example.com","password":{"type":"bcrypt","password_hash":"$2a$11$\#(String(repeating: "d", count: 53))"}}"#])
    }
}
