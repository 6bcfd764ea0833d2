import Foundation

/// A phone number as libphonenumber parsed it (the server's `ParsedPhoneNumber`).
public struct ParsedPhoneNumber: Sendable, Equatable {
    /// `+<calling code><national significant number>`: what the server stores as the login ID.
    public let e164: String
    public let countryCallingCode: Int
    /// National significant number (digits only, Italian leading zeros kept).
    public let nationalNumber: String
    /// libphonenumber `GetRegionCodeForNumber` ("001" for non-geographic codes); nil when no region claims it.
    public let regionCode: String?

    public init(e164: String, countryCallingCode: Int, nationalNumber: String, regionCode: String?) {
        self.e164 = e164
        self.countryCallingCode = countryCallingCode
        self.nationalNumber = nationalNumber
        self.regionCode = regionCode
    }
}

/// Outcome of the server's `phone` format check.
public enum PhoneNumberCheck: Sendable, Equatable {
    case valid(ParsedPhoneNumber)
    /// No `+`, characters other than digits/spaces/dashes, unparseable, or (isValidNumber mode) not exactly E.164.
    case notE164
    /// Parsed, but not a possible number (or, in isValidNumber mode, not a valid one).
    case invalid

    /// The server's `details.error` text: "not in E.164 format" / "invalid phone number"; nil when valid.
    public var errorMessage: String? {
        switch self {
        case .valid: return nil
        case .notE164: return "not in E.164 format"
        case .invalid: return "invalid phone number"
        }
    }

    /// The parsed number when the check passed.
    public var parsed: ParsedPhoneNumber? {
        if case .valid(let number) = self { return number }
        return nil
    }
}

/// Phone-number validation exactly as the Authgear server does it with nyaruka/phonenumbers (libphonenumber).
public enum PhoneNumbers {
    /// libphonenumber metadata version the checks use.
    public static var metadataVersion: String { PhoneMetadataTable.version }

    /// The server's phone check for a project's `ui.phone_input.validation` method
    /// (`pkg/util/phone/parser.go`): `Require_IsPossibleNumber_IsValidNumber_UserInputInE164` for
    /// `.isValidNumber`, `Parse_IsPossibleNumber_ReturnE164` for `.isPossibleNumber`.
    public static func check(_ input: String, method: PhoneValidationMethod) -> PhoneNumberCheck {
        guard PhoneNumberParser.passesServerPrecheck(input) else { return .notE164 }
        let metadata = PhoneMetadata.shared
        guard let (code, nsn, main) = PhoneNumberParser.parse(input, metadata: metadata) else { return .notE164 }

        // IsPossibleNumber: possible length (local-only lengths count) for the calling code's main territory.
        switch main.testNumberLength(nsn.count) {
        case .isPossible, .isPossibleLocalOnly: break
        case .tooShort, .tooLong, .invalidLength: return .invalid
        }
        let national = String(decoding: nsn, as: UTF8.self)
        let e164 = "+\(code)\(national)"
        let territory = PhoneNumberParser.territoryForNumber(callingCode: code, nationalNumber: nsn, metadata: metadata)
        let parsed = ParsedPhoneNumber(e164: e164, countryCallingCode: code, nationalNumber: national, regionCode: territory?.regionCode)
        switch method {
        case .isPossibleNumber:
            return .valid(parsed)
        case .isValidNumber:
            // IsValidNumber: the number's region knows its type; then the input must be E.164 already.
            guard let territory, territory.hasKnownNumberType(nsn) else { return .invalid }
            return input == e164 ? .valid(parsed) : .notE164
        }
    }

    /// Region code (ISO alpha-2) libphonenumber assigns to a valid number ("001" for non-geo), for allowlists.
    public static func regionCode(of number: ParsedPhoneNumber) -> String? {
        PhoneNumberParser.territoryForNumber(
            callingCode: number.countryCallingCode, nationalNumber: Array(number.nationalNumber.utf8), metadata: .shared
        )?.regionCode
    }

    /// All regions sharing a calling code, main country first (libphonenumber `GetRegionCodesForCountryCode`).
    public static func regionCodes(forCallingCode code: Int) -> [String] {
        PhoneMetadata.shared.territoriesByCallingCode[code]?.map(\.regionCode) ?? []
    }
}
