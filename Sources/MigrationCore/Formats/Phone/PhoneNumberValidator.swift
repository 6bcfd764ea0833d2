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
        if let result = input.utf8.withContiguousStorageIfAvailable({ check(bytes: $0, input: input, method: method) }) {
            return result
        }
        return Array(input.utf8).withUnsafeBufferPointer { check(bytes: $0, input: input, method: method) }
    }

    /// `check` on the input's UTF-8 bytes; strings are built only for a valid result.
    private static func check(bytes: UnsafeBufferPointer<UInt8>, input: String, method: PhoneValidationMethod) -> PhoneNumberCheck {
        guard PhoneNumberParser.passesServerPrecheck(bytes) else { return .notE164 }
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: PhoneNumberParser.scratchCapacity) { scratch in
            let metadata = PhoneMetadata.shared
            guard let (code, nsn, main) = PhoneNumberParser.parse(bytes, metadata: metadata, scratch: scratch) else {
                return .notE164
            }
            let tables = metadata.tables
            // IsPossibleNumber: possible length (local-only lengths count) for the calling code's main territory.
            switch tables.testNumberLength(main, nsn.count) {
            case .isPossible, .isPossibleLocalOnly: break
            case .tooShort, .tooLong, .invalidLength: return .invalid
            }
            let found = tables.territoryForNumber(callingCode: code, nationalNumber: nsn)
            let inputIsE164 = isE164(bytes, callingCode: code, nationalNumber: nsn)
            switch method {
            case .isPossibleNumber:
                break
            case .isValidNumber:
                // IsValidNumber: the number's region knows its type; then the input must be E.164 already.
                guard let found, found.hasKnownType ?? tables.hasKnownNumberType(found.territory, nsn) else { return .invalid }
                guard inputIsE164 else { return .notE164 }
            }
            let e164 = inputIsE164 ? input : e164String(callingCode: code, nationalNumber: nsn)
            return .valid(ParsedPhoneNumber(e164: e164, countryCallingCode: code,
                                            nationalNumber: String(decoding: nsn, as: UTF8.self),
                                            regionCode: found.map { tables.regionCode($0.territory) }))
        }
    }

    /// True when the input bytes are exactly `+<calling code><national significant number>`.
    private static func isE164(_ bytes: UnsafeBufferPointer<UInt8>, callingCode: Int, nationalNumber: UnsafeBufferPointer<UInt8>) -> Bool {
        let codeLength = callingCode < 10 ? 1 : callingCode < 100 ? 2 : 3
        guard bytes.count == 1 + codeLength + nationalNumber.count, bytes[0] == 0x2B else { return false }
        var code = callingCode
        for i in stride(from: codeLength, through: 1, by: -1) {
            guard bytes[i] == UInt8(0x30 + code % 10) else { return false }
            code /= 10
        }
        for i in 0..<nationalNumber.count where bytes[1 + codeLength + i] != nationalNumber[i] { return false }
        return true
    }

    /// `"+\(callingCode)\(nationalNumber)"` written byte by byte.
    private static func e164String(callingCode: Int, nationalNumber: UnsafeBufferPointer<UInt8>) -> String {
        let codeLength = callingCode < 10 ? 1 : callingCode < 100 ? 2 : 3
        let total = 1 + codeLength + nationalNumber.count
        return String(unsafeUninitializedCapacity: total) { out in
            out[0] = 0x2B
            var code = callingCode
            for i in stride(from: codeLength, through: 1, by: -1) {
                out[i] = UInt8(0x30 + code % 10)
                code /= 10
            }
            for i in 0..<nationalNumber.count { out[1 + codeLength + i] = nationalNumber[i] }
            return total
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
