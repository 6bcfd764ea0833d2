import Foundation
import XCTest
@testable import MigrationCore

final class PhoneNumberTests: XCTestCase {
    private func verdict(_ check: PhoneNumberCheck) -> String {
        switch check {
        case .valid: return "valid"
        case .notE164: return "notE164"
        case .invalid: return "invalid"
        }
    }

    // MARK: Spec §6.1 / server unit tests (pkg/util/phone/parser_test.go)

    func testSpecExamples() {
        XCTAssertEqual(PhoneNumbers.check("+85298765432", method: .isValidNumber).parsed?.e164, "+85298765432")
        XCTAssertEqual(PhoneNumbers.check("+85123456789", method: .isValidNumber), .notE164)  // +851 unassigned
        XCTAssertEqual(PhoneNumbers.check("", method: .isValidNumber), .notE164)
        XCTAssertEqual(PhoneNumbers.check("", method: .isPossibleNumber), .notE164)
        XCTAssertEqual(PhoneNumbers.check("+852 9876 5432", method: .isValidNumber), .notE164)
        XCTAssertEqual(PhoneNumbers.check(" +85298765432", method: .isValidNumber), .notE164)
    }

    func testErrorMessagesAreTheServerTexts() {
        XCTAssertEqual(PhoneNumbers.check("", method: .isValidNumber).errorMessage, "not in E.164 format")
        XCTAssertEqual(PhoneNumbers.check("+852999", method: .isValidNumber).errorMessage, "invalid phone number")
        XCTAssertNil(PhoneNumbers.check("+85298765432", method: .isValidNumber).errorMessage)
    }

    func testPrecheckRejectsNonE164Characters() {
        for input in ["a", "+85222a", "85298765432", "++85298765432", "+1 (201) 555-0123", "+1.201.555.0123",
                      "+85298765432\t", "+852９8765432", "\u{A0}+85298765432", "+", "+852"] {
            XCTAssertEqual(PhoneNumbers.check(input, method: .isPossibleNumber), .notE164, input)
        }
    }

    func testPossibleModeNormalisesToE164() {
        let parsed = PhoneNumbers.check(" +852 9876-5432 ", method: .isPossibleNumber).parsed
        XCTAssertEqual(parsed, ParsedPhoneNumber(e164: "+85298765432", countryCallingCode: 852, nationalNumber: "98765432", regionCode: "HK"))
        // Possible but not valid: HK numbers never start with 1.
        XCTAssertEqual(verdict(PhoneNumbers.check("+85212345678", method: .isPossibleNumber)), "valid")
        XCTAssertEqual(PhoneNumbers.check("+85212345678", method: .isValidNumber), .invalid)
        XCTAssertEqual(PhoneNumbers.check("+85222", method: .isPossibleNumber), .invalid)
    }

    func testSharedCallingCodesPickTheRegion() {
        XCTAssertEqual(PhoneNumbers.check("+13407121234", method: .isValidNumber).parsed?.regionCode, "VI")
        XCTAssertEqual(PhoneNumbers.check("+447624123456", method: .isValidNumber).parsed?.regionCode, "IM")
        XCTAssertEqual(PhoneNumbers.check("+12015550123", method: .isValidNumber).parsed?.regionCode, "US")
        XCTAssertEqual(PhoneNumbers.check("+61401123456", method: .isValidNumber).parsed?.regionCode, "AU")
        // +1 284 (VG) with an unassigned exchange: possible, region by leading digits, not valid.
        let vg = PhoneNumbers.check("+12841234567", method: .isPossibleNumber).parsed
        XCTAssertEqual(vg?.regionCode, "VG")
        XCTAssertEqual(PhoneNumbers.check("+12841234567", method: .isValidNumber), .invalid)
        XCTAssertEqual(PhoneNumbers.regionCodes(forCallingCode: 44), ["GB", "GG", "IM", "JE"])
        XCTAssertEqual(PhoneNumbers.check("+80012345678", method: .isValidNumber).parsed?.regionCode, "001")
    }

    func testItalianLeadingZeroAndLocalOnlyLengths() {
        XCTAssertEqual(PhoneNumbers.check("+390612345678", method: .isValidNumber).parsed?.nationalNumber, "0612345678")
        // US local-only length 7: possible, never valid.
        XCTAssertEqual(PhoneNumbers.check("+12345678", method: .isPossibleNumber).parsed?.e164, "+12345678")
        XCTAssertEqual(PhoneNumbers.check("+12345678", method: .isValidNumber), .invalid)
    }

    func testNationalPrefixIsStrippedWhenParsing() {
        // "+44 0 20…": the trunk 0 is dropped, so the E.164 form differs from the input.
        XCTAssertEqual(PhoneNumbers.check("+4402079460958", method: .isPossibleNumber).parsed?.e164, "+442079460958")
        XCTAssertEqual(PhoneNumbers.check("+4402079460958", method: .isValidNumber), .notE164)
        XCTAssertEqual(PhoneNumbers.check("+442079460958", method: .isValidNumber).parsed?.regionCode, "GB")
    }

    func testRegionCodeOfParsedNumber() {
        let parsed = ParsedPhoneNumber(e164: "+447624123456", countryCallingCode: 44, nationalNumber: "7624123456", regionCode: nil)
        XCTAssertEqual(PhoneNumbers.regionCode(of: parsed), "IM")
    }

    func testLengthLimitsAndCallingCodes() {
        XCTAssertEqual(PhoneNumbers.check("+0123456789", method: .isPossibleNumber), .notE164)  // no code starts with 0
        XCTAssertEqual(PhoneNumbers.check("+1234567890123456789", method: .isPossibleNumber), .notE164)  // NSN > 17 digits
        XCTAssertEqual(PhoneNumbers.check("+" + String(repeating: "1", count: 260), method: .isPossibleNumber), .notE164)
        XCTAssertEqual(PhoneNumbers.check("+123456789012345678", method: .isPossibleNumber), .invalid)  // 17 digits: too long
        XCTAssertEqual(PhoneNumbers.check("+7 912 345-67-89", method: .isPossibleNumber).parsed?.regionCode, "RU")
        XCTAssertEqual(PhoneNumbers.check("+77012345678", method: .isValidNumber).parsed?.regionCode, "KZ")
    }

    func testConcurrentChecksAgree() {
        let inputs = ["+85298765432", "+12015550123", "+447624123456", "+390612345678", "+85212345678", "+851"]
        let expected = inputs.map { PhoneNumbers.check($0, method: .isValidNumber) }
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for _ in 0..<200 {
                for (input, want) in zip(inputs, expected) {
                    XCTAssertEqual(PhoneNumbers.check(input, method: .isValidNumber), want)
                }
            }
        }
    }

    // MARK: libphonenumber oracle (scripts/phone-oracle-check.py)

    func testAgreesWithLibphonenumberOracleFixture() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/phone-oracle.tsv")
        let text = try String(contentsOf: url, encoding: .utf8)
        var cases = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where !line.hasPrefix("#") {
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            XCTAssertEqual(f.count, 5, "bad fixture line \(line)")
            guard f.count == 5 else { continue }
            let input = f[0]
            let validMode = PhoneNumbers.check(input, method: .isValidNumber)
            let possibleMode = PhoneNumbers.check(input, method: .isPossibleNumber)
            XCTAssertEqual(verdict(validMode), f[1], "isValidNumber \(input.debugDescription)")
            XCTAssertEqual(verdict(possibleMode), f[2], "isPossibleNumber \(input.debugDescription)")
            if let parsed = possibleMode.parsed {
                XCTAssertEqual(parsed.e164, f[3], "e164 \(input.debugDescription)")
                XCTAssertEqual(parsed.regionCode ?? "", f[4], "region \(input.debugDescription)")
            }
            cases += 1
        }
        XCTAssertGreaterThanOrEqual(cases, 250)
    }
}
