import XCTest
@testable import MigrationCore

final class LoginIDRulesTests: XCTestCase {
    let project = ProjectConfig.default

    private func value(_ raw: String, _ type: LoginIDType, _ project: ProjectConfig = .default,
                       file: StaticString = #filePath, line: UInt = #line) -> String? {
        switch LoginIDRules.normalize(raw, type: type, project: project) {
        case .success(let v): return v
        case .failure(let f): XCTFail("unexpected failure \(f)", file: file, line: line); return nil
        }
    }

    private func failure(_ raw: String, _ type: LoginIDType, _ project: ProjectConfig = .default,
                         file: StaticString = #filePath, line: UInt = #line) -> LoginIDFailure? {
        switch LoginIDRules.normalize(raw, type: type, project: project) {
        case .success(let v): XCTFail("expected a failure, got \(v)", file: file, line: line); return nil
        case .failure(let f): return f
        }
    }

    private func project(email: EmailLoginIDOptions = .init(), username: UsernameLoginIDOptions = .init(),
                         allowlist: [String]? = nil, keys: [LoginIDKey]? = nil) -> ProjectConfig {
        var p = ProjectConfig(email: email, username: username, phoneInput: PhoneInputOptions(allowlist: allowlist))
        if let keys { p.loginIDKeys = keys }
        return p
    }

    // MARK: - Common checks (order: key, max length, required)

    func testWhitespaceOnlyIsRequired() {
        let f = failure("   ", .username)
        XCTAssertEqual(f?.kind, "required")
        XCTAssertNil(f?.details)
        XCTAssertEqual(f?.cause, .obj(["location": .string("/login_id"), "kind": .string("required")]))
        XCTAssertEqual(failure("", .email)?.kind, "required")
        XCTAssertEqual(failure("\u{3000}\t\n", .phone)?.kind, "required")
    }

    func testTrimsGoWhiteSpaceBeforeEverything() {
        XCTAssertEqual(value("  alice@example.com \n", .email), "alice@example.com")
        XCTAssertEqual(value("\u{00A0}bob\u{2003}", .username), "bob")
    }

    func testMaxLengthCountsBytesAfterTrim() {
        let local = String(repeating: "a", count: 64)
        let email321 = local + "@" + String(repeating: "b", count: 321 - 65)
        XCTAssertEqual(email321.utf8.count, 321)
        let f = failure(email321, .email)
        XCTAssertEqual(f?.kind, "maxLength")
        XCTAssertEqual(f?.details, .obj(["actual": .number("321"), "expected": .number("320")]))
        let email320 = String(email321.dropLast())
        XCTAssertEqual(value("  " + email320 + "  ", .email), email320)
        XCTAssertEqual(failure(String(repeating: "é", count: 21), .username)?.details,
                       .obj(["actual": .number("42"), "expected": .number("40")]))
        let custom = project(keys: [LoginIDKey(key: "username", type: .username, maxLength: 3)])
        XCTAssertEqual(failure("abcd", .username, custom)?.kind, "maxLength")
    }

    func testMissingKeyIsNotAllowedEvenWhenTooLong() {
        let p = project(keys: [LoginIDKey(key: "email", type: .email)])
        let f = failure(String(repeating: "x", count: 100), .username, p)
        XCTAssertEqual(f?.kind, "general")
        XCTAssertEqual(f?.details, .obj(["msg": .string("login ID key is not allowed")]))
        XCTAssertEqual(f?.message, "login ID key is not allowed")
    }

    // MARK: - Email

    func testEmailFoldsCaseUnlessCaseSensitive() {
        XCTAssertEqual(value("lowerUPPER@ca.se", .email), "lowerupper@ca.se")
        let sensitive = project(email: EmailLoginIDOptions(caseSensitive: true))
        XCTAssertEqual(value("lowerUPPER@ca.se", .email, sensitive), "lowerUPPER@ca.se")
        XCTAssertEqual(value("Faseng@Example.COM", .email, sensitive), "Faseng@example.com")
    }

    func testEmailUsesFullCaseFoldingNotLowercasing() {
        XCTAssertEqual(value("STRAẞE@Example.com", .email), "strasse@example.com")
        XCTAssertEqual(value("ΣΟΦΟΣ@x.gr", .email), "σοφοσ@x.gr")
        XCTAssertEqual(value("ﬁle@x.com", .email), "file@x.com")
    }

    func testEmailUnicodeDomainStoredFoldedAndPunycodeOnlyInUniqueKey() throws {
        let result = try LoginIDRules.normalizeWithUniqueKey("faseng.ℌ𝒌@測試.香港", type: .email, project: project).get()
        XCTAssertEqual(result.value, "faseng.hk@測試.香港")
        XCTAssertEqual(result.uniqueKey, "faseng.hk@xn--g6w251d.xn--j6w193g")
        let ascii = try LoginIDRules.normalizeWithUniqueKey("A@B.com", type: .email, project: project).get()
        XCTAssertEqual(ascii, NormalizedLoginID(value: "a@b.com", uniqueKey: "a@b.com"))
        XCTAssertEqual(try LoginIDRules.normalizeWithUniqueKey("x@MÜNCHEN.de", type: .email, project: project).get().uniqueKey,
                       "x@xn--mnchen-3ya.de")
    }

    func testEmailFormat() {
        for bad in ["fasengthecat", "faseng.the.cat", "fasengthecat@", "@fasengthecat", "Faseng <faseng@example>",
                    "a@b (Alice)", "a..b@x.com", "a@b@c", "a b@x.com"] {
            let f = failure(bad, .email)
            XCTAssertEqual(f?.kind, "format", bad)
            XCTAssertEqual(f?.details, .obj(["format": .string("email")]), bad)
        }
        for good in [#""fase ng@cat"@example.com"#, #""faseng@"@example.com"#, "a@b", "<a@b.com>", "x@[127.0.0.1]", "a@b ( )"] {
            if case .failure(let f) = LoginIDRules.normalize(good, type: .email, project: project) { XCTFail("\(good): \(f)") }
        }
        XCTAssertEqual(value(#""faseng@"@Example.com"#, .email), #""faseng@"@example.com"#)
    }

    func testBlockPlusSign() {
        let p = project(email: EmailLoginIDOptions(blockPlusSign: true))
        XCTAssertEqual(failure("Faseng+Chima@example.com", .email, p)?.details, .obj(["reason": .string("BlockPlusSign")]))
        XCTAssertEqual(failure(#""faseng@cat+123"@example.com"#, .email, p)?.kind, "blocked")
        XCTAssertEqual(value("Faseng@Example.com", .email, p), "faseng@example.com")
        XCTAssertEqual(value("a+b@example.com", .email), "a+b@example.com")
    }

    func testIgnoreDotSign() {
        let p = project(email: EmailLoginIDOptions(ignoreDotSign: true))
        XCTAssertEqual(value("Fa.Seng.The.Cat@ex.ample.com", .email, p), "fasengthecat@ex.ample.com")
    }

    func testEmailNormaliserFailureIsUnexpectedError() {
        // A tab inside a quoted local part passes net/mail but not the PRECIS FreeForm class.
        let f = failure("\"a\tb\"@x.com", .email)
        XCTAssertEqual(f?.isUnexpectedError, true)
    }

    // MARK: - Username

    func testReservedUsernames() {
        for name in ["admin", "ADMIN", "Root", "support", "test", "user", "api", "wor", ".well-known"] {
            let f = failure(name, .username)
            XCTAssertEqual(f?.details, .obj(["reason": .string("UsernameReserved")]), name)
            XCTAssertEqual(f?.message, "username is reserved")
        }
        XCTAssertEqual(value("administrators", .username), "administrators")
        XCTAssertEqual(value("work", .username), "work")
        XCTAssertEqual(value("admin", .username, project(username: UsernameLoginIDOptions(blockReservedUsernames: false))), "admin")
    }

    func testReservedNameListIsTheServersFile() {
        XCTAssertEqual(ReservedNames.text.filter { $0 == "\n" }.count, 625)
        XCTAssertTrue(ReservedNames.text.hasPrefix("abuse\nadmin\n"))
        XCTAssertTrue(ReservedNames.text.hasSuffix("\nweblog\nwor"))
        XCTAssertTrue(UsernameLoginIDChecker.reservedNames.isSuperset(of: ["admin", "root", "support", "test", "user", "api"]))
    }

    func testUsernameFoldsCaseUnlessCaseSensitive() {
        XCTAssertEqual(value("JohnDoe", .username), "johndoe")
        XCTAssertEqual(value("JohnDoe", .username, project(username: UsernameLoginIDOptions(caseSensitive: true))), "JohnDoe")
    }

    func testUsernamePrecisIdentifierClass() {
        XCTAssertEqual(failure("Test ID", .username)?.details, .obj(["format": .string("username")]))
        let unicode = project(username: UsernameLoginIDOptions(asciiOnly: false))
        XCTAssertEqual(failure("Test ID", .username, unicode)?.kind, "format")
        XCTAssertEqual(failure("ｊｏｈｎ", .username, unicode)?.kind, "format")  // width compatibility chars
        XCTAssertEqual(failure("a\u{200D}b", .username, unicode)?.kind, "format") // ZWJ without virama
        XCTAssertEqual(value("花生thecat", .username, unicode), "花生thecat")
        XCTAssertEqual(value("Straße", .username, unicode), "strasse")
        XCTAssertEqual(value("a!b#c", .username, unicode), "a!b#c")
    }

    func testAsciiOnly() {
        XCTAssertEqual(failure("花生thecat", .username)?.details, .obj(["format": .string("username")]))
        XCTAssertEqual(failure("a!b", .username)?.kind, "format")
        XCTAssertEqual(value("faseng_chima-the.cat", .username), "faseng_chima-the.cat")
    }

    func testExcludedKeywords() {
        let p = project(username: UsernameLoginIDOptions(excludedKeywords: ["  AuthGear ", ""]))
        for name in ["authgear", "myAUTHGEARapp"] {
            XCTAssertEqual(failure(name, .username, p)?.details, .obj(["reason": .string("UsernameExcludedKeywords")]), name)
        }
        XCTAssertEqual(value("faseng", .username, p), "faseng")
        // Reserved names are checked first.
        let both = project(username: UsernameLoginIDOptions(excludedKeywords: ["adm"]))
        XCTAssertEqual(failure("admin", .username, both)?.details, .obj(["reason": .string("UsernameReserved")]))
    }

    func testConfusableCharacters() {
        let unicode = project(username: UsernameLoginIDOptions(asciiOnly: false))
        let f = failure("microsоft", .username, unicode) // Cyrillic о
        XCTAssertEqual(f?.kind, "general")
        XCTAssertEqual(f?.details, .obj(["msg": .string("username contains confusable characters")]))
        XCTAssertEqual(value("microsoft", .username, unicode), "microsoft")
        // With ascii_only on, the ASCII rule fires first.
        XCTAssertEqual(failure("microsоft", .username)?.kind, "format")
    }

    // MARK: - Phone

    func testPhone() {
        XCTAssertEqual(value(" +85298765432 ", .phone), "+85298765432")
        XCTAssertEqual(failure("85298765432", .phone)?.details, .obj(["format": .string("phone")]))
        XCTAssertEqual(failure("+0000", .phone)?.kind, "format")
        let us = project(allowlist: ["US"])
        XCTAssertEqual(failure("+85298765432", .phone, us)?.details,
                       .obj(["reason": .string("PhoneNumberCountryCodeAllowlist")]))
        XCTAssertEqual(value("+12124567890", .phone, us), "+12124567890")
    }
}
