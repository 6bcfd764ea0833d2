import Foundation

/// The common case of validation, decided straight from a record's bytes.
///
/// A file of a million records is mostly records that are plainly fine: a flat object of
/// known fields, strings without escapes, an ASCII e-mail address, a bcrypt hash. This check
/// reads such a record once, without building a JSON tree or strings, and returns exactly the
/// verdict `RecordValidator` would (the same issues, the same request size, the same login-ID
/// fingerprints). Whenever a record holds anything else — an escape, a number, a field it
/// does not know, an empty name, anything that would be an error — it answers nil and the
/// caller runs the full validator, which alone words errors. So this path never decides an
/// error and never needs its own copy of a rule's message.
///
/// **A rule changes in both places**: here and in `RecordValidator` / `RecordSchema` (a rule this
/// path does not model must make it answer nil). The differential tests that hold the two to the
/// same answers are `RecordFastPathTests` (generated, borderline and byte-mutated records under
/// several project settings) and `ValidationPassTests` (whole files, CSV rows).
struct RecordFastPath: Sendable {
    let settings: ValidationSettings
    private let emailMaxLength: Int?
    /// Whether the project has a login-ID key for phone numbers / usernames.
    private let allowsPhone: Bool
    private let allowsUsername: Bool
    private let phoneMaxLength: Int
    private let phoneAllowsEveryCountry: Bool
    /// Fingerprint seeds of the identifier and of each login-ID type.
    private let identifierSeed = LoginIDKeys.seed("id")
    private let emailSeed = LoginIDKeys.seed(LoginIDType.email.rawValue)
    private let phoneSeed = LoginIDKeys.seed(LoginIDType.phone.rawValue)
    private let usernameSeed = LoginIDKeys.seed(LoginIDType.username.rawValue)
    private let roles: [[UInt8]]
    private let groups: [[UInt8]]
    /// The project's custom attributes (same order), with their names and enum values as bytes.
    private let attributes: [(name: [UInt8], type: CustomAttribute.Kind, enumValues: [[UInt8]])]
    private let warnings: Warnings
    /// The schema's format checks (for the fields whose format this path does not read itself).
    private var schema: RecordSchema { RecordSchema(settings: settings) }

    /// A verdict of the fast path: warnings only (never errors), the compact size, and the
    /// fingerprints of the record's login IDs (at most one per type).
    struct Verdict {
        var issues: [Issue] = []
        var size = 0
        var fingerprints: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var fingerprintCount = 0

        /// Adds a warning given as a one-element list: the first is shared, not copied.
        mutating func add(_ warning: [Issue]) {
            if issues.isEmpty { issues = warning } else { issues += warning }
        }

        mutating func add(_ h: UInt64) {
            switch fingerprintCount {
            case 0: fingerprints.0 = h
            case 1: fingerprints.1 = h
            default: fingerprints.2 = h
            }
            fingerprintCount += 1
        }

        var fingerprintList: [UInt64] {
            [fingerprints.0, fingerprints.1, fingerprints.2].prefix(fingerprintCount).map { $0 }
        }
    }

    init(settings: ValidationSettings) {
        self.settings = settings
        let project = settings.project
        emailMaxLength = project.loginIDKey(for: .email)?.maxLength
        allowsPhone = project.loginIDKey(for: .phone) != nil
        phoneMaxLength = project.loginIDKey(for: .phone)?.maxLength ?? 0
        phoneAllowsEveryCountry = project.phoneInput.allowlist?.isEmpty ?? true
        allowsUsername = project.loginIDKey(for: .username) != nil
        roles = project.roles.map { Array($0.utf8) }
        groups = project.groups.map { Array($0.utf8) }
        attributes = project.customAttributes.map { (Array($0.name.utf8), $0.type, $0.enumValues.map { Array($0.utf8) }) }
        warnings = Warnings()
    }

    /// The record fields this path reads; any other key sends the record to the full validator.
    private enum Field: Int {
        case email, phoneNumber, preferredUsername, emailVerified, phoneNumberVerified, disabled
        case name, givenName, familyName, middleName, nickname, gender
        case password, customAttributes, roles, groups
        case birthdate, zoneinfo, locale, profile, website, picture, address, accountValidFrom, accountValidUntil

        /// The schema format of a nullable string field that has one.
        var format: String? {
            switch self {
            case .birthdate: return "birthdate"
            case .zoneinfo: return "timezone"
            case .locale: return "bcp47"
            case .profile, .website: return "uri"
            case .picture: return "x_picture"
            default: return nil
            }
        }
    }

    /// The verdict for one record's raw JSON, or nil when the full validator must decide.
    func check(_ bytes: UnsafeRawBufferPointer) -> Verdict? {
        var r = FastPathReader(bytes: bytes)
        var seen: UInt32 = 0
        var emailVerified: Bool?, phoneVerified: Bool?, disabled: Bool?
        var verdict = Verdict()
        var hasIdentifier = false
        var validFrom: Range<Int>?, validUntil: Range<Int>?
        let identifier = settings.identifier

        guard r.consume(UInt8(ascii: "{")) else { return nil }
        r.skipWhitespace()
        if !r.consume(UInt8(ascii: "}")) {
            while true {
                guard let key = r.plainString() else { return nil }
                guard let field = Self.field(r.bytes, key) else { return nil }
                let bit: UInt32 = 1 << UInt32(field.rawValue)
                guard seen & bit == 0 else { return nil }
                seen |= bit
                guard r.colon() else { return nil }
                switch field {
                case .email, .phoneNumber, .preferredUsername:
                    let type: LoginIDType = field == .email ? .email : (field == .phoneNumber ? .phone : .username)
                    let isIdentifier = identifier.loginIDType == type
                    guard let s = r.plainString() else { return nil }
                    let h = type == .email ? emailFingerprint(r.bytes, s, isIdentifier: isIdentifier)
                                           : loginIDFingerprint(r.bytes, s, type: type, isIdentifier: isIdentifier)
                    guard let h else { return nil }
                    verdict.add(h)
                    if isIdentifier { hasIdentifier = true }
                case .emailVerified:
                    guard let b = r.boolean() else { return nil }
                    emailVerified = b
                case .phoneNumberVerified:
                    guard let b = r.boolean() else { return nil }
                    phoneVerified = b
                case .disabled:
                    guard let b = r.boolean() else { return nil }
                    disabled = b
                case .name, .givenName, .familyName, .middleName, .nickname, .gender:
                    // minLength 1 or null.
                    if !r.null() {
                        guard let s = r.plainString(), !s.isEmpty else { return nil }
                    }
                case .password:
                    guard !settings.upsert, password(&r) else { return nil }
                case .customAttributes:
                    guard customAttributes(&r) else { return nil }
                case .roles:
                    guard stringArray(&r, allowed: roles) else { return nil }
                case .groups:
                    guard stringArray(&r, allowed: groups) else { return nil }
                case .birthdate, .zoneinfo, .locale, .profile, .website, .picture:
                    // Nullable strings with a format: the schema's own check on the (short) string.
                    if !r.null() {
                        guard let s = r.plainString(), schema.formatError(field.format!, r.string(s)) == nil else { return nil }
                    }
                case .accountValidFrom, .accountValidUntil:
                    guard let s = r.plainString(), schema.formatError("date-time", r.string(s)) == nil else { return nil }
                    if field == .accountValidFrom { validFrom = s } else { validUntil = s }
                case .address:
                    guard r.null() || address(&r) else { return nil }
                }
                guard let more = r.next(close: UInt8(ascii: "}")) else { return nil }
                if !more { break }
            }
        }
        guard r.atEnd, hasIdentifier else { return nil }
        // RecordValidator.accountStatus: the valid period must not be empty.
        if let validFrom, let validUntil, let a = RFC3339.instant(r.string(validFrom)), let b = RFC3339.instant(r.string(validUntil)),
           a >= b { return nil }

        // RecordValidator.verification and .accountStatus, in its order.
        verification(emailVerified, k: 0, present: seen & (1 << UInt32(Field.email.rawValue)) != 0, type: .email, into: &verdict)
        verification(phoneVerified, k: 1, present: seen & (1 << UInt32(Field.phoneNumber.rawValue)) != 0, type: .phone, into: &verdict)
        if !settings.upsert, disabled == false { verdict.add(warnings.disabledFalse) }
        verdict.size = r.compactLength
        return verdict
    }

    private func verification(_ value: Bool?, k: Int, present: Bool, type: LoginIDType, into verdict: inout Verdict) {
        guard let value else { return }
        if settings.upsert {
            if !present { verdict.add(warnings.upsertVerifiedAbsent[k]) }
        } else if !value {
            verdict.add(warnings.insertFalse[k])
        } else if !present || !(type == .email ? emailMaxLength != nil : allowsPhone) {
            verdict.add(warnings.insertVerifiedAbsent[k])
        }
    }

    // MARK: - Fields

    private static func field(_ bytes: UnsafeRawBufferPointer, _ key: Range<Int>) -> Field? {
        let p = bytes.baseAddress! + key.lowerBound
        func named(_ name: StaticString) -> Bool { memcmp(p, name.utf8Start, name.utf8CodeUnitCount) == 0 }
        switch key.count {
        case 4: return named("name") ? .name : nil
        case 5: return named("email") ? .email : (named("roles") ? .roles : nil)
        case 6: return named("gender") ? .gender : (named("groups") ? .groups : (named("locale") ? .locale : nil))
        case 7: return named("profile") ? .profile : (named("website") ? .website : (named("picture") ? .picture : (named("address") ? .address : nil)))
        case 8: return named("password") ? .password : (named("disabled") ? .disabled : (named("nickname") ? .nickname : (named("zoneinfo") ? .zoneinfo : nil)))
        case 9: return named("birthdate") ? .birthdate : nil
        case 10: return named("given_name") ? .givenName : nil
        case 11: return named("family_name") ? .familyName : (named("middle_name") ? .middleName : nil)
        case 12: return named("phone_number") ? .phoneNumber : nil
        case 14: return named("email_verified") ? .emailVerified : nil
        case 17: return named("custom_attributes") ? .customAttributes : nil
        case 18: return named("preferred_username") ? .preferredUsername : (named("account_valid_from") ? .accountValidFrom : nil)
        case 19: return named("account_valid_until") ? .accountValidUntil : nil
        case 21: return named("phone_number_verified") ? .phoneNumberVerified : nil
        default: return nil
        }
    }

    private static func equal(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, _ name: [UInt8]) -> Bool {
        guard range.count == name.count else { return false }
        guard !name.isEmpty else { return true }
        return name.withUnsafeBytes { memcmp(bytes.baseAddress! + range.lowerBound, $0.baseAddress!, name.count) == 0 }
    }

    /// A plain ASCII address that `net/mail` accepts and the server's normaliser leaves as it
    /// is (lower case, no IDNA label): its fingerprint, else nil.
    private func emailFingerprint(_ bytes: UnsafeRawBufferPointer, _ s: Range<Int>, isIdentifier: Bool) -> UInt64? {
        guard let maxLength = emailMaxLength, !s.isEmpty, s.count <= maxLength else { return nil }
        let email = settings.project.email
        var at = -1
        var previous: UInt8 = UInt8(ascii: ".")   // a part may not start with a dot
        for i in s {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                break
            case UInt8(ascii: "-"):
                // "--" could make an IDNA label ("xn--"): leave domains with it to the full check.
                if at >= 0, previous == UInt8(ascii: "-") { return nil }
            case UInt8(ascii: "+"):
                if at >= 0 || email.blockPlusSign { return nil }
            case UInt8(ascii: "."):
                if previous == UInt8(ascii: ".") || previous == UInt8(ascii: "@") { return nil }
                if at < 0, email.ignoreDotSign { return nil }
            case UInt8(ascii: "@"):
                if at >= 0 || previous == UInt8(ascii: ".") { return nil }
                at = i
            default:
                return nil
            }
            previous = b
        }
        guard at > s.lowerBound, at < s.upperBound - 1, previous != UInt8(ascii: ".") else { return nil }
        return LoginIDKeys.hash(seed: isIdentifier ? identifierSeed : emailSeed, bytes: bytes, s)
    }

    /// A phone number or username checked by the full login-ID rules (on a small string): its
    /// fingerprint when valid and already in the form the server stores, else nil.
    private func loginIDFingerprint(_ bytes: UnsafeRawBufferPointer, _ s: Range<Int>, type: LoginIDType, isIdentifier: Bool) -> UInt64? {
        guard !s.isEmpty, type == .phone ? allowsPhone : allowsUsername else { return nil }
        let raw = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[s]), as: UTF8.self)
        var known: PhoneNumberCheck?
        if type == .phone {
            let check = PhoneNumbers.check(raw, method: settings.project.phoneInput.validationMethod)
            guard let parsed = check.parsed else { return nil }
            // Already E.164 (so nothing to trim), short enough, no country allowlist: the
            // login-ID rules would store exactly these bytes.
            if parsed.e164 == raw, s.count <= phoneMaxLength, phoneAllowsEveryCountry {
                return LoginIDKeys.hash(seed: isIdentifier ? identifierSeed : phoneSeed, bytes: bytes, s)
            }
            known = check
        }
        guard case .success(let login) = LoginIDRules.normalizeWithUniqueKey(raw, type: type, project: settings.project,
                                                                             formatChecked: true, knownPhoneCheck: known) else { return nil }
        if isIdentifier { guard login.value == raw else { return nil } }
        let seed = isIdentifier ? identifierSeed : (type == .phone ? phoneSeed : usernameSeed)
        if login.uniqueKey == raw { return LoginIDKeys.hash(seed: seed, bytes: bytes, s) }
        var key = login.uniqueKey
        return key.withUTF8 { LoginIDKeys.hash(seed: seed, bytes: UnsafeRawBufferPointer($0), 0..<$0.count) }
    }

    /// `{"type": "bcrypt", "password_hash": "<a hash bcrypt can use>"}` in either order.
    private func password(_ r: inout FastPathReader) -> Bool {
        guard r.consume(UInt8(ascii: "{")) else { return false }
        r.skipWhitespace()
        var sawType = false, sawHash = false
        while true {
            guard let key = r.plainString(), r.colon(), let value = r.plainString() else { return false }
            if !sawType, Self.equal(r.bytes, key, Self.typeKey) {
                guard Self.equal(r.bytes, value, Self.bcrypt) else { return false }
                sawType = true
            } else if !sawHash, Self.equal(r.bytes, key, Self.passwordHashKey) {
                guard Self.isUsableBcrypt(r.bytes, value) else { return false }
                sawHash = true
            } else {
                return false
            }
            guard let more = r.next(close: UInt8(ascii: "}")) else { return false }
            if !more { break }
        }
        return sawType && sawHash
    }

    private static let typeKey = Array("type".utf8)
    private static let bcrypt = Array("bcrypt".utf8)
    private static let passwordHashKey = Array("password_hash".utf8)

    /// `$2a$`/`$2b$`/`$2y$`, a cost of 04…31, at least 59 bytes: what `PasswordHashRules` accepts.
    private static func isUsableBcrypt(_ bytes: UnsafeRawBufferPointer, _ s: Range<Int>) -> Bool {
        // Exactly 60: other lengths the server takes get a warning from the full validator.
        guard s.count == 60 else { return false }
        let p = s.lowerBound
        guard bytes[p] == UInt8(ascii: "$"), bytes[p + 1] == UInt8(ascii: "2"),
              bytes[p + 2] == UInt8(ascii: "a") || bytes[p + 2] == UInt8(ascii: "b") || bytes[p + 2] == UInt8(ascii: "y"),
              bytes[p + 3] == UInt8(ascii: "$") else { return false }
        let d1 = Int(bytes[p + 4]) - 0x30, d2 = Int(bytes[p + 5]) - 0x30
        guard (0...9).contains(d1), (0...9).contains(d2) else { return false }
        return (PasswordHashRules.minCost...PasswordHashRules.maxCost).contains(d1 * 10 + d2)
    }

    /// Known attributes with acceptable values (null allowed): plain strings and enums compared
    /// as bytes, other strings and numbers by `CustomAttributeRules` itself.
    private func customAttributes(_ r: inout FastPathReader) -> Bool {
        guard r.consume(UInt8(ascii: "{")) else { return false }
        r.skipWhitespace()
        if r.consume(UInt8(ascii: "}")) { return true }
        var seen: UInt64 = 0
        while true {
            guard let key = r.plainString(), r.colon(),
                  let k = attributes.firstIndex(where: { Self.equal(r.bytes, key, $0.name) }), k < 64, seen & (1 << UInt64(k)) == 0
            else { return false }
            seen |= 1 << UInt64(k)
            if r.null() {
                // null removes the attribute: no check.
            } else if let value = r.plainString() {
                switch attributes[k].type {
                case .string: guard !value.isEmpty else { return false }
                case .enumeration: guard attributes[k].enumValues.contains(where: { Self.equal(r.bytes, value, $0) }) else { return false }
                default:
                    guard CustomAttributeRules.check(.string(r.string(value)), settings.project.customAttributes[k],
                                                     phoneMethod: settings.project.phoneInput.validationMethod) == nil else { return false }
                }
            } else if let number = r.number() {
                guard CustomAttributeRules.check(.number(r.string(number)), settings.project.customAttributes[k],
                                                 phoneMethod: settings.project.phoneInput.validationMethod) == nil else { return false }
            } else {
                return false
            }
            guard let more = r.next(close: UInt8(ascii: "}")) else { return false }
            if !more { return true }
        }
    }

    /// `{"country": "HK", …}`: known address keys with non-empty strings.
    private func address(_ r: inout FastPathReader) -> Bool {
        guard r.consume(UInt8(ascii: "{")) else { return false }
        r.skipWhitespace()
        if r.consume(UInt8(ascii: "}")) { return true }
        var seen: UInt32 = 0
        while true {
            guard let key = r.plainString(), r.colon(),
                  let k = Self.addressKeys.firstIndex(where: { Self.equal(r.bytes, key, $0) }), seen & (1 << UInt32(k)) == 0,
                  let value = r.plainString(), !value.isEmpty
            else { return false }
            seen |= 1 << UInt32(k)
            guard let more = r.next(close: UInt8(ascii: "}")) else { return false }
            if !more { return true }
        }
    }

    private static let addressKeys = RecordSchema.addressKeys.map { Array($0.utf8) }

    /// An array of non-empty strings, each one of `allowed`.
    private func stringArray(_ r: inout FastPathReader, allowed: [[UInt8]]) -> Bool {
        guard r.consume(UInt8(ascii: "[")) else { return false }
        r.skipWhitespace()
        if r.consume(UInt8(ascii: "]")) { return true }
        while true {
            guard let s = r.plainString(), !s.isEmpty, allowed.contains(where: { Self.equal(r.bytes, s, $0) }) else { return false }
            guard let more = r.next(close: UInt8(ascii: "]")) else { return false }
            if !more { return true }
        }
    }
}
