import XCTest
@testable import MigrationCore

final class FormatRulesTests: XCTestCase {
    // MARK: email (Go net/mail.ParseAddress, no display name)

    func testEmailAccepts() {
        for s in ["a@b", "user@example.com", " user@example.com ", "first.last@sub.example.co",
                  "\"john doe\"@example.com", "user@[127.0.0.1]", "user@[IPv6:::1]", "user@[::ffff:1.2.3.4]",
                  "<user@example.com>", "user@example.com ()", "user@example.com (  )", "用户@例子.中国",
                  "a+tag@b.c", "=?utf-8?q??= <a@b>",
                  // Go returns the group's single member, whose Name is empty:
                  "group: a@b;"] {
            XCTAssertNil(FormatRules.email(s), s)
        }
    }

    func testEmailRejectsWithGoErrors() {
        let cases: [(String, String)] = [
            ("", "invalid email address: mail: no address"),
            ("   ", "invalid email address: mail: no address"),
            ("foobar", "invalid email address: mail: missing '@' or angle-addr"),
            ("foo.bar", "invalid email address: mail: missing '@' or angle-addr"),
            ("John Doe", "invalid email address: mail: no angle-addr"),
            ("John <j@x.com>", "invalid email address"),
            ("John Doe <user@example.com>", "invalid email address"),
            ("user@example.com (John)", "invalid email address"),
            ("a@b, c@d", "invalid email address: mail: expected single address, got \", c@d\""),
            ("<a@b", "invalid email address: mail: unclosed angle-addr"),
            ("<.a@b>", "invalid email address: mail: leading dot in atom"),
            ("<a..b@c>", "invalid email address: mail: double dot in atom"),
            ("<a.@b>", "invalid email address: mail: trailing dot in atom"),
            ("<a@>", "invalid email address: mail: invalid string"),
            ("<@b>", "invalid email address: mail: invalid string"),
            ("<a>", "invalid email address: mail: missing @ in addr-spec"),
            ("<a@[1.2.3]>", "invalid email address: mail: invalid IP address in domain-literal: \"1.2.3\""),
            ("<a@[::1]>", "invalid email address: mail: invalid IP address in domain-literal: \"::1\""),
            ("<a@[IPv6:x]>", "invalid email address: mail: invalid IPv6 address in domain-literal: \"IPv6:x\""),
            ("<a@[1.2.3.4>", "invalid email address: mail: unclosed domain-literal"),
            ("a@b (unclosed", "invalid email address: mail: misformatted parenthetical comment"),
            ("<\"\"@b>", "invalid email address: mail: empty quoted string in addr-spec"),
            ("\"a\u{1}\" <a@b>", "invalid email address: mail: missing word in phrase: mail: bad character in quoted-string: '\\x01'"),
            ("group:;", "invalid email address: mail: empty group"),
            ("g: a@b, c@d;", "invalid email address: mail: group with multiple addresses"),
            ("a@b (=?x-unknown?q?a?=)", "invalid email address: charset not supported: \"x-unknown\""),
        ]
        for (input, want) in cases {
            XCTAssertEqual(FormatRules.email(input), want, input)
        }
    }

    // MARK: date-time (Go time.Parse(time.RFC3339))

    func testDateTime() {
        for s in ["2099-01-01T00:00:00Z", "2024-05-17T08:08:13.26635Z", "2024-05-17T08:08:13.26635+08:00",
                  "2024-05-17T08:08:13,5Z", "2024-05-17T8:08:13Z", "2020-02-29T00:00:00-00:00",
                  "2024-05-17T08:08:13+24:00", "2024-05-17T08:08:13+08:60", "0000-01-01T00:00:00Z"] {
            XCTAssertNil(FormatRules.dateTime(s), s)
        }
        for s in ["", "2024-05-17t08:08:13Z", "2024-05-17T08:08:13z", "2024-05-17T24:00:00Z",
                  "2024-05-17T23:59:60Z", "2021-02-29T00:00:00Z", "2024-05-17T08:08:13", "2024-05-17 08:08:13Z",
                  "2024-05-17T08:08:13+0800", "2024-05-17T08:08:13+25:00", "2024-05-17T08:08:13+08:61",
                  "2024-05-17T08:08:13.Z", "+2024-05-17T08:08:13Z"] {
            XCTAssertEqual(FormatRules.dateTime(s), "date-time must be in rfc3339 format", s)
        }
    }

    // MARK: birthdate

    func testBirthdate() {
        for s in ["2021", "--01-01", "0000-01-01", "2021-01-01", "2020-02-29", "0000-02-29", "--02-29"] {
            XCTAssertNil(FormatRules.birthdate(s), s)
        }
        XCTAssertEqual(FormatRules.birthdate(""), "invalid birthdate: \"\"")
        XCTAssertEqual(FormatRules.birthdate("foobar"), "invalid birthdate: \"foobar\"")
        XCTAssertEqual(FormatRules.birthdate("2021-02-29"), "invalid birthdate: \"2021-02-29\"")
        XCTAssertEqual(FormatRules.birthdate("--02-30"), "invalid birthdate: \"--02-30\"")
        XCTAssertEqual(FormatRules.birthdate("20210"), "invalid birthdate: \"20210\"")
        XCTAssertEqual(FormatRules.birthdate("say \"hi\"\n"), "invalid birthdate: \"say \\\"hi\\\"\\n\"")
    }

    // MARK: timezone

    func testTimezone() {
        XCTAssertNil(FormatRules.timezone("Asia/Hong_Kong"))
        XCTAssertNil(FormatRules.timezone("Etc/UTC"))
        XCTAssertNil(FormatRules.timezone("America/Argentina/Buenos_Aires"))
        XCTAssertNil(FormatRules.timezone("Asia//Hong_Kong"))
        XCTAssertEqual(FormatRules.timezone("UTC"), "valid timezone name has at least 1 slash: \"UTC\"")
        XCTAssertEqual(FormatRules.timezone(""), "valid timezone name has at least 1 slash: \"\"")
        XCTAssertEqual(FormatRules.timezone("Foo/Bar"), "invalid timezone name: unknown time zone Foo/Bar")
        XCTAssertEqual(FormatRules.timezone("Asia/../UTC"), "invalid timezone name: time: invalid location name")
        XCTAssertEqual(FormatRules.timezone("/Asia/Hong_Kong"), "invalid timezone name: time: invalid location name")
        XCTAssertEqual(FormatRules.timezone("Asia/"), "invalid timezone name: is a directory")
        XCTAssertEqual(FormatRules.timezone("Etc/UTC/x"), "invalid timezone name: not a directory")
    }

    // MARK: bcp47

    func testBCP47() {
        for s in ["zh-HK", "zh-Hant-HK", "en-US", "en", "zh-TW", "und", "es-419", "x-abc", "en-US-u-va-posix", "de-1901"] {
            XCTAssertNil(FormatRules.bcp47(s), s)
        }
        XCTAssertEqual(FormatRules.bcp47("zh-hant-hk"), "non-canonical BCP 47 tag: zh-hant-hk != zh-Hant-HK")
        XCTAssertEqual(FormatRules.bcp47("EN"), "non-canonical BCP 47 tag: EN != en")
        XCTAssertEqual(FormatRules.bcp47("zh_TW"), "non-canonical BCP 47 tag: zh_TW != zh-TW")
        XCTAssertEqual(FormatRules.bcp47("iw"), "non-canonical BCP 47 tag: iw != he")
        XCTAssertEqual(FormatRules.bcp47("sh"), "non-canonical BCP 47 tag: sh != sr-Latn")
        XCTAssertEqual(FormatRules.bcp47("root"), "non-canonical BCP 47 tag: root != und")
        XCTAssertEqual(FormatRules.bcp47("en-UK"), "non-canonical BCP 47 tag: en-UK != en-GB")
        XCTAssertEqual(FormatRules.bcp47(""), "invalid BCP 47 tag: language: tag is not well-formed")
        XCTAssertEqual(FormatRules.bcp47("a"), "invalid BCP 47 tag: language: tag is not well-formed")
        XCTAssertEqual(FormatRules.bcp47("foobar"), "invalid BCP 47 tag: language: tag is not well-formed")
        XCTAssertEqual(FormatRules.bcp47("xx"), "invalid BCP 47 tag: language: subtag \"xx\" is well-formed but unknown")
        XCTAssertEqual(FormatRules.bcp47("en-JJ"), "invalid BCP 47 tag: language: subtag \"JJ\" is well-formed but unknown")
        XCTAssertEqual(FormatRules.bcp47("en-abcde"), "invalid BCP 47 tag: language: subtag \"abcde\" is well-formed but unknown")
        XCTAssertEqual(FormatRules.bcp47("en-u-ca-gregory-ca-buddhist"),
                       "invalid BCP 47 tag: language: different values for same key in -u extension")
        // Out-of-order / duplicate variants: rejected like x/text (message text may differ, see report).
        XCTAssertNotNil(FormatRules.bcp47("de-1994-1901"))
        XCTAssertNotNil(FormatRules.bcp47("en-fonipa-fonipa"))
    }

    // MARK: uri / x_picture

    func testURI() {
        for s in ["http://example.com", "http://example.com/", "http://example.com/a", "http://example.com/a/",
                  "http://example.com?a=b", "http://example.com#a", "https://x.y/a%2e%2e/b", "http://[::1]:8080/a"] {
            XCTAssertNil(FormatRules.uri(s), s)
        }
        XCTAssertEqual(FormatRules.uri(""), "input URL must be absolute")
        XCTAssertEqual(FormatRules.uri("/a"), "input URL must be absolute")
        XCTAssertEqual(FormatRules.uri("http://example.com//"), "invalid path: //")
        XCTAssertEqual(FormatRules.uri("http://example.com/./"), "invalid path: /./")
        XCTAssertEqual(FormatRules.uri("http://example.com/../"), "invalid path: /../")
        XCTAssertEqual(FormatRules.uri("http://example.com/../.."), "invalid path: /../..")
        XCTAssertEqual(FormatRules.uri("http://[1.2.3.4]/"), "parse \"http://[1.2.3.4]/\": invalid IP-literal")
        XCTAssertEqual(FormatRules.uri("http://a[::1]/"), "parse \"http://a[::1]/\": invalid IP-literal")
        XCTAssertEqual(FormatRules.uri("https://x.y/%zz"), "parse \"https://x.y/%zz\": invalid URL escape \"%zz\"")
        XCTAssertEqual(FormatRules.uriParseFailure("https://x.y/%zz")?.url, "https://x.y/%zz")
        XCTAssertNil(FormatRules.uriParseFailure("http://example.com//"))
    }

    func testPicture() {
        XCTAssertNil(FormatRules.picture("authgearimages:///a/b"))
        XCTAssertNil(FormatRules.picture("authgearimages:///app/object"))
        XCTAssertNil(FormatRules.picture("https://example.com/a.png"))
        XCTAssertEqual(FormatRules.picture("authgearimages://host/a"), "authgearimages URI does not have host")
        XCTAssertEqual(FormatRules.picture("authgearimages:///../app/object"), "invalid path: /../app/object")
        XCTAssertEqual(FormatRules.picture(""), "invalid scheme: ")
        XCTAssertEqual(FormatRules.picture("example.com/a.png"), "invalid scheme: ")
        XCTAssertEqual(FormatRules.picture("foobar:"), "invalid scheme: foobar")
        XCTAssertEqual(FormatRules.picture("http:foo"), "input URL must be absolute")
    }

    func testGoQuote() {
        XCTAssertEqual(FormatRules.goQuote("a\"b\\c\n\t\u{7}\u{0}"), "\"a\\\"b\\\\c\\n\\t\\a\\x00\"")
        XCTAssertEqual(FormatRules.goQuote("é中\u{a0}\u{1F600}\u{E000}\u{10FFFD}"), "\"é中\\u00a0\u{1F600}\\ue000\\U0010fffd\"")
    }

    // MARK: differential check against the real Go code (FormatRulesOracleCases.swift)

    private func runOracleFormat(_ format: String, _ input: String) -> String? {
        switch format {
        case "bcp47": return FormatRules.bcp47(input)
        case "datetime": return FormatRules.dateTime(input)
        case "birthdate": return FormatRules.birthdate(input)
        case "tz": return GoTimezone.loadError(input).map { "invalid timezone name: " + $0 }
        case "uri": return FormatRules.uri(input)
        case "picture": return FormatRules.picture(input)
        default: return "unknown format \(format)"
        }
    }

    func testMatchesGoOracle() {
        var failures: [String] = []
        for c in OracleCases.all {
            let got = runOracleFormat(c.format, c.input)
            if got != c.expected {
                failures.append("\(c.format) \(FormatRules.goQuote(c.input)): got \(got ?? "nil"), want \(c.expected ?? "nil")")
            }
        }
        XCTAssertGreaterThan(OracleCases.all.count, 1000)
        XCTAssertTrue(failures.isEmpty, "\(failures.count) mismatches:\n" + failures.prefix(60).joined(separator: "\n"))
    }
}
