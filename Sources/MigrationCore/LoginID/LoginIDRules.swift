import Foundation

/// A login ID as the server stores it.
public struct NormalizedLoginID: Sendable, Equatable {
    /// The stored login ID and standard claim (`email`, `phone_number`, `preferred_username`);
    /// for an email the domain stays Unicode (case-folded), never punycode.
    public let value: String
    /// The uniqueness key: equal to `value`, except that an email's domain is IDNA/punycode
    /// (`idna.ToASCII`). Two users whose keys match collide with `DuplicatedIdentity`.
    public let uniqueKey: String
}

/// The server's login-ID validation (`loginid.Checker.ValidateOne`) and normalisation
/// (`loginid.NormalizerFactory`), as run for imported login IDs (domain block/allow lists bypassed).
public enum LoginIDRules {
    /// Validates a login ID as the server does on import (trim first) and returns the normalised value the server stores.
    public static func normalize(_ raw: String, type: LoginIDType, project: ProjectConfig) -> Result<String, LoginIDFailure> {
        normalizeWithUniqueKey(raw, type: type, project: project).map(\.value)
    }

    /// Validates and normalises, also returning the uniqueness key.
    ///
    /// `formatChecked`: the caller already ran the record schema's `email` / `phone` format
    /// check on `raw` and it passed, so the email parse need not run again (the schema and the
    /// login-ID checker use the same `net/mail` rule); when trimming changes the value, the
    /// check runs anyway.
    public static func normalizeWithUniqueKey(
        _ raw: String, type: LoginIDType, project: ProjectConfig, formatChecked: Bool = false,
        knownPhoneCheck: PhoneNumberCheck? = nil
    ) -> Result<NormalizedLoginID, LoginIDFailure> {
        let value = GoStrings.trimSpace(raw)
        var phone: ParsedPhoneNumber?
        if let failure = validateTrimmed(value, type: type, project: project,
                                         skipEmailFormat: formatChecked && value == raw,
                                         knownPhoneCheck: value == raw ? knownPhoneCheck : nil, parsedPhone: &phone) {
            return .failure(failure)
        }
        switch type {
        case .email: return normalizeEmail(value, options: project.email)
        case .username: return normalizeUsername(value, options: project.username)
        case .phone:
            guard let parsed = phone else { return .failure(.unexpected("phone number does not parse")) }
            return .success(NormalizedLoginID(value: parsed.e164, uniqueKey: parsed.e164))
        }
    }

    /// The first failing check of the server's checker, or nil when the login ID is valid.
    public static func validate(_ raw: String, type: LoginIDType, project: ProjectConfig) -> LoginIDFailure? {
        var phone: ParsedPhoneNumber?
        return validateTrimmed(GoStrings.trimSpace(raw), type: type, project: project, skipEmailFormat: false,
                               knownPhoneCheck: nil, parsedPhone: &phone)
    }

    private static func validateTrimmed(_ value: String, type: LoginIDType, project: ProjectConfig,
                                        skipEmailFormat: Bool, knownPhoneCheck: PhoneNumberCheck?,
                                        parsedPhone: inout ParsedPhoneNumber?) -> LoginIDFailure? {
        guard let key = project.loginIDKey(for: type) else { return .general("login ID key is not allowed") }
        let length = value.utf8.count
        if length > key.maxLength { return .maxLength(actual: length, expected: key.maxLength) }
        if value.isEmpty { return .required }
        switch type {
        case .email:
            // `validation.FormatEmail{}`: net/mail.ParseAddress without display name (shared with the record schema).
            guard skipEmailFormat || FormatRules.email(value) == nil else { return .format("email") }
            let (local, _) = splitAtLastAt(value)
            if project.email.blockPlusSign, local.utf8.contains(UInt8(ascii: "+")) { return .blocked("BlockPlusSign") }
            return nil
        case .username:
            return UsernameLoginIDChecker.validate(value, options: project.username)
        case .phone:
            switch knownPhoneCheck ?? PhoneNumbers.check(value, method: project.phoneInput.validationMethod) {
            case .valid(let parsed):
                parsedPhone = parsed
                if let allowlist = project.phoneInput.allowlist, !allowlist.isEmpty,
                   !allowlist.contains(parsed.regionCode ?? "") {
                    return .blocked("PhoneNumberCountryCodeAllowlist")
                }
                return nil
            case .notE164, .invalid:
                return .format("phone")
            }
        }
    }

    /// `EmailNormalizer.Normalize` + `ComputeUniqueKey`.
    private static func normalizeEmail(_ value: String, options: EmailLoginIDOptions) -> Result<NormalizedLoginID, LoginIDFailure> {
        let (rawLocal, rawDomain) = splitAtLastAt(value)
        guard let domain = Precis.foldCase(rawDomain, .freeform) else {
            return .failure(.unexpected("failed to case fold email"))
        }
        var local = nfkc(rawLocal)
        if !options.caseSensitive {
            guard let folded = Precis.foldCase(local, .freeform) else {
                return .failure(.unexpected("failed to case fold email"))
            }
            local = folded
        }
        if options.ignoreDotSign { local = local.replacingOccurrences(of: ".", with: "") }
        let asciiDomain: String
        do { asciiDomain = try IDNAPunycode.toASCII(domain) } catch {
            return .failure(.unexpected("idna: invalid label \"\(error.label)\""))
        }
        return .success(NormalizedLoginID(value: local + "@" + domain, uniqueKey: local + "@" + asciiDomain))
    }

    /// `UsernameNormalizer.Normalize`: NFKC, then PRECIS Identifier + fold unless case-sensitive.
    private static func normalizeUsername(_ value: String, options: UsernameLoginIDOptions) -> Result<NormalizedLoginID, LoginIDFailure> {
        var username = nfkc(value)
        if !options.caseSensitive {
            guard let folded = Precis.foldCase(username, .identifier) else {
                return .failure(.unexpected("failed to case fold username"))
            }
            username = folded
        }
        return .success(NormalizedLoginID(value: username, uniqueKey: username))
    }

    /// Go's `loginID[:at], loginID[at+1:]` with `at = strings.LastIndex(loginID, "@")`.
    static func splitAtLastAt(_ s: String) -> (local: String, domain: String) {
        let bytes = Array(s.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return (s, "") }
        return (String(decoding: bytes[..<at], as: UTF8.self), String(decoding: bytes[(at + 1)...], as: UTF8.self))
    }

    /// `norm.NFKC.String`, skipped for ASCII (already NFKC).
    static func nfkc(_ s: String) -> String {
        s.utf8.allSatisfy({ $0 < 0x80 }) ? s : s.precomposedStringWithCompatibilityMapping
    }
}
