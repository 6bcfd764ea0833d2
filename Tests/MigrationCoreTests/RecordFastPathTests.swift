import XCTest
@testable import MigrationCore

/// The fast path must give exactly the full validator's verdict whenever it gives one.
final class RecordFastPathTests: XCTestCase {
    /// The full validator's verdict for a record text: issues, compact size, fingerprints.
    private func slowVerdict(_ text: String, _ settings: ValidationSettings) -> (issues: [Issue], size: Int, fingerprints: Set<UInt64>)? {
        guard let value = try? JSONParser.parse(text) else { return nil }
        let r = RecordValidator(settings: settings).validate(value)
        let size = Array(text.utf8).withUnsafeBytes { JSONCompactor.compactLength($0) }
        let v = ValidationPass.RecordVerdict(issues: r.issues, size: size, excluded: false, normalizedIdentifier: r.normalizedIdentifier,
                                             identifierKey: r.identifierKey, otherLoginIDs: r.otherLoginIDs)
        return (r.issues, size, Set(LoginIDKeys.hashes(of: v)))
    }

    private func fastVerdict(_ text: String, _ settings: ValidationSettings) -> RecordFastPath.Verdict? {
        Array(text.utf8).withUnsafeBytes { RecordFastPath(settings: settings).check($0) }
    }

    /// Compares the two paths; returns whether the fast path decided.
    @discardableResult
    private func assertSame(_ text: String, _ settings: ValidationSettings, file: StaticString = #filePath, line: UInt = #line) -> Bool {
        guard let fast = fastVerdict(text, settings) else { return false }
        guard let slow = slowVerdict(text, settings) else {
            XCTFail("fast path accepted a record the parser refuses: \(text)", file: file, line: line)
            return true
        }
        XCTAssertEqual(fast.issues, slow.issues, "issues differ for \(text) with \(settings)", file: file, line: line)
        XCTAssertEqual(fast.size, slow.size, "size differs for \(text)", file: file, line: line)
        XCTAssertEqual(Set(fast.fingerprintList), slow.fingerprints, "fingerprints differ for \(text) with \(settings)", file: file, line: line)
        XCTAssertFalse(slow.issues.contains { $0.severity == .error }, "fast path passed a record with errors: \(text)", file: file, line: line)
        return true
    }

    static let benchRecord = #"{"email":"ada.lovelace.0@example.com","email_verified":false,"name":"Ada Lovelace","given_name":"Ada","family_name":"Lovelace","phone_number":"+85261000000","password":{"type":"bcrypt","password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},"custom_attributes":{"member_id":"M100000","tier":"gold"},"roles":["role_a"]}"#

    func testTypicalRecordsAreDecidedByTheFastPathWithTheSameVerdict() {
        let settings = ValidationSettings(identifier: .email)
        XCTAssertTrue(assertSame(Self.benchRecord, settings))
        XCTAssertEqual(fastVerdict(Self.benchRecord, settings)?.issues.map(\.rule), ["insert.false_no_effect"])
        let pretty = """
            {
              "email" : "grace@example.org",
              "email_verified": true,
              "disabled": false,
              "name": "Grace Hopper", "nickname": null,
              "custom_attributes": { "tier": null },
              "groups": [ "group_a", "group_b" ]
            }
            """
        XCTAssertTrue(assertSame(pretty, settings))
        XCTAssertTrue(assertSame(#"{"email":"josé@example.com"}"#.replacingOccurrences(of: "é", with: "e"), settings))
        XCTAssertTrue(assertSame(#"{"email":"a@b.c","name":"José Ñandú 山田"}"#, settings))
        XCTAssertTrue(assertSame(#"{"email":"a@b.c","birthdate":"1990-01-31","zoneinfo":"Asia/Tokyo","locale":"ja-JP","address":{"country":"JP"},"custom_attributes":{"age":42},"account_valid_from":"2024-01-01T00:00:00Z","account_valid_until":"2025-01-01T00:00:00Z"}"#, settings))
    }

    func testRecordsOutsideTheFastPathGoToTheFullValidator() {
        let settings = ValidationSettings(identifier: .email)
        for text in [
            #"{"email":"A@b.com"}"#,                     // normalised differently: a warning
            #"{"email":"a\u0040b.com"}"#,                // escape
            #"{"email":"a@b.com","email":"c@d.com"}"#,   // duplicate key
            #"{"email":"a@b.com","age":1}"#,             // unknown field
            #"{"email":"a@b.com","custom_attributes":{"member_id":7}}"#,
            #"{"email":"a@b.com","birthdate":"1990-02-30"}"#,
            #"{"email":"a@b.com","account_valid_from":"2030-01-01T00:00:00Z","account_valid_until":"2020-01-01T00:00:00Z"}"#,
            #"{"email":"a@b.com","name":""}"#,
            #"{"email":"a@b.com","roles":["role_x"]}"#,
            #"{"email":"a@b.com","password":{"type":"bcrypt","password_hash":"$2a$10$short"}}"#,
            #"{"email":"a@b.com"} "#,
            #"{"email":"a@xn--80ak6aa92e.com"}"#,
            #"{"phone_number":"+85261000000"}"#,         // identifier missing
            "{\"email\":\"a@b.com\",\"name\":\"a\u{1}\"}",
        ] {
            XCTAssertNil(fastVerdict(text, settings), text)
        }
    }

    /// Records built from fields with many valid, invalid and borderline values, in random
    /// order and spacing, under several identifiers and project options.
    func testGeneratedRecordsGetTheSameVerdict() {
        let values: [(String, [String])] = [
            ("email", [#""ada@example.com""#, #""a.b-c_d+e@x-y.example.co""#, #""A@b.com""#, #""a..b@c.com""#, #"".a@b.com""#,
                       #""a.@b.com""#, #""a@b..com""#, #""a@-b.com""#, #""a@b-.com""#, #""a@b--c.com""#, #""a--b@c.com""#,
                       #""a+tag@x.com""#, #""a_b@x_y.com""#, #""a@b""#, #""@b.com""#, #""a@""#, #""a@b@c""#, #""a b@c.com""#,
                       #""ä@b.com""#, #""a@bü.com""#, #""-a@b.com""#, #""a@b.c-""#, #""a@.b""#, #""a@b.""#, #""""#, "null", "1",
                       #""a@b+c.com""#, #""a@b_c.com""#, #""x@localhost""#, #"" a@b.com""#, "\"" + String(repeating: "a", count: 315) + "@b.com\""]),
            ("phone_number", [#""+85261234567""#, #""+85294000000""#, #""+852 6123 4567""#, #""85261234567""#, #""+16502530000""#,
                              #""+442071838750""#, #""+8613800138000""#, #""""#, #""+0""#, #""+85200000000""#, #""+8526123456""#, "null"]),
            ("preferred_username", [#""alice""#, #""Alice""#, #""admin""#, #""a b""#, #""""#, #""bob_1""#, #""ä""#, "null"]),
            ("email_verified", ["true", "false", "null", #""true""#]),
            ("phone_number_verified", ["true", "false"]),
            ("disabled", ["true", "false", "0"]),
            ("name", [#""Ada""#, #""""#, "null", "5", #""José""#]),
            ("given_name", [#""Ada""#, "null"]),
            ("nickname", [#""ada""#, #""""#]),
            ("password", [#"{"type":"bcrypt","password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"password_hash":"$2b$04$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy","type":"bcrypt"}"#,
                          #"{"type":"bcrypt","password_hash":"$2y$31$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"type":"bcrypt","password_hash":"$2a$03$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"type":"bcrypt","password_hash":"$2a$32$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"type":"bcrypt","password_hash":"$2x$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"type":"bcrypt","password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhW"}"#,
                          #"{"type":"sha1","password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{"type":"bcrypt","type":"bcrypt","password_hash":"$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"}"#,
                          #"{}"#, "null"]),
            ("custom_attributes", [#"{"member_id":"M1","tier":"gold"}"#, #"{"tier":"bronze"}"#, #"{"member_id":""}"#, #"{"unknown":"x"}"#,
                                   #"{"age":5}"#, #"{"age":-1}"#, #"{"age":5.5}"#, #"{"age":1e2}"#, #"{"age":-0}"#, #"{"age":01}"#,
                                   #"{"age":"5"}"#, #"{"age":true}"#, #"{"age":1.}"#, #"{"age":2E+1}"#, #"{"member_id":7}"#,
                                   #"{"member_id":null}"#, "{}", "[]", #"{"tier":"silver","tier":"gold"}"#,
                                   #"{"mobile":"+85261234567","contact":"a@b.com","home":"https://x.org","country":"HK","score":0.5}"#,
                                   #"{"mobile":"85261234567","contact":"nope","home":"x","country":"ZZ","score":"1"}"#,
                                   #"{"":""}"#, #"{"":"x"}"#, #"{"":"y"}"#]),
            ("roles", [#"["role_a"]"#, "[]", #"["role_x"]"#, #"[""]"#, #""role_a""#, "[1]", #"["role_a","role_c"]"#]),
            ("groups", [#"["group_a"]"#, #"["group_c"]"#]),
            ("mfa", [#"{"email":"a@b.com"}"#]),
            ("birthdate", [#""1990-01-01""#, #""1990-13-01""#, #""--01-02""#, "null", #""""#, "19900101"]),
            ("zoneinfo", [#""Asia/Hong_Kong""#, #""UTC""#, #""Mars/Base""#, "null"]),
            ("locale", [#""en-US""#, #""en-us""#, #""zh-Hant-HK""#, #""""#, "null"]),
            ("website", [#""https://example.com/a""#, #""example.com""#, #""https://example.com/../a""#, "null"]),
            ("picture", [#""https://example.com/p.png""#, #""authgearimages:///a/b""#, #""ftp://x/y""#]),
            ("address", [#"{"country":"HK","locality":"Kowloon"}"#, #"{"country":""}"#, #"{"unknown":"x"}"#, "null", "{}", "[]",
                         #"{"country":"HK","country":"GB"}"#]),
            ("account_valid_from", [#""2024-01-01T00:00:00Z""#, #""2030-01-01T00:00:00Z""#, #""2024-01-01""#, "null"]),
            ("account_valid_until", [#""2025-01-01T00:00:00+08:00""#, #""2020-01-01T00:00:00Z""#]),
        ]
        var project = ProjectConfig()
        var settingsList = [
            ValidationSettings(identifier: .email), ValidationSettings(identifier: .email, upsert: true),
            ValidationSettings(identifier: .phoneNumber), ValidationSettings(identifier: .preferredUsername),
        ]
        project.email = EmailLoginIDOptions(caseSensitive: true, blockPlusSign: true, ignoreDotSign: true)
        project.phoneInput = PhoneInputOptions(validationMethod: .isPossibleNumber)
        settingsList.append(ValidationSettings(identifier: .email, project: project))
        project = ProjectConfig()
        project.loginIDKeys = [LoginIDKey(key: "email", type: .email, maxLength: 20)]
        settingsList.append(ValidationSettings(identifier: .email, project: project))
        project = ProjectConfig()
        project.customAttributes += [
            CustomAttribute(name: "mobile", type: .phoneNumber), CustomAttribute(name: "contact", type: .email),
            CustomAttribute(name: "home", type: .url), CustomAttribute(name: "country", type: .countryCode),
            CustomAttribute(name: "score", type: .number, minimum: 0, maximum: 1),
        ]
        project.roles.append("")   // an odd project: the schema still refuses empty role strings
        project.customAttributes.append(CustomAttribute(name: "", type: .enumeration, enumValues: ["", "x"]))
        settingsList.append(ValidationSettings(identifier: .email, project: project))
        project = ProjectConfig()
        project.loginIDKeys = [LoginIDKey(key: "email", type: .email), LoginIDKey(key: "phone", type: .phone, maxLength: 12)]
        project.phoneInput = PhoneInputOptions(allowlist: ["HK"])
        settingsList.append(ValidationSettings(identifier: .phoneNumber, project: project))

        var rng = SystemRandomNumberGenerator()
        var decided = 0
        let spaces = ["", " ", "\n  ", "\t"]
        for _ in 0..<10_000 {
            var fields = values.filter { _ in Int.random(in: 0..<3, using: &rng) == 0 }
            if Bool.random(using: &rng) { fields.insert(values[0], at: 0) }
            fields.shuffle(using: &rng)
            let sp = { spaces.randomElement(using: &rng)! }
            // The first value of each field is valid: pick it half of the time.
            let pick = { (options: [String]) in Bool.random(using: &rng) ? options[0] : options.randomElement(using: &rng)! }
            let members = fields.map { "\(sp())\"\($0.0)\"\(sp()):\(sp())\(pick($0.1))\(sp())" }
            let text = "{" + members.joined(separator: ",") + "}"
            for settings in settingsList where assertSame(text, settings) { decided += 1 }
        }
        XCTAssertGreaterThan(decided, 1000, "the fast path should decide a good share of these records")
    }

    /// A whole pass over a CSV source (rows judged through the JSON they map to) gives every
    /// record the full validator's issues.
    func testCSVPassMatchesTheFullValidatorOnEveryRow() throws {
        let hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
        var csv = "email,email_verified,name,phone_number,password_hash,custom_attributes.tier,roles,disabled\n"
        let rows = [
            "ada@example.com,true,Ada,+85261000000,\(hash),gold,role_a,false",
            "grace@example.com,false,Grace Hopper,,\(hash),silver,role_a;role_b,",
            "Alan@Example.com,,Alan,+85261000001,,,,",
            "linus@example.com,maybe,,+1,short,bronze,role_x,true",
            "\"ken, \"\"k\"\"@example.com\",true,Ken,,,,,",
            "barbara@example.com,FALSE,Barbara 山田,+85261000002,\(hash),,,",
            "ada@example.com,true,Ada again,,,,,",
        ]
        csv += rows.joined(separator: "\n") + "\n"
        let path = TestFiles.write(csv, name: "users.csv")
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let settings = ValidationSettings(identifier: .email)
        let report = ValidationPass(index: index, settings: settings).run()
        XCTAssertEqual(report.recordCount, rows.count)
        for n in 0..<rows.count {
            guard case .success(let value) = index.loadRecord(n) else { return XCTFail("row \(n) does not load") }
            var expected = RecordValidator(settings: settings).validate(value).issues
            if n == 0 || n == 6 { expected += report.issues[n]?.filter(ValidationPass.isDuplicateFinding) ?? [] }
            XCTAssertEqual(report.issues[n] ?? [], expected, "row \(n)")
            XCTAssertEqual(Int(report.recordSizes[n]), JSONWriter().bytes(value).count, "row \(n)")
        }
        XCTAssertEqual(report.issues[0]?.last?.rule, "duplicate_identifier")
    }

    /// Single-byte damage to a valid record: whatever the fast path still accepts must match.
    func testDamagedRecordsNeverGetADifferentVerdict() {
        let settings = ValidationSettings(identifier: .email)
        let original = Array(Self.benchRecord.utf8)
        let replacements: [UInt8] = Array("\"\\{}[],: .@+-_$aA0\u{1}".utf8) + [0xC3, 0xA9, 0xFF]
        for i in original.indices {
            for b in replacements {
                var damaged = original
                damaged[i] = b
                let text = String(decoding: damaged, as: UTF8.self)
                if damaged.withUnsafeBytes({ RecordFastPath(settings: settings).check($0) }) != nil {
                    XCTAssertEqual(Array(text.utf8), damaged, "fast path accepted invalid UTF-8")
                    assertSame(text, settings)
                }
            }
            var removed = original
            removed.remove(at: i)
            assertSame(String(decoding: removed, as: UTF8.self), settings)
        }
    }

    /// The word-at-a-time string scan finds the same byte as a plain loop, wherever it is.
    func testByteRunFindsTheFirstSpecialByteAnywhere() {
        var rng = SystemRandomNumberGenerator()
        let specials: [UInt8] = [0x22, 0x5C, 0x00, 0x0A, 0x1F, 0x80, 0xC3, 0xFF]
        for length in 0..<40 {
            for _ in 0..<200 {
                var bytes = (0..<length).map { _ in UInt8.random(in: 0x20...0x7E, using: &rng) }.map { $0 == 0x22 || $0 == 0x5C ? 0x41 : $0 }
                for _ in 0..<(length == 0 ? 0 : Int.random(in: 0...3, using: &rng)) {
                    bytes[Int.random(in: 0..<length, using: &rng)] = specials.randomElement(using: &rng)!
                }
                let from = length == 0 ? 0 : Int.random(in: 0...length, using: &rng)
                for stop in [false, true] {
                    let expected = (from..<length).first { i in
                        let b = bytes[i]
                        return b == 0x22 || b == 0x5C || b < 0x20 || (stop && b >= 0x80)
                    } ?? length
                    let found = bytes.withUnsafeBytes { $0.baseAddress.map { ByteRun.plainEnd($0, from: from, to: length, stopAtNonASCII: stop) } ?? 0 }
                    XCTAssertEqual(found, expected, "\(bytes) from \(from) stop \(stop)")
                }
            }
        }
    }
}
