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

    /// The server's `regexp.Match(`^ *\+[0-9\ \-]*$`, input)`, as a byte loop.
    static func passesServerPrecheck(_ input: String) -> Bool {
        var sawPlus = false
        for byte in input.utf8 {
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

    /// Parses a pre-checked input the way `phonenumbers.Parse(input, "")` does; nil where it returns an error
    /// (not viable, unknown calling code, national number too short or too long). The national significant
    /// number comes back as ASCII digit bytes.
    static func parse(_ input: String, metadata: PhoneMetadata) -> (callingCode: Int, nationalNumber: [UInt8], territory: PhoneTerritory)? {
        let count = input.utf8.count
        if count == 0 || count > maxInputLength { return nil }
        // extractPossibleNumber + normalize: after the "+", only the digits matter.
        var digits: [UInt8] = []
        digits.reserveCapacity(count)
        for byte in input.utf8 where byte >= 0x30 && byte <= 0x39 { digits.append(byte) }
        // isViablePhoneNumber: "+" followed by at least three digits.
        guard digits.count >= 3 else { return nil }
        // extractCountryCode: calling codes never start with 0; try 1, 2, 3 digits.
        guard digits[0] != 0x30 else { return nil }
        var callingCode = 0
        var found: (territory: PhoneTerritory, length: Int)?
        for length in 1...maxCallingCodeLength where length <= digits.count {
            callingCode = callingCode * 10 + Int(digits[length - 1] - 0x30)
            if let main = metadata.mainTerritory(forCallingCode: callingCode) {
                found = (main, length)
                break
            }
        }
        guard let (territory, codeLength) = found else { return nil }
        var national = Array(digits[codeLength...])
        if national.count < minNSNLength { return nil }

        // Strip a national prefix only if what remains is still of a possible length.
        let stripped = stripNationalPrefix(national, territory: territory)
        switch territory.testNumberLength(stripped.count) {
        case .tooShort, .isPossibleLocalOnly, .invalidLength: break
        case .isPossible, .tooLong: national = stripped
        }
        if national.count < minNSNLength || national.count > maxNSNLength { return nil }
        // setItalianLeadingZerosForPhoneNumber + GetNationalSignificantNumber reproduce the digit string
        // exactly (leading zeros included), so the NSN is `national` itself.
        return (callingCode, national, territory)
    }

    /// libphonenumber `maybeStripNationalPrefixAndCarrierCode`; returns the number unchanged when it does not apply.
    static func stripNationalPrefix(_ number: [UInt8], territory: PhoneTerritory) -> [UInt8] {
        guard !number.isEmpty, let prefix = territory.nationalPrefixForParsing,
              let match = prefix.matchAtStart(number) else { return number }
        let generalMatches = { (digits: [UInt8]) in territory.general.pattern?.matchesEntirely(digits) ?? false }
        let isViableOriginal = generalMatches(number)
        let rest = number[match.end...]
        // Java: transform only when there is a rule and the last capturing group took part in the match.
        let lastGroupMissing = match.groups.last.map { $0 == nil } ?? false
        if let rule = territory.nationalPrefixTransformRule, !lastGroupMissing {
            let transformed = expand(rule, groups: match.groups, in: number) + rest
            if isViableOriginal && !generalMatches(transformed) { return number }
            return transformed
        }
        if isViableOriginal && !generalMatches(Array(rest)) { return number }
        return Array(rest)
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

    /// libphonenumber `GetRegionCodeForNumber`: the single territory of the calling code, or the first one
    /// (in metadata order) whose leading digits match, or which has no leading digits and knows the number's type.
    static func territoryForNumber(callingCode: Int, nationalNumber: [UInt8], metadata: PhoneMetadata) -> PhoneTerritory? {
        guard let territories = metadata.territoriesByCallingCode[callingCode], !territories.isEmpty else { return nil }
        if territories.count == 1 { return territories[0] }
        for territory in territories {
            if let leading = territory.leadingDigits {
                if leading.matchAtStart(nationalNumber) != nil { return territory }
            } else if territory.hasKnownNumberType(nationalNumber) {
                return territory
            }
        }
        return nil
    }
}
