import Foundation

extension PhoneNumbers {
    /// Whether `region` (ISO 3166 alpha-2, any case) is a region the phone metadata knows.
    public static func isKnownRegion(_ region: String) -> Bool {
        territoryIndex(region.uppercased()) != nil
    }

    /// `input` written in E.164 (`+14155550123`) as the server will accept it under `method`, or
    /// nil when it is not a number of `defaultRegion` (or of the country its `+`/`00` prefix names).
    /// Spaces, dashes, dots, slashes and parentheses are dropped; a number without `+` or `00` is
    /// read as a national number of `defaultRegion` (its national prefix, such as the UK's 0,
    /// removed as libphonenumber does).
    public static func e164(_ input: String, defaultRegion: String, method: PhoneValidationMethod = .isValidNumber) -> String? {
        var kept = ""
        for ch in input.trimmingCharacters(in: .whitespacesAndNewlines) {
            if ch.isASCII, ch.isNumber { kept.append(ch) }
            else if ch == "+", kept.isEmpty { kept.append(ch) }
            else if " -./()\u{00A0}".contains(ch) { continue }
            else { return nil }
        }
        if kept.hasPrefix("00") { kept = "+" + kept.dropFirst(2) }
        if kept.hasPrefix("+") { return check(kept, method: method).parsed?.e164 }
        guard !kept.isEmpty, let t = territoryIndex(defaultRegion.uppercased()) else { return nil }
        let metadata = PhoneMetadata.shared
        let code = metadata.territoryList[t].countryCallingCode
        let digits = Array(kept.utf8)
        let national: [UInt8] = digits.withUnsafeBufferPointer { buffer in
            switch PhoneNumberParser.stripNationalPrefix(buffer, territory: t, metadata: metadata) {
            case .unchanged: return digits
            case .suffix(let from): return Array(digits[from...])
            case .replaced(let rewritten): return rewritten
            }
        }
        return check("+\(code)" + String(decoding: national, as: UTF8.self), method: method).parsed?.e164
    }

    private static func territoryIndex(_ region: String) -> Int? {
        PhoneMetadata.shared.territoryList.firstIndex { $0.regionCode == region }
    }
}
