import XCTest
@testable import MigrationCore

/// The detection and mapping claims of FORMATS.md §0.2 and issue 14 that `SourcePresetTests`
/// does not already hold, each with a fixture written here.
final class SourceDetectionClaimsTests: XCTestCase {
    static let hash = "$2b$10$" + String(repeating: "N", count: 53)
    let hash = SourceDetectionClaimsTests.hash

    private func open(_ text: String, name: String = "export.txt", format: SourceFormat? = nil,
                      passwords: PasswordJoin? = nil) throws -> (RecordIndex, [String]) {
        let index = try RecordIndex.open(path: TestFiles.write(text, name: name), format: format, passwords: passwords)
        try index.waitUntilComplete()
        var records: [String] = []
        for n in 0..<index.count {
            var out: [UInt8] = []
            XCTAssertTrue(index.recordBytes(span: index.span(n), into: &out), "record \(n)")
            records.append(String(decoding: out, as: UTF8.self))
        }
        return (index, records)
    }

    private func validate(_ index: RecordIndex) -> ValidationReport {
        ValidationPass(index: index, settings: ValidationSettings(identifier: .email, upsert: false)).run()
    }

    func testAuth0BulkFileWithPlainPasswordHashAndUnprefixedUserID() throws {
        let (index, records) = try open(#"[{"user_id":"9","email":"Kai@Example.com","password_hash":"\#(hash)","blocked":true}]"#)
        XCTAssertEqual(index.presetName, "auth0-bulk")
        XCTAssertEqual(records, [#"{"email":"kai@example.com","disabled":true,"password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#])
    }

    func testAuth0HashFileWithTheUserIDInsideOid() throws {
        // WorkOS's sample puts "auth0|…" inside $oid: joined as it is, not prefixed again.
        let hashes = TestFiles.write(#"{"_id":{"$oid":"auth0|77"},"passwordHash":"\#(hash)","tenant":"t","connection":"db"}"# + "\n", name: "h.ndjson")
        let join = try PasswordJoin.auth0(path: hashes)
        XCTAssertEqual(Array(join.hashes.keys), ["auth0|77"])
        let (_, records) = try open(#"{"user_id":"auth0|77","email":"q@example.com","identities":[]}"# + "\n", passwords: join)
        XCTAssertEqual(records, [#"{"email":"q@example.com","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#])
    }

    func testAuth0CSVStripsTheQuotePrefixOfEveryCellAndTheOnlyPrefix() throws {
        let (index, records) = try open("""
            user_id,email,username,phone_number,blocked,user_metadata.locale
            "'auth0|1","'ann@example.com","'ann","'+6591234567","'true","'fr"
            "'auth0|2","'''quoted@example.com",,,"'false",

            """, name: "auth0.csv")
        XCTAssertEqual(index.presetName, "auth0-csv")
        XCTAssertEqual(records, [
            #"{"email":"ann@example.com","preferred_username":"ann","phone_number":"+6591234567","disabled":true,"locale":"fr"}"#,
            #"{"email":"''quoted@example.com"}"#,
        ], "only the one ' Auth0 adds is removed")
    }

    func testFirebaseCSVCustomClaimsInAQuotedCellAndTheOldLayoutsDisabledColumn() throws {
        var f = [String](repeating: "", count: 29)
        f[0] = "u1"; f[1] = "Ida@Example.com"; f[2] = "false"; f[5] = "Ida"; f[6] = "https://example.com/i.png"
        f[23] = "1700000000000"; f[25] = "+6591234567"; f[26] = "true"; f[27] = #""{""roles"":[""role_a""],""member_id"":""M1""}""#
        let (index, records) = try open(f.joined(separator: ",") + "\n", name: "firebase.csv")
        XCTAssertEqual(index.presetName, "firebase-csv29")
        XCTAssertEqual(records, [#"{"email":"ida@example.com","phone_number":"+6591234567","name":"Ida","picture":"https://example.com/i.png","disabled":true,"roles":["role_a"],"custom_attributes":{"member_id":"M1"}}"#])
        XCTAssertEqual(index.legacyKey(span: index.span(0)), "u1")
    }

    func testAHeaderOfTwentyNineColumnsIsNotAFirebaseRow() throws {
        // 29 fields, but the third is not true/false and no epoch: a CSV with a header row.
        let header = (["email"] + (1..<29).map { "c\($0)" }).joined(separator: ",")
        let row = (["a@example.com"] + [String](repeating: "x", count: 28)).joined(separator: ",")
        let (index, records) = try open(header + "\n" + row + "\n", name: "wide.csv")
        XCTAssertEqual(index.format, .csv)
        XCTAssertEqual(index.container, .csv)
        XCTAssertEqual(records, [#"{"email":"a@example.com"}"#])
    }

    func testOktaPasswordHealthReport() throws {
        let (index, records) = try open("""
            User,Login,Status,Activation date,Authentication Source,Last Login,Last Password Change
            Ann Lee,Ann@Example.com,ACTIVE,2020-01-01,OKTA,2024-01-01,2023-01-01
            Bo Chan,bo@example.com,SUSPENDED,2020-01-01,OKTA,,

            """, name: "health.csv")
        XCTAssertEqual(index.presetName, "okta-report")
        XCTAssertEqual(records, [#"{"email":"ann@example.com","name":"Ann Lee"}"#, #"{"email":"bo@example.com","name":"Bo Chan","disabled":true}"#])
    }

    func testDjangoAuthUserTableRows() throws {
        let (index, records) = try open("""
            id,password,last_login,is_superuser,username,first_name,last_name,email,is_staff,is_active,date_joined
            1,pbkdf2_sha256$600000$salt$aGFzaA==,,t,ada,Ada,L,ada@example.com,t,t,2020-01-01 00:00:00+00
            2,bcrypt$\(hash),,f,bob,,,bob@example.com,f,f,2020-01-01 00:00:00+00
            3,!unusable,,f,cy,,,cy@example.com,f,t,2020-01-01 00:00:00+00

            """, name: "auth_user.csv")
        XCTAssertEqual(index.format, .django)
        XCTAssertEqual(index.presetName, "django-table")
        XCTAssertEqual(records, [
            #"{"email":"ada@example.com","preferred_username":"ada","given_name":"Ada","family_name":"L"}"#,
            #"{"email":"bob@example.com","preferred_username":"bob","disabled":true,"password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#,
            #"{"email":"cy@example.com","preferred_username":"cy"}"#,
        ])
        let report = validate(index)
        XCTAssertEqual(report.issues[0]?.map(\.rule), ["password.not_importable"])
        XCTAssertNil(report.issues[2], "an unusable Django password is no password, not an unimportable one")
    }

    func testLaravelDeviseAndWordPressAsJSON() throws {
        let y = "$2y$10$" + String(repeating: "y", count: 53)
        let (laravel, l) = try open(#"[{"id":1,"name":"Tay","email":"tay@example.com","email_verified_at":null,"password":"$argon2id$v=19$m=1024,t=2,p=2$c2FsdA$aGFzaA","remember_token":null}]"#)
        XCTAssertEqual(laravel.format, .laravel)
        XCTAssertEqual(l, [#"{"email":"tay@example.com","name":"Tay"}"#])
        XCTAssertEqual(validate(laravel).issues[0]?.first?.message.contains("Argon2id"), true)
        let (devise, d) = try open(#"{"id":5,"email":"rb@example.com","encrypted_password":"$2a$12$\#(String(repeating: "z", count: 53))","sign_in_count":3,"confirmed_at":"2024-01-01 00:00:00"}"# + "\n")
        XCTAssertEqual(devise.format, .devise)
        XCTAssertEqual(d, [#"{"email":"rb@example.com","email_verified":true,"password":{"type":"bcrypt","password_hash":"$2a$12$\#(String(repeating: "z", count: 53))"}}"#])
        let (wp, w) = try open(#"[{"ID":"3","user_login":"plug","user_pass":"\#(y)","user_email":"plug@example.com","user_url":"https://example.com","user_registered":"2020-01-01 00:00:00","display_name":"Plug"}]"#)
        XCTAssertEqual(wp.format, .wordpress)
        XCTAssertEqual(w, [#"{"email":"plug@example.com","preferred_username":"plug","name":"Plug","website":"https://example.com","password":{"type":"bcrypt","password_hash":"\#(y)"}}"#],
                       "a plugin's plain $2y$ (no $wp) is importable as it is")
    }

    func testAUsersArrayOfNoKnownShapeSaysWhatItFound() {
        let path = TestFiles.write(#"{"users": [{"uid": "1", "mail": "a@example.com"}], "next": null}"#)
        XCTAssertThrowsError(try RecordIndex.open(path: path)) { error in
            let message = (error as? SourceError)?.message ?? ""
            XCTAssertTrue(message.contains("\"users\" array holds records of no known shape"), message)
            XCTAssertTrue(message.contains("uid, mail"), message)
        }
    }

    func testAPrettyPrintedObjectThatIsOneRecordIsNeverReadLineByLine() throws {
        // One record pretty-printed over several lines: no "line" of it becomes a record.
        let path = TestFiles.write("{\n  \"email\": \"a@example.com\",\n  \"name\": \"A\"\n}\n")
        do {
            let index = try RecordIndex.open(path: path)
            try index.waitUntilComplete()
            XCTFail("read as \(index.format) with \(index.count) records")
        } catch let error as SourceError {
            XCTAssertTrue(error.message.contains("no known shape"), error.message)
        }
    }

    func testFormatNamesEverySystem() throws {
        // --format with records the classifier does not recognise: that system's preset for the layout.
        let cases: [(SourceFormat, String, String)] = [
            (.firebase, #"{"users": [{"email": "a@example.com"}]}"#, "firebase"),
            (.supabase, #"[{"email": "a@example.com"}]"#, "supabase"),
            (.clerk, "primary_email_address\na@example.com\n", "clerk"),
            (.cognito, "email\na@example.com\n", "cognito-csv"),
            (.okta, #"[{"profile": {"email": "a@example.com"}}]"#, "okta"),
            (.django, "email\na@example.com\n", "django-table"),
            (.laravel, "email\na@example.com\n", "laravel"),
            (.devise, #"[{"email": "a@example.com"}]"#, "devise"),
            (.wordpress, #"[{"user_email": "a@example.com"}]"#, "wordpress"),
        ]
        for (format, text, preset) in cases {
            let (index, records) = try open(text, name: "x.\(text.hasPrefix("[") || text.hasPrefix("{") ? "json" : "csv")", format: format)
            XCTAssertEqual(index.format, format, "\(format)")
            XCTAssertEqual(index.presetName, preset, "\(format)")
            XCTAssertEqual(records.first?.contains("a@example.com"), true, "\(format): \(records)")
        }
    }
}
