/// The metadata the per-record phone check reads, flattened into plain-value tables so that a check
/// touches no reference-counted object: every pattern's `DigitDFA` copied into one transition array,
/// one record per territory and per number description, and a calling-code index.
///
/// Built once with `PhoneMetadata.shared` and never freed (it lives as long as the process, like the
/// metadata itself).
struct PhoneValidationTables: @unchecked Sendable {
    // @unchecked: the pointers below are written only while `PhoneValidationTablesBuilder.finish` builds
    // the tables, then never mutated or freed, so sharing them between threads is safe.

    /// A pattern reference: `none` (absent pattern, never matches), an automaton's offset into
    /// `automata` (>= 0), or `fallbackBase - index` for a pattern in `PhoneMetadata.fallbackPatterns`.
    typealias PatternRef = Int32
    static let none: PatternRef = -1
    static let fallbackBase: PatternRef = -2

    /// A libphonenumber `PhoneNumberDesc`: possible-length bits (all ones: no pre-check) and pattern.
    struct Desc {
        var lengthBits: UInt64
        var pattern: PatternRef
    }

    /// One territory, in `PhoneMetadata.territoryList` order.
    struct Territory {
        /// `testNumberLength` inputs from the general description; `minimumLength` -1 when it has no lengths.
        var possibleLengthBits: UInt64
        var localOnlyLengthBits: UInt64
        var minimumLength: Int32
        var maximumLength: Int32
        var leadingDigits: PatternRef
        var nationalPrefixForParsing: PatternRef
        /// The national prefix runs on an automaton and there is no transform rule, so stripping needs
        /// only the end of its match (see `uniquePrefixMatchEnd`), not its capture groups.
        var stripsByMatchEnd: Bool
        /// The general description at `firstDesc`, then the number types up to `endDesc`.
        var firstDesc: Int32
        var endDesc: Int32
        /// Region code ASCII bytes, little-endian, and their count.
        var regionBytes: UInt32
        var regionLength: Int32
    }

    static let maximumCallingCode = 999

    let automata: UnsafePointer<UInt16>
    let descs: UnsafePointer<Desc>
    let territories: UnsafePointer<Territory>
    /// Per calling code 0...999: first territory index and count (count 0: unassigned).
    let callingCodes: UnsafePointer<(first: Int32, count: Int32)>

    /// The territories of a calling code, main country first.
    @inline(__always)
    func territoryRange(forCallingCode code: Int) -> Range<Int> {
        guard code >= 0 && code <= Self.maximumCallingCode else { return 0..<0 }
        let entry = callingCodes[code]
        return Int(entry.first)..<Int(entry.first + entry.count)
    }

    /// Whole-input match (libphonenumber `matchNationalNumber`).
    @inline(__always)
    func matchesEntirely(_ pattern: PatternRef, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard pattern >= 0 else {
            if pattern == Self.none { return false }
            return PhoneMetadata.shared.fallbackPatterns[Int(Self.fallbackBase - pattern)].matchesEntirely(input)
        }
        return DigitDFA.matchesEntirely(table: automata + Int(pattern), input)
    }

    /// Some prefix matches (Java `lookingAt()` succeeds); false for an absent pattern.
    func matchesSomePrefix(_ pattern: PatternRef, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        guard pattern >= 0 else {
            if pattern == Self.none { return false }
            return PhoneMetadata.shared.fallbackPatterns[Int(Self.fallbackBase - pattern)].matchesSomePrefix(input)
        }
        return DigitDFA.matchesSomePrefix(table: automata + Int(pattern), input)
    }

    /// Where a match at the start of the input ends, when only one prefix length matches at all (so the
    /// leftmost-first match must end there): that length; `noMatch` when no prefix matches; `ambiguous` when
    /// several do (or the pattern has no automaton).
    func uniquePrefixMatchEnd(_ pattern: PatternRef, _ input: UnsafeBufferPointer<UInt8>) -> Int {
        guard pattern >= 0 else { return pattern == Self.none ? Self.noMatch : Self.ambiguous }
        let table = automata + Int(pattern)
        var state = DigitDFA.start
        var end = Self.noMatch
        var position = 0
        while true {
            let flags = table[state &* DigitDFA.stride &+ 10]
            let atEnd = position == input.count
            if flags & (atEnd ? DigitDFA.acceptsAtEnd : DigitDFA.acceptsBeforeEnd) != 0 {
                if end != Self.noMatch { return Self.ambiguous }
                end = position
            }
            if atEnd { return end }
            let digit = input[position] &- 0x30
            guard digit <= 9 else { return end }
            state = Int(table[state &* DigitDFA.stride &+ Int(digit)])
            if state == 0 { return end }
            position += 1
        }
    }
    static let noMatch = -1
    static let ambiguous = -2

    /// libphonenumber `isNumberMatchingDesc`: length pre-check, then a whole-string pattern match.
    @inline(__always)
    func matches(_ desc: Int, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let d = descs[desc]
        let length = input.count
        let bit: UInt64 = length < 64 ? 1 << UInt64(length) : 0
        // All-ones bits mean "no pre-check", which must also admit lengths of 64 and more.
        guard d.lengthBits & bit != 0 || d.lengthBits == ~0 else { return false }
        return matchesEntirely(d.pattern, input)
    }

    /// libphonenumber `testNumberLength(number, metadata, UNKNOWN)` for territory `t`.
    func testNumberLength(_ t: Int, _ length: Int) -> PhoneLengthResult {
        let territory = territories[t]
        let minimum = Int(territory.minimumLength)
        guard minimum != -1 else { return .invalidLength }
        let bit: UInt64 = length < 64 ? 1 << UInt64(length) : 0
        if territory.localOnlyLengthBits & bit != 0 { return .isPossibleLocalOnly }
        if minimum == length { return .isPossible }
        if minimum > length { return .tooShort }
        if Int(territory.maximumLength) < length { return .tooLong }
        return territory.possibleLengthBits & bit != 0 ? .isPossible : .invalidLength
    }

    /// libphonenumber `getNumberTypeHelper(...) != UNKNOWN`: the general description and some number type match.
    func hasKnownNumberType(_ t: Int, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        let territory = territories[t]
        let first = Int(territory.firstDesc)
        guard matches(first, input) else { return false }
        for desc in (first + 1)..<Int(territory.endDesc) where matches(desc, input) {
            return true
        }
        return false
    }

    /// libphonenumber `GetRegionCodeForNumber`: the single territory of the calling code, or the first one
    /// (in metadata order) whose leading digits match, or which has no leading digits and knows the number's
    /// type. `hasKnownType` is true when the territory was chosen because it knows the type, nil if untested.
    func territoryForNumber(callingCode: Int, nationalNumber: UnsafeBufferPointer<UInt8>) -> (territory: Int, hasKnownType: Bool?)? {
        let range = territoryRange(forCallingCode: callingCode)
        if range.count <= 1 { return range.isEmpty ? nil : (range.lowerBound, nil) }
        for t in range {
            let leading = territories[t].leadingDigits
            if leading != Self.none {
                if matchesSomePrefix(leading, nationalNumber) { return (t, nil) }
            } else if hasKnownNumberType(t, nationalNumber) {
                return (t, true)
            }
        }
        return nil
    }

    /// The region code of territory `t` (a small string: no allocation).
    func regionCode(_ t: Int) -> String {
        let territory = territories[t]
        return withUnsafeBytes(of: territory.regionBytes.littleEndian) { bytes in
            String(decoding: bytes.prefix(Int(territory.regionLength)), as: UTF8.self)
        }
    }
}

/// Collects automata, descriptions and territories while `PhoneMetadata` loads, then freezes them.
struct PhoneValidationTablesBuilder {
    private var automata: [UInt16] = []
    private var descs: [PhoneValidationTables.Desc] = []
    private var territories: [PhoneValidationTables.Territory] = []
    private var codes = [(first: Int32, count: Int32)](repeating: (0, 0), count: PhoneValidationTables.maximumCallingCode + 1)
    private(set) var fallbackPatterns: [PhonePattern] = []
    private var refs: [String: PhoneValidationTables.PatternRef] = [:]

    /// The reference for a pattern (by source text, so each distinct pattern is stored once).
    mutating func ref(_ source: String?, _ pattern: PhonePattern?) -> PhoneValidationTables.PatternRef {
        guard let source, let pattern else { return PhoneValidationTables.none }
        if let known = refs[source] { return known }
        let made: PhoneValidationTables.PatternRef
        if let dfa = pattern.dfa {
            made = Int32(automata.count)
            automata += dfa.table
        } else {
            made = PhoneValidationTables.fallbackBase - Int32(fallbackPatterns.count)
            fallbackPatterns.append(pattern)
        }
        refs[source] = made
        return made
    }

    /// Appends the next territory of `territoryList`; its patterns come with their source texts.
    mutating func addTerritory(_ territory: PhoneTerritory, leadingDigits: String?, nationalPrefixForParsing: String?,
                               descSources: [String?]) {
        let all = [territory.general] + territory.numberTypes
        precondition(all.count == descSources.count, "phone metadata description count mismatch")
        let firstDesc = Int32(descs.count)
        for (desc, source) in zip(all, descSources) {
            let bits = desc.possibleLengths.isEmpty ? ~0 : Self.bits(desc.possibleLengths)
            descs.append(.init(lengthBits: bits, pattern: ref(source, desc.pattern)))
        }
        let region = Array(territory.regionCode.utf8)
        precondition(region.count <= 4, "region code too long: \(territory.regionCode)")
        var regionBytes: UInt32 = 0
        for (i, byte) in region.enumerated() { regionBytes |= UInt32(byte) << (8 * UInt32(i)) }
        let lengths = territory.general.possibleLengths
        territories.append(.init(
            possibleLengthBits: Self.bits(lengths), localOnlyLengthBits: Self.bits(territory.general.localOnlyLengths),
            minimumLength: Int32(lengths.first ?? -1), maximumLength: Int32(lengths.last ?? -1),
            leadingDigits: ref(leadingDigits, territory.leadingDigits),
            nationalPrefixForParsing: ref(nationalPrefixForParsing, territory.nationalPrefixForParsing),
            stripsByMatchEnd: territory.nationalPrefixForParsing?.dfa != nil && territory.nationalPrefixTransformRule == nil,
            firstDesc: firstDesc, endDesc: Int32(descs.count), regionBytes: regionBytes, regionLength: Int32(region.count)))
        let code = territory.countryCallingCode
        precondition(code >= 0 && code <= PhoneValidationTables.maximumCallingCode, "calling code out of range: \(code)")
        if codes[code].count == 0 { codes[code].first = Int32(territories.count - 1) }
        precondition(Int(codes[code].first + codes[code].count) == territories.count - 1, "territories of \(code) not contiguous")
        codes[code].count += 1
    }

    /// Bits for lengths 0...63 (metadata lengths are at most 17; -1 marks "none" and sets no bit).
    private static func bits(_ lengths: [Int]) -> UInt64 {
        var bits: UInt64 = 0
        for length in lengths where length >= 0 {
            precondition(length < 64, "phone metadata length out of range: \(length)")
            bits |= 1 << UInt64(length)
        }
        return bits
    }

    /// Copies everything into allocations that are never freed (the tables live for the whole process).
    func finish() -> PhoneValidationTables {
        func freeze<T>(_ array: [T]) -> UnsafePointer<T> {
            let memory = UnsafeMutablePointer<T>.allocate(capacity: max(array.count, 1))
            _ = UnsafeMutableBufferPointer(start: memory, count: array.count).initialize(from: array)
            return UnsafePointer(memory)
        }
        return PhoneValidationTables(automata: freeze(automata), descs: freeze(descs), territories: freeze(territories),
                                     callingCodes: freeze(codes))
    }
}
