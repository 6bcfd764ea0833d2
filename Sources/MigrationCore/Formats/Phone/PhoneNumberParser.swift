import Foundation

/// libphonenumber's `Parse(input, "")` and `GetRegionCodeForNumber`, restricted to the inputs the
/// Authgear server lets through its `^ *\+[0-9 \-]*$` pre-check (so: no letters, extensions, IDDs or RFC 3966).
enum PhoneNumberParser {
    /// libphonenumber `MAX_INPUT_STRING_LENGTH`.
    static let maxInputLength = 250
    /// libphonenumber `MIN_LENGTH_FOR_NSN` / `MAX_LENGTH_FOR_NSN` / `MAX_LENGTH_COUNTRY_CODE`.
    static let minNSNLength = 2
    static let maxNSNLength = 17
    static let maxCallingCodeLength = 3

    /// Bytes `parse` needs in its scratch buffer: every digit of the longest accepted input.
    static let scratchCapacity = 256

    /// The server's `regexp.Match(`^ *\+[0-9\ \-]*$`, input)`, as a byte loop.
    static func passesServerPrecheck(_ input: String) -> Bool {
        var input = input
        return input.withUTF8 { passesServerPrecheck($0) }
    }

    /// `passesServerPrecheck` on the input's UTF-8 bytes.
    static func passesServerPrecheck(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var sawPlus = false
        for byte in input {
            if sawPlus {
                guard (byte >= 0x30 && byte <= 0x39) || byte == 0x20 || byte == 0x2D else { return false }
            } else if byte == 0x2B {
                sawPlus = true
            } else if byte != 0x20 {
                return false
            }
        }
        return sawPlus
    }

    /// Parses a pre-checked input (its UTF-8 bytes) the way `phonenumbers.Parse(input, "")` does; nil where it
    /// returns an error (not viable, unknown calling code, national number too short or too long). The national
    /// significant number comes back as ASCII digit bytes inside `scratch` (at least `scratchCapacity` bytes),
    /// the calling code's main territory as an index into `metadata.territoryList`.
    static func parse(_ input: UnsafeBufferPointer<UInt8>, metadata: PhoneMetadata, scratch: UnsafeMutableBufferPointer<UInt8>)
        -> (callingCode: Int, nationalNumber: UnsafeBufferPointer<UInt8>, territory: Int)? {
        let count = input.count
        if count == 0 || count > maxInputLength { return nil }
        precondition(scratch.count >= count, "phone parse scratch buffer too small")
        let tables = metadata.tables
        // extractPossibleNumber + normalize: after the "+", only the digits matter.
        var digitCount = 0
        for byte in input where byte >= 0x30 && byte <= 0x39 {
            scratch[digitCount] = byte
            digitCount += 1
        }
        // isViablePhoneNumber: "+" followed by at least three digits.
        guard digitCount >= 3 else { return nil }
        // extractCountryCode: calling codes never start with 0; try 1, 2, 3 digits.
        guard scratch[0] != 0x30 else { return nil }
        var callingCode = 0
        var found: (territory: Int, length: Int)?
        for length in 1...maxCallingCodeLength where length <= digitCount {
            callingCode = callingCode * 10 + Int(scratch[length - 1] - 0x30)
            let territories = tables.territoryRange(forCallingCode: callingCode)
            if !territories.isEmpty {
                found = (territories.lowerBound, length)
                break
            }
        }
        guard let (territory, codeLength) = found else { return nil }
        var national = UnsafeBufferPointer(rebasing: scratch[codeLength..<digitCount])
        if national.count < minNSNLength { return nil }

        // Strip a national prefix only if what remains is still of a possible length.
        let strip = stripNationalPrefix(national, territory: territory, metadata: metadata)
        let strippedCount: Int
        switch strip {
        case .unchanged: strippedCount = national.count
        case .suffix(let start): strippedCount = national.count - start
        case .replaced(let digits): strippedCount = digits.count
        }
        switch tables.testNumberLength(territory, strippedCount) {
        case .tooShort, .isPossibleLocalOnly, .invalidLength: break
        case .isPossible, .tooLong:
            switch strip {
            case .unchanged: break
            case .suffix(let start): national = UnsafeBufferPointer(rebasing: national[start...])
            case .replaced(let digits):
                if digits.count > maxNSNLength { return nil }
                for (i, digit) in digits.enumerated() { scratch[i] = digit }
                national = UnsafeBufferPointer(rebasing: scratch[0..<digits.count])
            }
        }
        if national.count < minNSNLength || national.count > maxNSNLength { return nil }
        // setItalianLeadingZerosForPhoneNumber + GetNationalSignificantNumber reproduce the digit string
        // exactly (leading zeros included), so the NSN is `national` itself.
        return (callingCode, national, territory)
    }

    /// What `stripNationalPrefix` did to a national number.
    enum NationalPrefixStrip {
        case unchanged
        /// The prefix ends at this offset and nothing replaces it.
        case suffix(from: Int)
        /// A transform rule rewrote the number.
        case replaced([UInt8])
    }

    /// libphonenumber `maybeStripNationalPrefixAndCarrierCode` for territory `t` (an index into `territoryList`).
    /// Without a transform rule only the end of the prefix match matters, which the automaton settles when a
    /// single prefix length matches; otherwise the backtracking matcher finds the leftmost-first match.
    static func stripNationalPrefix(_ number: UnsafeBufferPointer<UInt8>, territory t: Int, metadata: PhoneMetadata) -> NationalPrefixStrip {
        let tables = metadata.tables
        let record = tables.territories[t]
        let prefix = record.nationalPrefixForParsing
        guard !number.isEmpty, prefix != PhoneValidationTables.none else { return .unchanged }
        let general = tables.descs[Int(record.firstDesc)].pattern
        let uniqueEnd = tables.uniquePrefixMatchEnd(prefix, number)
        if uniqueEnd == PhoneValidationTables.noMatch { return .unchanged }
        if uniqueEnd >= 0 && record.stripsByMatchEnd {
            let rest = UnsafeBufferPointer(rebasing: number[uniqueEnd...])
            if tables.matchesEntirely(general, number) && !tables.matchesEntirely(general, rest) { return .unchanged }
            return .suffix(from: uniqueEnd)
        }
        let territory = metadata.territoryList[t]
        let digits = Array(number)
        guard let pattern = territory.nationalPrefixForParsing, let match = pattern.matchAtStart(digits) else { return .unchanged }
        let isViableOriginal = tables.matchesEntirely(general, number)
        // Java: transform only when there is a rule and the last capturing group took part in the match.
        let lastGroupMissing = match.groups.last.map { $0 == nil } ?? false
        if let rule = territory.nationalPrefixTransformRule, !lastGroupMissing {
            let transformed = expand(rule, groups: match.groups, in: digits) + digits[match.end...]
            let viable = transformed.withUnsafeBufferPointer { tables.matchesEntirely(general, $0) }
            if isViableOriginal && !viable { return .unchanged }
            return .replaced(transformed)
        }
        if isViableOriginal && !tables.matchesEntirely(general, UnsafeBufferPointer(rebasing: number[match.end...])) { return .unchanged }
        return .suffix(from: match.end)
    }

    /// Expands a `$n` replacement template against a match (unmatched groups expand to "").
    private static func expand(_ template: String, groups: [Range<Int>?], in number: [UInt8]) -> [UInt8] {
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

    /// libphonenumber `GetRegionCodeForNumber` (see `PhoneValidationTables.territoryForNumber`) as a territory.
    static func territoryForNumber(callingCode: Int, nationalNumber: [UInt8], metadata: PhoneMetadata) -> PhoneTerritory? {
        nationalNumber.withUnsafeBufferPointer { digits in
            metadata.tables.territoryForNumber(callingCode: callingCode, nationalNumber: digits)
                .map { metadata.territoryList[$0.territory] }
        }
    }
}
