import Foundation
import TestSupport
import XCTest
@testable import MigrationCore

/// Differential test: `PhoneNumbers.check` against `PhoneReferenceChecker` (the pre-automaton implementation)
/// on about 100,000 generated inputs over every calling code, in both validation modes.
final class PhoneCheckDifferentialTests: XCTestCase {
    private func verdict(_ check: PhoneNumberCheck) -> String {
        switch check {
        case .valid: return "valid"
        case .notE164: return "notE164"
        case .invalid: return "invalid"
        }
    }

    /// Inputs for one calling code: numbers walked through the territories' own number-type automata
    /// (mostly valid), random digit strings of every length, national-prefix forms, formatting variants.
    private func inputs(callingCode code: Int, count: Int, using rng: inout SplitMix64) -> [String] {
        let territories = PhoneMetadata.shared.territoriesByCallingCode[code] ?? []
        func digits(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
        func randomDigits(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(0x30 + Int(rng.next() % 10)) } }
        var result: [String] = []
        while result.count < count {
            guard let territory = territories.isEmpty ? nil : territories[Int(rng.next() % UInt64(territories.count))] else {
                result.append("+\(code)" + digits(randomDigits(Int(rng.next() % 15))))
                continue
            }
            let descs = ([territory.general] + territory.numberTypes).filter { $0.pattern?.dfa != nil }
            let desc = descs[Int(rng.next() % UInt64(descs.count))]
            let lengths = desc.possibleLengths.filter { $0 > 0 } + territory.general.possibleLengths.filter { $0 > 0 }
            var nsn: [UInt8]
            switch rng.next() % 10 {
            case 0...5:  // a walk through a number-type automaton, to a possible length
                let length = lengths.isEmpty ? 8 : lengths[Int(rng.next() % UInt64(lengths.count))]
                nsn = PhoneAutomatonDifferentialTests.walk(desc.pattern!.dfa!, length: length, using: &rng)
            case 6, 7:  // random digits of any length the parser distinguishes
                nsn = randomDigits(Int(rng.next() % 20))
            default:  // a walk of a random length (one off, or anything)
                let base = lengths.isEmpty ? 8 : lengths[Int(rng.next() % UInt64(lengths.count))]
                nsn = PhoneAutomatonDifferentialTests.walk(desc.pattern!.dfa!, length: max(0, base + Int(rng.next() % 5) - 2), using: &rng)
            }
            if rng.next() % 6 == 0, let prefix = territory.nationalPrefixForParsing?.dfa {
                // Something the national prefix pattern accepts in front (a trunk 0, 8, carrier codes …).
                nsn = PhoneAutomatonDifferentialTests.walk(prefix, length: 1 + Int(rng.next() % 5), using: &rng) + nsn
            }
            var text = "+\(code)" + digits(nsn)
            switch rng.next() % 12 {
            case 0: text = " " + text
            case 1: text.insert(" ", at: text.index(text.startIndex, offsetBy: 1 + String(code).count))
            case 2: text += "-"
            case 3: text = String(text.dropFirst())  // no plus
            case 4: text.insert("x", at: text.index(text.startIndex, offsetBy: min(text.count, 3)))
            default: break
            }
            result.append(text)
        }
        return result
    }

    func testCheckAgreesWithReferenceOnGeneratedNumbers() {
        let codes = PhoneMetadata.shared.territoriesByCallingCode.keys.sorted()
        XCTAssertGreaterThan(codes.count, 200)
        var rng = SplitMix64(seed: 0xC0FFEE)
        var all: [String] = []
        for code in codes { all += inputs(callingCode: code, count: 100_000 / codes.count + 1, using: &rng) }
        // Codes nobody uses, and lengths around the limits.
        for code in [0, 28, 80, 851, 999] { all += inputs(callingCode: code, count: 20, using: &rng) }
        all += ["", "+", "+1", "+12", "+" + String(repeating: "9", count: 251), "+44 " + String(repeating: "0", count: 245)]

        var failures = 0
        var verdicts: [String: Int] = [:]
        for input in all {
            for method in [PhoneValidationMethod.isValidNumber, .isPossibleNumber] {
                let ours = PhoneNumbers.check(input, method: method)
                let reference = PhoneReferenceChecker.check(input, method: method)
                verdicts["\(method) \(verdict(ours))", default: 0] += 1
                if ours != reference {
                    failures += 1
                    if failures <= 20 { XCTFail("\(method) \(input.debugDescription): \(ours) vs reference \(reference)") }
                }
            }
        }
        XCTAssertEqual(failures, 0)
        XCTAssertGreaterThan(all.count, 100_000)
        // The generator must exercise every outcome in quantity.
        for key in ["isValidNumber valid", "isValidNumber invalid", "isValidNumber notE164", "isPossibleNumber valid"] {
            XCTAssertGreaterThan(verdicts[key] ?? 0, 5_000, "\(key): \(verdicts)")
        }
    }

    func testRegionCodeAndCallingCodeQueriesAgreeWithReference() {
        let metadata = PhoneMetadata.shared
        var rng = SplitMix64(seed: 7)
        for code in metadata.territoriesByCallingCode.keys.sorted() {
            for input in inputs(callingCode: code, count: 30, using: &rng) {
                guard let parsed = PhoneNumbers.check(input, method: .isPossibleNumber).parsed else { continue }
                let reference = PhoneReferenceChecker.territoryForNumber(
                    callingCode: code, nationalNumber: Array(parsed.nationalNumber.utf8), metadata: metadata)
                XCTAssertEqual(PhoneNumbers.regionCode(of: parsed), reference?.regionCode, input)
                XCTAssertEqual(parsed.regionCode, reference?.regionCode, input)
            }
            XCTAssertEqual(metadata.tables.territoryRange(forCallingCode: code).count, metadata.territoriesByCallingCode[code]?.count)
        }
    }
}

/// The phone check exactly as it was before the automata and flat tables: array-based parsing over the
/// `PhoneTerritory` objects, every pattern run by the backtracking matcher. The differential tests compare
/// `PhoneNumbers.check` against it.
enum PhoneReferenceChecker {
    static func check(_ input: String, method: PhoneValidationMethod) -> PhoneNumberCheck {
        guard PhoneNumberParser.passesServerPrecheck(input) else { return .notE164 }
        let metadata = PhoneMetadata.shared
        guard let (code, nsn, main) = parse(input, metadata: metadata) else { return .notE164 }
        switch testNumberLength(main, nsn.count) {
        case .isPossible, .isPossibleLocalOnly: break
        case .tooShort, .tooLong, .invalidLength: return .invalid
        }
        let national = String(decoding: nsn, as: UTF8.self)
        let e164 = "+\(code)\(national)"
        let territory = territoryForNumber(callingCode: code, nationalNumber: nsn, metadata: metadata)
        let parsed = ParsedPhoneNumber(e164: e164, countryCallingCode: code, nationalNumber: national, regionCode: territory?.regionCode)
        switch method {
        case .isPossibleNumber:
            return .valid(parsed)
        case .isValidNumber:
            guard let territory, hasKnownNumberType(territory, nsn) else { return .invalid }
            return input == e164 ? .valid(parsed) : .notE164
        }
    }

    static func parse(_ input: String, metadata: PhoneMetadata) -> (callingCode: Int, nationalNumber: [UInt8], territory: PhoneTerritory)? {
        let count = input.utf8.count
        if count == 0 || count > PhoneNumberParser.maxInputLength { return nil }
        var digits: [UInt8] = []
        for byte in input.utf8 where byte >= 0x30 && byte <= 0x39 { digits.append(byte) }
        guard digits.count >= 3, digits[0] != 0x30 else { return nil }
        var callingCode = 0
        var found: (territory: PhoneTerritory, length: Int)?
        for length in 1...PhoneNumberParser.maxCallingCodeLength where length <= digits.count {
            callingCode = callingCode * 10 + Int(digits[length - 1] - 0x30)
            if let main = metadata.territoriesByCallingCode[callingCode]?.first {
                found = (main, length)
                break
            }
        }
        guard let (territory, codeLength) = found else { return nil }
        var national = Array(digits[codeLength...])
        if national.count < PhoneNumberParser.minNSNLength { return nil }
        let stripped = stripNationalPrefix(national, territory: territory)
        switch testNumberLength(territory, stripped.count) {
        case .tooShort, .isPossibleLocalOnly, .invalidLength: break
        case .isPossible, .tooLong: national = stripped
        }
        if national.count < PhoneNumberParser.minNSNLength || national.count > PhoneNumberParser.maxNSNLength { return nil }
        return (callingCode, national, territory)
    }

    static func stripNationalPrefix(_ number: [UInt8], territory: PhoneTerritory) -> [UInt8] {
        guard !number.isEmpty, let prefix = territory.nationalPrefixForParsing,
              let match = prefix.backtrackingMatchAtStart(number) else { return number }
        let generalMatches = { (digits: [UInt8]) in territory.general.pattern?.backtrackingMatchesEntirely(digits) ?? false }
        let isViableOriginal = generalMatches(number)
        let rest = number[match.end...]
        let lastGroupMissing = match.groups.last.map { $0 == nil } ?? false
        if let rule = territory.nationalPrefixTransformRule, !lastGroupMissing {
            let transformed = expand(rule, groups: match.groups, in: number) + rest
            if isViableOriginal && !generalMatches(transformed) { return number }
            return transformed
        }
        if isViableOriginal && !generalMatches(Array(rest)) { return number }
        return Array(rest)
    }

    static func expand(_ template: String, groups: [Range<Int>?], in number: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = template.utf8.makeIterator()
        while let c = bytes.next() {
            guard c == UInt8(ascii: "$") else { out.append(c); continue }
            guard let d = bytes.next() else { out.append(c); break }
            let group = Int(d) - 0x30
            guard group >= 1, group <= groups.count else { out.append(c); out.append(d); continue }
            if let range = groups[group - 1] { out += number[range] }
        }
        return out
    }

    static func territoryForNumber(callingCode: Int, nationalNumber: [UInt8], metadata: PhoneMetadata) -> PhoneTerritory? {
        guard let territories = metadata.territoriesByCallingCode[callingCode], !territories.isEmpty else { return nil }
        if territories.count == 1 { return territories[0] }
        for territory in territories {
            if let leading = territory.leadingDigits {
                if leading.backtrackingMatchAtStart(nationalNumber) != nil { return territory }
            } else if hasKnownNumberType(territory, nationalNumber) {
                return territory
            }
        }
        return nil
    }

    static func testNumberLength(_ territory: PhoneTerritory, _ length: Int) -> PhoneLengthResult {
        let possible = territory.general.possibleLengths
        guard let minimum = possible.first, minimum != -1 else { return .invalidLength }
        if territory.general.localOnlyLengths.contains(length) { return .isPossibleLocalOnly }
        if minimum == length { return .isPossible }
        if minimum > length { return .tooShort }
        if possible[possible.count - 1] < length { return .tooLong }
        return possible.dropFirst().contains(length) ? .isPossible : .invalidLength
    }

    static func descMatches(_ desc: PhoneNumberDesc, _ number: [UInt8]) -> Bool {
        if !desc.possibleLengths.isEmpty && !desc.possibleLengths.contains(number.count) { return false }
        guard let pattern = desc.pattern else { return false }
        return pattern.backtrackingMatchesEntirely(number)
    }

    static func hasKnownNumberType(_ territory: PhoneTerritory, _ number: [UInt8]) -> Bool {
        guard descMatches(territory.general, number) else { return false }
        return territory.numberTypes.contains { descMatches($0, number) }
    }
}
