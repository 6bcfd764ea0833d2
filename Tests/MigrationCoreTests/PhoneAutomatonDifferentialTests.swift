import Foundation
import TestSupport
import XCTest
@testable import MigrationCore

/// Differential tests: every metadata pattern's automaton (in `DigitRegex` and in the flat
/// `PhoneValidationTables` the check uses) against the backtracking matcher it replaces.
final class PhoneAutomatonDifferentialTests: XCTestCase {
    /// A distinct pattern of the loaded metadata, its reference in `PhoneMetadata.tables`, and whether the
    /// check runs it as a prefix match (leading digits, national prefix for parsing) as well as a whole match.
    private struct MetadataPattern: @unchecked Sendable {
        // @unchecked: `PhonePattern` may hold an `NSRegularExpression`, which is immutable and thread-safe.
        let pattern: PhonePattern
        let ref: PhoneValidationTables.PatternRef
        let usedAsPrefix: Bool
    }

    private static func metadataPatterns() -> [MetadataPattern] {
        let metadata = PhoneMetadata.shared
        let tables = metadata.tables
        var index: [PhoneValidationTables.PatternRef: Int] = [:]
        var result: [MetadataPattern] = []
        func add(_ pattern: PhonePattern?, _ ref: PhoneValidationTables.PatternRef, prefix: Bool) {
            XCTAssertEqual(pattern == nil, ref == PhoneValidationTables.none)
            guard let pattern else { return }
            if let known = index[ref] {
                if prefix && !result[known].usedAsPrefix { result[known] = MetadataPattern(pattern: pattern, ref: ref, usedAsPrefix: true) }
                return
            }
            index[ref] = result.count
            result.append(MetadataPattern(pattern: pattern, ref: ref, usedAsPrefix: prefix))
        }
        for (t, territory) in metadata.territoryList.enumerated() {
            let record = tables.territories[t]
            add(territory.leadingDigits, record.leadingDigits, prefix: true)
            add(territory.nationalPrefixForParsing, record.nationalPrefixForParsing, prefix: true)
            let descs = [territory.general] + territory.numberTypes
            XCTAssertEqual(Int(record.endDesc - record.firstDesc), descs.count)
            for (offset, desc) in descs.enumerated() {
                add(desc.pattern, tables.descs[Int(record.firstDesc) + offset].pattern, prefix: false)
            }
        }
        return result
    }

    /// Compares the automata with backtracking on one input; returns a description of the first difference.
    /// Prefix answers are compared for prefix patterns, and for all patterns when `allQuestions` is set.
    private static func difference(_ p: MetadataPattern, _ digits: [UInt8], allQuestions: Bool) -> String? {
        let tables = PhoneMetadata.shared.tables
        let whole = p.pattern.backtrackingMatchesEntirely(digits)
        let prefix = allQuestions || p.usedAsPrefix ? p.pattern.backtrackingMatchAtStart(digits) : nil
        let problem = digits.withUnsafeBufferPointer { buffer -> String? in
            if tables.matchesEntirely(p.ref, buffer) != whole { return "tables.matchesEntirely" }
            if p.pattern.matchesEntirely(buffer) != whole { return "DigitRegex.matchesEntirely" }
            guard allQuestions || p.usedAsPrefix else { return nil }
            if tables.matchesSomePrefix(p.ref, buffer) != (prefix != nil) { return "tables.matchesSomePrefix" }
            if p.pattern.matchesSomePrefix(buffer) != (prefix != nil) { return "matchesSomePrefix" }
            guard p.usedAsPrefix else { return nil }
            let fast = p.pattern.matchAtStart(digits)
            if fast?.end != prefix?.end || fast?.groups != prefix?.groups { return "matchAtStart" }
            return nil
        }
        return problem.map {
            "pattern #\(p.ref): \($0) on \"\(String(decoding: digits, as: UTF8.self))\" (backtracking: whole \(whole), prefix \(prefix != nil))"
        }
    }

    /// Runs `body` for each pattern on all cores; returns the number of inputs compared and the differences.
    private func compareInParallel(_ body: @escaping @Sendable (MetadataPattern, Int) -> (Int, [String]))
        -> (compared: Int, failures: [String]) {
        let patterns = Self.metadataPatterns()
        let results = CollectedResults()
        DispatchQueue.concurrentPerform(iterations: patterns.count) { index in
            let (compared, failures) = body(patterns[index], index)
            results.add(compared, failures)
        }
        return results.total
    }

    func testEveryPatternHasAnAutomatonInTheTables() {
        let patterns = Self.metadataPatterns()
        XCTAssertGreaterThan(patterns.count, 1000)
        XCTAssertGreaterThan(patterns.filter(\.usedAsPrefix).count, 50)
        for p in patterns {
            XCTAssertNotNil(p.pattern.dfa)
            XCTAssertGreaterThanOrEqual(p.ref, 0)
        }
    }

    func testAllShortStringsAgreeWithBacktracking() {
        var inputs: [[UInt8]] = [[]]
        var level: [[UInt8]] = [[]]
        // Up to three digits exhaustively (longer strings: the random walks below); four digits
        // took ~15 s of CI time for 14 million backtracking runs.
        for _ in 1...3 {
            level = level.flatMap { s in (0x30...0x39).map { s + [UInt8($0)] } }
            inputs += level
        }
        XCTAssertEqual(inputs.count, 1_111)
        let all = inputs
        let (compared, failures) = compareInParallel { p, _ in
            (all.count, all.compactMap { Self.difference(p, $0, allQuestions: false) })
        }
        for failure in failures.prefix(20) { XCTFail(failure) }
        XCTAssertEqual(failures.count, 0)
        XCTAssertGreaterThan(compared, 1_000_000)
    }

    func testRandomWalksAgreeWithBacktracking() {
        let (compared, failures) = compareInParallel { p, index in
            guard let dfa = p.pattern.dfa else { return (0, ["pattern #\(p.ref) has no automaton"]) }
            var rng = SplitMix64(seed: 0x5EED_FACE &+ UInt64(index))
            var failures: [String] = []
            for _ in 0..<1_000 {
                let digits = Self.walk(dfa, length: 5 + Int(rng.next() % 13), using: &rng)
                if let diff = Self.difference(p, digits, allQuestions: true) { failures.append(diff) }
            }
            return (1_000, failures)
        }
        for failure in failures.prefix(20) { XCTFail(failure) }
        XCTAssertEqual(failures.count, 0)
        XCTAssertGreaterThan(compared, 1_000_000)
    }

    /// Digits that mostly follow live transitions (so they reach deep into the pattern), sometimes not.
    /// Plain loops: this runs a million times in debug builds.
    static func walk(_ dfa: DigitDFA, length: Int, using rng: inout SplitMix64) -> [UInt8] {
        var state = dfa.startState
        var digits = [UInt8](repeating: 0, count: length)
        var live = [Int](repeating: 0, count: 10)
        var position = 0
        while position < length {
            var liveCount = 0
            var d = 0
            while state != 0 && d < 10 {
                if dfa.next(state, d) != 0 { live[liveCount] = d; liveCount += 1 }
                d += 1
            }
            let random = rng.next()
            let digit = liveCount > 0 && random % 10 != 0 ? live[Int((random >> 8) % UInt64(liveCount))] : Int((random >> 8) % 10)
            digits[position] = UInt8(0x30 + digit)
            state = state == 0 ? 0 : dfa.next(state, digit)
            position += 1
        }
        return digits
    }

    func testHandWrittenEdgeCases() throws {
        // `$` inside a pattern: only the end of the input may follow it.
        let jp = try XCTUnwrap(DigitRegex("(000[2569]\\d{4,6})$|(?:(?:003768)0?)|0"))
        let dfa = try XCTUnwrap(jp.dfa)
        for (input, whole, prefix) in [("00021234", true, true), ("000212345678", false, true), ("0003", false, true),
                                       ("1", false, false), ("", false, false), ("0", true, true)] {
            let digits = Array(input.utf8)
            digits.withUnsafeBufferPointer {
                XCTAssertEqual(dfa.matchesEntirely($0), whole, input)
                XCTAssertEqual(dfa.matchesSomePrefix($0), prefix, input)
            }
        }
        // Unbounded and empty-matching repetition, and non-digit input.
        let loose = try XCTUnwrap(DigitRegex("(?:1?){2,}2{3,}"))
        XCTAssertTrue(loose.matchesEntirely(Array("111222".utf8)))
        XCTAssertTrue(loose.matchesEntirely(Array("222".utf8)))
        XCTAssertFalse(loose.matchesEntirely(Array("1122".utf8)))
        XCTAssertFalse(loose.matchesEntirely(Array("11a222".utf8)))
        XCTAssertEqual(try XCTUnwrap(DigitRegex("\\d{2}")).dfa?.stateCount, 4)  // dead, start, 1 digit, 2 digits
    }
}

/// Totals gathered from `concurrentPerform` workers.
private final class CollectedResults: @unchecked Sendable {
    // @unchecked: every access to the mutable fields holds `lock`.
    private let lock = NSLock()
    private var compared = 0
    private var failures: [String] = []

    func add(_ count: Int, _ newFailures: [String]) {
        lock.lock()
        defer { lock.unlock() }
        compared += count
        failures += newFailures
    }

    var total: (compared: Int, failures: [String]) {
        lock.lock()
        defer { lock.unlock() }
        return (compared, failures)
    }
}
