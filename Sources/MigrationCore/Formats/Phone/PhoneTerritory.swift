/// A libphonenumber `PhoneNumberDesc`: national-number pattern plus possible lengths.
struct PhoneNumberDesc: Sendable {
    /// nil when the description is absent or has no pattern (never matches).
    let pattern: PhonePattern?
    /// Empty means "same as the general description" (no length pre-check); `[-1]` means no numbers of this type.
    let possibleLengths: [Int]
    let localOnlyLengths: [Int]

    /// libphonenumber `isNumberMatchingDesc`: length pre-check, then a whole-string pattern match.
    func matches(_ nationalNumber: [UInt8]) -> Bool {
        if !possibleLengths.isEmpty && !possibleLengths.contains(nationalNumber.count) { return false }
        guard let pattern else { return false }
        return pattern.matchesEntirely(nationalNumber)
    }
}

/// Metadata of one region (e.g. "US") or non-geographic entity ("001" for +800, +808, …).
/// A class so that passing it around costs one reference count, not one per pattern.
final class PhoneTerritory: Sendable {
    let regionCode: String
    let countryCallingCode: Int
    let isMainCountryForCode: Bool
    /// Prefix pattern that selects this region among those sharing a calling code.
    let leadingDigits: PhonePattern?
    let nationalPrefixForParsing: PhonePattern?
    /// Replacement template in `$1` form, or nil.
    let nationalPrefixTransformRule: String?
    let general: PhoneNumberDesc
    /// The ten number-type descriptions (fixed line and mobile first: only "matches any" matters here).
    let numberTypes: [PhoneNumberDesc]

    init(regionCode: String, countryCallingCode: Int, isMainCountryForCode: Bool, leadingDigits: PhonePattern?,
         nationalPrefixForParsing: PhonePattern?, nationalPrefixTransformRule: String?,
         general: PhoneNumberDesc, numberTypes: [PhoneNumberDesc]) {
        self.regionCode = regionCode
        self.countryCallingCode = countryCallingCode
        self.isMainCountryForCode = isMainCountryForCode
        self.leadingDigits = leadingDigits
        self.nationalPrefixForParsing = nationalPrefixForParsing
        self.nationalPrefixTransformRule = nationalPrefixTransformRule
        self.general = general
        self.numberTypes = numberTypes
    }
}

/// libphonenumber's `ValidationResult` for possible-length checks.
enum PhoneLengthResult: Sendable {
    case isPossible, isPossibleLocalOnly, tooShort, tooLong, invalidLength
}

extension PhoneTerritory {
    /// libphonenumber `testNumberLength(number, metadata, UNKNOWN)`.
    func testNumberLength(_ length: Int) -> PhoneLengthResult {
        let possible = general.possibleLengths
        guard let minimum = possible.first, minimum != -1 else { return .invalidLength }
        if general.localOnlyLengths.contains(length) { return .isPossibleLocalOnly }
        if minimum == length { return .isPossible }
        if minimum > length { return .tooShort }
        if possible[possible.count - 1] < length { return .tooLong }
        return possible.dropFirst().contains(length) ? .isPossible : .invalidLength
    }

    /// libphonenumber `getNumberTypeHelper(...) != UNKNOWN`: matches the general description and some number type.
    func hasKnownNumberType(_ nationalNumber: [UInt8]) -> Bool {
        guard general.matches(nationalNumber) else { return false }
        for desc in numberTypes where desc.matches(nationalNumber) {
            return true
        }
        return false
    }
}
