import Foundation
import XCTest
@testable import MigrationCore

/// Cross-checks the digit matcher against ICU (`NSRegularExpression`) on every libphonenumber pattern.
final class DigitRegexTests: XCTestCase {
    /// Every pattern field of the generated table (leading digits, national prefix, all descriptions).
    private func metadataPatterns() -> [String] {
        var patterns = Set<String>()
        for line in PhoneMetadataTable.text.split(separator: "\n") where line.hasPrefix("R\t") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false)
            for i in [4, 5] + (0..<11).map({ 7 + 3 * $0 }) where !f[i].isEmpty {
                patterns.insert(String(f[i]))
            }
        }
        return patterns.sorted()
    }

    func testEveryMetadataPatternUsesTheDigitMatcher() {
        let patterns = metadataPatterns()
        XCTAssertGreaterThan(patterns.count, 1000)
        for p in patterns {
            XCTAssertNotNil(DigitRegex(p), p)
        }
    }

    func testUnsupportedSyntaxIsRejected() {
        for p in ["a", "\\d+", "\\d*", ".", "[^1]", "\\d{2}?", "(?=1)", "(1", "1)", "[a-z]"] {
            XCTAssertNil(DigitRegex(p), p)
        }
        XCTAssertTrue(PhonePattern("\\d+").matchesEntirely(Array("123".utf8)))  // ICU fallback
    }

    func testCapturesAndLeftmostFirstPrefix() throws {
        let regex = try XCTUnwrap(DigitRegex("0?(?:(11|2(?:2|3)?)15)?"))
        let m = try XCTUnwrap(regex.matchAtStart(Array("0111512345".utf8)))
        XCTAssertEqual(m.end, 5)
        XCTAssertEqual(m.groups, [1..<3])
        let jp = try XCTUnwrap(DigitRegex("(000[2569]\\d{4,6})$|(?:(?:003768)0?)|0"))
        XCTAssertEqual(jp.matchAtStart(Array("0312345678".utf8))?.end, 1)
        XCTAssertEqual(jp.matchAtStart(Array("0312345678".utf8))?.groups, [nil])
        XCTAssertFalse(try XCTUnwrap(DigitRegex("\\d{5}|\\d{7}")).matchesEntirely(Array("123456".utf8)))
        XCTAssertTrue(try XCTUnwrap(DigitRegex("\\d{5}|\\d{7}")).matchesEntirely(Array("1234567".utf8)))
    }

    func testAgreesWithICUOnAllMetadataPatterns() throws {
        var rng = SystemRandomNumberGenerator()
        var checked = 0
        for p in metadataPatterns() {
            let regex = try XCTUnwrap(DigitRegex(p))
            let whole = try NSRegularExpression(pattern: "^(?:" + p + ")$")
            let start = try NSRegularExpression(pattern: "^(?:" + p + ")")
            for _ in 0..<12 {
                let length = Int.random(in: 1...14, using: &rng)
                let digits = (0..<length).map { _ in UInt8(0x30 + Int.random(in: 0...9, using: &rng)) }
                let s = String(decoding: digits, as: UTF8.self)
                let range = NSRange(location: 0, length: digits.count)
                XCTAssertEqual(regex.matchesEntirely(digits), whole.firstMatch(in: s, range: range) != nil, "\(p) on \(s)")
                let icu = start.firstMatch(in: s, options: [.anchored], range: range)
                let ours = regex.matchAtStart(digits)
                XCTAssertEqual(ours?.end, icu.map { $0.range.location + $0.range.length }, "\(p) prefix on \(s)")
                if let icu, let ours {
                    let groups: [Range<Int>?] = (1..<icu.numberOfRanges).map {
                        let r = icu.range(at: $0)
                        return r.location == NSNotFound ? nil : r.location..<(r.location + r.length)
                    }
                    XCTAssertEqual(ours.groups, groups, "\(p) groups on \(s)")
                }
                checked += 1
            }
        }
        XCTAssertGreaterThan(checked, 10000)
    }
}
