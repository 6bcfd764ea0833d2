import Foundation

/// One libphonenumber regular expression over national-number digits, compiled once.
///
/// Metadata patterns run on `DigitRegex` (fast, Java-compatible semantics); a pattern outside its dialect
/// (possible after a metadata update) falls back to `NSRegularExpression`, which gives the same results.
struct PhonePattern: Sendable {
    private enum Engine: Sendable {
        case digits(DigitRegex)
        /// `^(?:p)$` and `^(?:p)` compiled with ICU.
        case foundation(whole: NSRegularExpression, start: NSRegularExpression)
    }

    private let engine: Engine

    init(_ pattern: String) {
        if let regex = DigitRegex(pattern) {
            engine = .digits(regex)
            return
        }
        do {
            engine = .foundation(whole: try NSRegularExpression(pattern: "^(?:" + pattern + ")$"),
                                 start: try NSRegularExpression(pattern: "^(?:" + pattern + ")"))
        } catch {
            preconditionFailure("libphonenumber pattern does not compile: \(pattern): \(error)")
        }
    }

    /// True when the pattern uses the fast digit matcher (for tests).
    var usesDigitMatcher: Bool {
        if case .digits = engine { return true }
        return false
    }

    /// The pattern's automaton; nil when it runs on `NSRegularExpression` (or is too large to determinize).
    var dfa: DigitDFA? {
        if case .digits(let regex) = engine { return regex.dfa }
        return nil
    }

    /// libphonenumber `matchNationalNumber`: the entire digit string matches.
    func matchesEntirely(_ digits: [UInt8]) -> Bool {
        digits.withUnsafeBufferPointer { matchesEntirely($0) }
    }

    /// libphonenumber `matchNationalNumber` on borrowed digits (the hot path: one automaton walk).
    func matchesEntirely(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        switch engine {
        case .digits(let regex):
            return regex.matchesEntirely(digits)
        case .foundation(let whole, _):
            let s = String(decoding: digits, as: UTF8.self)
            return whole.firstMatch(in: s, options: [], range: NSRange(location: 0, length: digits.count)) != nil
        }
    }

    /// True when `matchAtStart` finds a match (Java `lookingAt()` succeeds), without computing it.
    func matchesSomePrefix(_ digits: UnsafeBufferPointer<UInt8>) -> Bool {
        switch engine {
        case .digits(let regex):
            return regex.matchesSomePrefix(digits)
        case .foundation:
            return matchAtStart(Array(digits)) != nil
        }
    }

    /// Java `lookingAt`: the match at the start of the digits, with its end and capture groups.
    func matchAtStart(_ digits: [UInt8]) -> (end: Int, groups: [Range<Int>?])? {
        switch engine {
        case .digits(let regex):
            return regex.matchAtStart(digits)
        case .foundation(_, let start):
            return Self.foundationMatchAtStart(start, digits)
        }
    }

    /// `matchesEntirely` by the backtracking matcher alone (the reference the automata are tested against).
    func backtrackingMatchesEntirely(_ digits: [UInt8]) -> Bool {
        if case .digits(let regex) = engine { return regex.backtrackingMatchesEntirely(digits) }
        return matchesEntirely(digits)
    }

    /// `matchAtStart` by the backtracking matcher alone (the reference the automata are tested against).
    func backtrackingMatchAtStart(_ digits: [UInt8]) -> (end: Int, groups: [Range<Int>?])? {
        if case .digits(let regex) = engine { return regex.backtrackingMatchAtStart(digits) }
        return matchAtStart(digits)
    }

    private static func foundationMatchAtStart(_ start: NSRegularExpression, _ digits: [UInt8]) -> (end: Int, groups: [Range<Int>?])? {
        let s = String(decoding: digits, as: UTF8.self)
        guard let m = start.firstMatch(in: s, options: [.anchored], range: NSRange(location: 0, length: digits.count)) else {
            return nil
        }
        let groups: [Range<Int>?] = (1..<m.numberOfRanges).map { g in
            let r = m.range(at: g)
            return r.location == NSNotFound ? nil : r.location..<(r.location + r.length)
        }
        return (m.range.location + m.range.length, groups)
    }
}
