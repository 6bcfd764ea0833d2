import XCTest
@testable import MigrationCore

/// Other systems' exports: detected from the content, mapped by their presets to the records
/// the import will send (fixtures written here, shaped after FORMATS.md).
final class SourcePresetTests: XCTestCase {
    static let hash = "$2b$10$" + String(repeating: "N", count: 53)
    let hash = SourcePresetTests.hash

    /// Opens `text` as a source and returns the index and every record as compact JSON.
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

    // MARK: - Auth0

    func testAuth0UserExportNDJSON() throws {
        let (index, records) = try open("""
            {"user_id":"auth0|5f1","email":"Mia.Ruiz@Example.com","email_verified":true,"name":"Mia Ruiz","given_name":"Mia","identities":[{"provider":"auth0","isSocial":false}],"user_metadata":{"tier":"gold"},"created_at":"2023-01-01T00:00:00.000Z","blocked":true}
            {"user_id":"google-oauth2|77","email":"li@example.org","email_verified":false,"identities":[{"provider":"google-oauth2","isSocial":true}],"logins_count":3}

            """)
        XCTAssertEqual(index.format, .auth0)
        XCTAssertEqual(index.container, .ndjson)
        XCTAssertEqual(records, [
            #"{"email":"mia.ruiz@example.com","email_verified":true,"name":"Mia Ruiz","given_name":"Mia","disabled":true,"custom_attributes":{"tier":"gold"}}"#,
            #"{"email":"li@example.org"}"#,
        ])
        XCTAssertEqual(index.legacyKey(span: index.span(1)), "google-oauth2|77")
        let report = validate(index)
        let labels = index.recordMapping!.notImportedLabels
        let counts = Dictionary(uniqueKeysWithValues: zip(labels, report.notImported))
        XCTAssertEqual(counts["OAuth/social identities (the user signs in with the provider again)"], 1)
        XCTAssertEqual(counts["original timestamps (created_at, updated_at, last_login)"], 1)
    }

    func testAuth0UserExportAsJSONArrayAndCSV() throws {
        let (array, arrayRecords) = try open(#"[{"user_id":"auth0|1","email":"a@example.com","app_metadata":{}}]"#)
        XCTAssertEqual(array.format, .auth0)
        XCTAssertEqual(arrayRecords, [#"{"email":"a@example.com"}"#])
        let (csv, csvRecords) = try open("""
            user_id,email,email_verified,name,user_metadata.plan,logins_count
            "'auth0|9","'Ann@Example.com",true,"'Ann ""A"" B","'pro",4

            """)
        XCTAssertEqual(csv.format, .auth0)
        XCTAssertEqual(csv.presetName, "auth0-csv")
        XCTAssertEqual(csvRecords, [#"{"email":"ann@example.com","email_verified":true,"name":"Ann \"A\" B","custom_attributes":{"plan":"pro"}}"#])
        XCTAssertEqual(csv.legacyKey(span: csv.span(0)), "'auth0|9")
    }

    func testAuth0PasswordHashExportAsMainFile() throws {
        let (index, records) = try open("""
            {"_id":{"$oid":"64aa"},"email":"ana@example.com","email_verified":true,"passwordHash":"\(hash)","tenant":"t","connection":"db","_tmp_is_unique":true}
            {"_id":{"$oid":"64ab"},"passwordHash":"\(hash)","tenant":"t","connection":"db","identifiers":[{"type":"email","value":"Bo@Example.com","verified":true},{"type":"username","value":"bo"}]}

            """)
        XCTAssertEqual(index.presetName, "auth0-passwords")
        XCTAssertEqual(records, [
            #"{"email":"ana@example.com","email_verified":true,"password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#,
            #"{"email":"bo@example.com","email_verified":true,"preferred_username":"bo","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#,
        ])
    }

    func testAuth0ProfilesJoinedToPasswordHashesByUserID() throws {
        // Joined by auth0| + (alt_id ?? _id.$oid), never by e-mail: the hash file's e-mail differs in case.
        let hashes = TestFiles.write("""
            {"_id":{"$oid":"64aa"},"email":"MIA@example.com","passwordHash":"\(hash)","tenant":"t","connection":"db"}
            {"_id":{"$oid":"64ff"},"alt_id":"legacy-7","email":"x@example.com","passwordHash":"$P$Babcdefghijklmnopqrstuvwxyz01234","tenant":"t","connection":"db"}

            """, name: "hashes.ndjson")
        let join = try PasswordJoin.auth0(path: hashes)
        XCTAssertEqual(Set(join.hashes.keys), ["auth0|64aa", "auth0|legacy-7"])
        let (index, records) = try open("""
            {"user_id":"auth0|64aa","email":"mia@example.com","identities":[]}
            {"user_id":"auth0|legacy-7","email":"x@example.com","identities":[]}
            {"user_id":"auth0|nohash","email":"y@example.com","identities":[]}

            """, passwords: join)
        XCTAssertEqual(records, [
            #"{"email":"mia@example.com","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#,
            #"{"email":"x@example.com"}"#, #"{"email":"y@example.com"}"#,
        ])
        let report = validate(index)
        XCTAssertEqual(report.issues[1]?.map(\.rule), ["password.not_importable"])
        XCTAssertTrue(report.issues[1]?.first?.message.contains("phpass") ?? false)
        XCTAssertNil(report.issues[2])
        XCTAssertEqual(report.withoutImportablePassword, 1)
    }

    func testAuth0BulkImportFile() throws {
        let (index, records) = try open(#"""
            [{"user_id":"u1","email":"a@example.com","custom_password_hash":{"algorithm":"bcrypt","hash":{"value":"\#(hash)","encoding":"utf8"}},"mfa_factors":[{"totp":{"secret":"JBSWY3DPEHPK3PXP"}}]},
             {"user_id":"u2","email":"b@example.com","custom_password_hash":{"algorithm":"pbkdf2","hash":{"value":"$pbkdf2-sha256$i=1000$abc$def"}}}]
            """#)
        XCTAssertEqual(index.presetName, "auth0-bulk")
        XCTAssertEqual(records, [
            #"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"\#(hash)"},"mfa":{"totp":{"secret":"JBSWY3DPEHPK3PXP"}}}"#,
            #"{"email":"b@example.com"}"#,
        ])
        XCTAssertEqual(validate(index).issues[1]?.first?.message.contains("pbkdf2") ?? false, true)
    }

    // MARK: - Firebase

    func testFirebaseJSONIsOneDocumentNotNDJSON() throws {
        let (index, records) = try open("""
            {"users": [
            {
              "localId": "abc1",
              "email": "Kim@Example.com",
              "emailVerified": true,
              "passwordHash": "c2NyeXB0LWhhc2g=",
              "salt": "c2FsdA==",
              "displayName": "Kim, Lee",
              "createdAt": "1508893925000",
              "customAttributes": "{\\"tier\\":\\"gold\\"}",
              "providerUserInfo": []
            },
            {
              "localId": "abc2",
              "email": "sam@example.com",
              "emailVerified": false,
              "disabled": true,
              "providerUserInfo": [{"providerId": "google.com", "rawId": "1"}]
            }]}
            """)
        XCTAssertEqual(index.format, .firebase)
        XCTAssertEqual(index.container, .memberArray("users"))
        XCTAssertEqual(index.count, 2, "one record per user, not one per line")
        XCTAssertEqual(records, [
            #"{"email":"kim@example.com","email_verified":true,"name":"Kim, Lee","custom_attributes":{"tier":"gold"}}"#,
            #"{"email":"sam@example.com","disabled":true}"#,
        ])
        let report = validate(index)
        XCTAssertEqual(report.issues[0]?.first { $0.rule == "password.not_importable" }?.message.contains("Firebase scrypt"), true)
        XCTAssertEqual(report.withoutImportablePassword, 1)
        // The pass (fast path plus the mapping's notes) and the full verdict agree.
        let pass = ValidationPass(index: index, settings: ValidationSettings(identifier: .email, upsert: false))
        for n in 0..<index.count { XCTAssertEqual(pass.verdict(n).issues, report.issues[n] ?? [], "record \(n)") }
    }

    func testFirebaseHeaderlessCSVBothLayouts() throws {
        func row(_ count: Int) -> String {
            var f = [String](repeating: "", count: count)
            f[0] = "uid9"; f[1] = "ray@example.com"; f[2] = "true"; f[3] = "aGFzaA=="; f[4] = "c2FsdA=="; f[5] = "\"Ray, R\""
            f[7] = "1234"; f[23] = "1700000000000"; f[24] = "1700000500000"; f[26] = "false"
            return f.joined(separator: ",")
        }
        for (count, preset) in [(29, "firebase-csv29"), (53, "firebase-csv53")] {
            let (index, records) = try open(row(count) + "\n", name: "users.csv")
            XCTAssertEqual(index.format, .firebase)
            XCTAssertEqual(index.presetName, preset)
            XCTAssertEqual(records, [#"{"email":"ray@example.com","email_verified":true,"name":"Ray, R"}"#])
            let report = validate(index)
            XCTAssertEqual(report.issues[0]?.map(\.rule), ["password.not_importable"])
            let labels = index.recordMapping!.notImportedLabels
            XCTAssertEqual(report.notImported[labels.firstIndex(of: "OAuth/social identities (provider columns)")!], 1)
        }
    }

    // MARK: - The others

    func testSupabaseJSONAndCSV() throws {
        let (json, jsonRecords) = try open(#"""
            [{"instance_id":"0000","id":"u-1","aud":"authenticated","email":"Eve@Example.com","encrypted_password":"$2a$10$\#(String(repeating: "Q", count: 53))",
              "email_confirmed_at":"2024-01-15 10:30:00.000000+00","phone":"6591234567","raw_user_meta_data":"{\"full_name\":\"Eve Tan\"}",
              "banned_until":"2030-01-01 00:00:00+00","created_at":"2024-01-15 10:30:00.000000+00","deleted_at":""}]
            """#)
        XCTAssertEqual(json.format, .supabase)
        XCTAssertEqual(jsonRecords, [#"{"email":"eve@example.com","email_verified":true,"phone_number":"+6591234567","name":"Eve Tan","account_valid_from":"2030-01-01T00:00:00+00:00","password":{"type":"bcrypt","password_hash":"$2a$10$\#(String(repeating: "Q", count: 53))"}}"#])
        let (csv, csvRecords) = try open("""
            instance_id,id,aud,email,encrypted_password,email_confirmed_at,raw_user_meta_data
            0000,u-2,authenticated,joe@example.com,$argon2id$v=19$m=4096$c2FsdA$aGFzaA,,{}

            """, name: "users.csv")
        XCTAssertEqual(csv.format, .supabase)
        XCTAssertEqual(csvRecords, [#"{"email":"joe@example.com"}"#])
        XCTAssertEqual(validate(csv).issues[0]?.first?.message.contains("Argon2id"), true)
    }

    func testClerkCSVWithCommentLineAndJSON() throws {
        let (csv, records) = try open("""
            # exported from the dashboard
            id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher
            user_2a,Jo,Ng,,jo@example.com,,jo@example.com|old@example.com,,,,,\(hash),bcrypt
            user_2b,Al,,,al@example.com,+6591234567,,,+6591234567,,,$argon2id$v=19$abc,argon2id

            """, name: "clerk.csv")
        XCTAssertEqual(csv.format, .clerk)
        XCTAssertEqual(records, [
            #"{"email":"jo@example.com","email_verified":true,"given_name":"Jo","family_name":"Ng","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#,
            #"{"email":"al@example.com","phone_number":"+6591234567","phone_number_verified":true,"given_name":"Al"}"#,
        ])
        XCTAssertEqual(validate(csv).issues[1]?.first?.message.contains("argon2id"), true)
        let (json, jsonRecords) = try open(#"[{"id":"user_3","primary_email_address":"z@example.com","password_digest":null,"password_hasher":null,"public_metadata":{}}]"#)
        XCTAssertEqual(json.presetName, "clerk-json")
        XCTAssertEqual(jsonRecords, [#"{"email":"z@example.com"}"#])
    }

    func testCognitoListUsersAndCSV() throws {
        let (json, records) = try open("""
            {
              "Users": [
                {"Username": "u-1", "Attributes": [{"Name": "sub", "Value": "u-1"}, {"Name": "email", "Value": "Ann@Example.com"},
                 {"Name": "email_verified", "Value": "true"}, {"Name": "custom:tier", "Value": "gold"}],
                 "UserCreateDate": "2024-01-01T00:00:00Z", "Enabled": false, "UserStatus": "CONFIRMED"}
              ]
            }
            """)
        XCTAssertEqual(json.format, .cognito)
        XCTAssertEqual(records, [#"{"email":"ann@example.com","email_verified":true,"custom_attributes":{"tier":"gold"},"disabled":true}"#])
        XCTAssertEqual(json.legacyKey(span: json.span(0)), "u-1")
        let (csv, csvRecords) = try open("""
            name,given_name,email,email_verified,phone_number,phone_number_verified,address,custom:plan,cognito:mfa_enabled,cognito:username
            Jane Roe,Jane,jane@example.com,true,+6591234567,false,1 Main St,pro,false,jane

            """, name: "c.csv")
        XCTAssertEqual(csv.presetName, "cognito-csv")
        XCTAssertEqual(csvRecords, [#"{"email":"jane@example.com","email_verified":true,"phone_number":"+6591234567","name":"Jane Roe","given_name":"Jane","address":{"formatted":"1 Main St"},"custom_attributes":{"plan":"pro"}}"#])
    }

    func testKeycloakRealmExport() throws {
        let (index, records) = try open(#"""
            {
              "realm": "demo",
              "enabled": true,
              "users": [
                {"id": "k-1", "username": "lee", "enabled": false, "emailVerified": true, "email": "lee@example.com", "firstName": "Lee",
                 "attributes": {"locale": ["fr"]},
                 "credentials": [
                   {"type": "password", "secretData": "{\"value\":\"abc=\",\"salt\":\"c2FsdA==\"}", "credentialData": "{\"hashIterations\":27500,\"algorithm\":\"pbkdf2-sha256\"}"},
                   {"type": "otp", "secretData": "{\"value\":\"Hello\"}", "credentialData": "{\"subType\":\"totp\"}"}],
                 "realmRoles": ["default-roles-demo", "offline_access"], "federatedIdentities": [{"identityProvider": "google"}]}
              ]
            }
            """#)
        XCTAssertEqual(index.format, .keycloak)
        XCTAssertEqual(index.container, .memberArray("users"))
        XCTAssertEqual(records, [#"{"email":"lee@example.com","email_verified":true,"preferred_username":"lee","given_name":"Lee","locale":"fr","disabled":true,"mfa":{"totp":{"secret":"JBSWY3DP"}}}"#])
        XCTAssertEqual(validate(index).issues[0]?.first { $0.rule == "password.not_importable" }?.message.contains("pbkdf2-sha256"), true)
    }

    func testOktaAPIJSONAndCSV() throws {
        let (json, records) = try open("""
            [
              {
                "id": "00u1",
                "status": "SUSPENDED",
                "profile": {"firstName": "Mei", "login": "mei@example.com", "email": "Mei@Example.com", "mobilePhone": "+65 9123 4567", "locale": "en_US"},
                "credentials": {"password": {}, "emails": [{"value": "Mei@Example.com", "status": "VERIFIED", "type": "PRIMARY"}]}
              }
            ]
            """)
        XCTAssertEqual(json.format, .okta)
        XCTAssertEqual(records, [#"{"email":"mei@example.com","email_verified":true,"given_name":"Mei","phone_number":"+6591234567","locale":"en-US","disabled":true}"#])
        let (csv, csvRecords) = try open("login,firstName,lastName,email,city,countryCode\nomar@example.com,Omar,H,omar@example.com,Oslo,NO\n", name: "o.csv")
        XCTAssertEqual(csv.presetName, "okta-csv")
        XCTAssertEqual(csvRecords, [#"{"email":"omar@example.com","given_name":"Omar","family_name":"H","address":{"locality":"Oslo","country":"NO"}}"#])
    }

    func testDjangoDumpdataKeepsOnlyUsers() throws {
        let (index, records) = try open("""
            [{"model": "auth.group", "pk": 1, "fields": {"name": "staff"}},
             {"model": "auth.user", "pk": 7, "fields": {"username": "ada", "email": "ada@example.com", "first_name": "", "is_active": false, "password": "bcrypt$\(hash)"}},
             {"model": "auth.user", "pk": 8, "fields": {"username": "bob", "email": "bob@example.com", "is_active": true, "password": "bcrypt_sha256$\(hash)"}}]
            """)
        XCTAssertEqual(index.format, .django)
        XCTAssertEqual(records, [
            #"{"email":"ada@example.com","preferred_username":"ada","disabled":true,"password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#,
            #"{"email":"bob@example.com","preferred_username":"bob"}"#,
        ])
        XCTAssertEqual(validate(index).issues[1]?.first?.message.contains("bcrypt_sha256"), true)
    }

    func testLaravelDeviseWordPressTables() throws {
        let (laravel, l) = try open("id,name,email,email_verified_at,password,remember_token\n1,Tay,tay@example.com,2024-01-01 00:00:00,$2y$10$\(String(repeating: "y", count: 53)),tok\n", name: "l.csv")
        XCTAssertEqual(laravel.format, .laravel)
        XCTAssertEqual(l, [#"{"email":"tay@example.com","email_verified":true,"name":"Tay","password":{"type":"bcrypt","password_hash":"$2y$10$\#(String(repeating: "y", count: 53))"}}"#])
        let (devise, d) = try open("id,email,encrypted_password,sign_in_count,confirmed_at\n1,rb@example.com,$2a$12$\(String(repeating: "z", count: 53)),3,\n", name: "d.csv")
        XCTAssertEqual(devise.format, .devise)
        XCTAssertEqual(d, [#"{"email":"rb@example.com","password":{"type":"bcrypt","password_hash":"$2a$12$\#(String(repeating: "z", count: 53))"}}"#])
        let wpHash = "$wp$2y$10$" + String(repeating: "w", count: 53)
        let (wp, w) = try open("ID,user_login,user_pass,user_nicename,user_email,user_registered,display_name\n1,ed,\(wpHash),ed,ed@example.com,2025-01-01 00:00:00,Ed\n2,old,$P$B1234567890123456789012345678901,old,old@example.com,2005-01-01 00:00:00,Old\n", name: "w.csv")
        XCTAssertEqual(wp.format, .wordpress)
        XCTAssertEqual(w, [#"{"email":"ed@example.com","preferred_username":"ed","name":"Ed"}"#, #"{"email":"old@example.com","preferred_username":"old","name":"Old"}"#],
                       "$wp$2y$ is never stripped into a bcrypt hash that can never match")
        let report = validate(wp)
        XCTAssertEqual(report.issues[0]?.first?.message.contains("$wp$2y$"), true)
        XCTAssertEqual(report.issues[1]?.first?.message.contains("phpass"), true)
    }

    // MARK: - Detection and formats

    func testAPrettyPrintedObjectIsNeverNDJSON() {
        let path = TestFiles.write("{\n  \"meta\": {\"v\": 1},\n  \"items\": [{\"email\": \"a@example.com\"}]\n}\n")
        XCTAssertThrowsError(try RecordIndex.open(path: path)) { error in
            let message = (error as? SourceError)?.message ?? ""
            XCTAssertTrue(message.contains("no known shape"), message)
            XCTAssertTrue(message.contains("meta, items"), message)
        }
    }

    func testAMultiRealmKeycloakExportIsRefusedWithWhatToDo() {
        let path = TestFiles.write(#"[{"realm": "a", "users": [{"id": "1", "username": "x", "credentials": []}]}, {"realm": "b", "users": []}]"#)
        XCTAssertThrowsError(try RecordIndex.open(path: path)) { error in
            XCTAssertTrue((error as? SourceError)?.message.contains(#"2 Keycloak realms ("a", "b")"#) ?? false, "\(error)")
            XCTAssertTrue((error as? SourceError)?.hint?.contains("--realm NAME") ?? false, "\(error)")
        }
    }

    func testFormatNamesThePresetAndPlainRecordsStayPlain() throws {
        let (plain, records) = try open("{\"email\":\"a@example.com\"}\n")
        XCTAssertEqual(plain.format, .ndjson)
        XCTAssertNil(plain.recordMapping)
        XCTAssertEqual(records, [#"{"email":"a@example.com"}"#])
        // --format names a system whose records were not recognised: its preset for that layout.
        let (forced, forcedRecords) = try open("{\"user_id\":\"x\",\"email\":\"B@example.com\"}\n", format: .auth0)
        XCTAssertEqual(forced.format, .auth0)
        XCTAssertEqual(forcedRecords, [#"{"email":"b@example.com"}"#])
    }

    func testEveryPresetParses() {
        for name in SourcePresets.names { XCTAssertNotNil(SourcePresets.mapping(name), name) }
    }
}
