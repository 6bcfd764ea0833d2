/// The parts of an Authgear project's configuration that decide whether a record imports.
///
/// The defaults are the sandbox's default project (spec §12): login-ID keys `email`, `phone`,
/// `username`; case-insensitive, ASCII-only usernames with reserved names blocked; phone numbers
/// checked with libphonenumber's `isValidNumber`; roles `role_a…c`; groups `group_a`, `group_b`;
/// custom attributes `member_id`, `age`, `tier`.
public struct ProjectConfig: Sendable, Equatable {
    public var projectID: String
    public var loginIDKeys: [LoginIDKey]
    public var email: EmailLoginIDOptions
    public var username: UsernameLoginIDOptions
    public var phoneInput: PhoneInputOptions
    public var roles: [String]
    public var groups: [String]
    public var customAttributes: [CustomAttribute]

    public init(
        projectID: String = "myapp",
        loginIDKeys: [LoginIDKey] = [
            LoginIDKey(key: "email", type: .email),
            LoginIDKey(key: "phone", type: .phone),
            LoginIDKey(key: "username", type: .username),
        ],
        email: EmailLoginIDOptions = EmailLoginIDOptions(),
        username: UsernameLoginIDOptions = UsernameLoginIDOptions(),
        phoneInput: PhoneInputOptions = PhoneInputOptions(),
        roles: [String] = ["role_a", "role_b", "role_c"],
        groups: [String] = ["group_a", "group_b"],
        customAttributes: [CustomAttribute] = [
            CustomAttribute(name: "member_id", type: .string),
            CustomAttribute(name: "age", type: .integer, minimum: 0),
            CustomAttribute(name: "tier", type: .enumeration, enumValues: ["gold", "silver"]),
        ]
    ) {
        self.projectID = projectID
        self.loginIDKeys = loginIDKeys
        self.email = email
        self.username = username
        self.phoneInput = phoneInput
        self.roles = roles
        self.groups = groups
        self.customAttributes = customAttributes
    }

    public static let `default` = ProjectConfig()

    /// The login-ID key the server uses for a record field: the key named `email`, `phone` or `username`, if the project has one.
    public func loginIDKey(for type: LoginIDType) -> LoginIDKey? {
        loginIDKeys.first(where: { $0.key == type.rawValue })
    }
}

/// The three kinds of login ID a record can carry.
public enum LoginIDType: String, Sendable, CaseIterable, Codable {
    case email, phone, username

    /// The record field (and standard claim) that carries this login ID.
    public var recordField: String {
        switch self {
        case .email: return "email"
        case .phone: return "phone_number"
        case .username: return "preferred_username"
        }
    }

    public var defaultMaxLength: Int {
        switch self {
        case .email: return 320
        case .phone, .username: return 40
        }
    }
}

public struct LoginIDKey: Sendable, Equatable {
    public var key: String
    public var type: LoginIDType
    public var maxLength: Int
    public init(key: String, type: LoginIDType, maxLength: Int? = nil) {
        self.key = key
        self.type = type
        self.maxLength = maxLength ?? type.defaultMaxLength
    }
}

public struct EmailLoginIDOptions: Sendable, Equatable {
    public var caseSensitive = false
    public var blockPlusSign = false
    public var ignoreDotSign = false
    public init(caseSensitive: Bool = false, blockPlusSign: Bool = false, ignoreDotSign: Bool = false) {
        self.caseSensitive = caseSensitive
        self.blockPlusSign = blockPlusSign
        self.ignoreDotSign = ignoreDotSign
    }
}

public struct UsernameLoginIDOptions: Sendable, Equatable {
    public var caseSensitive = false
    public var asciiOnly = true
    public var blockReservedUsernames = true
    /// Non-empty turns on the excluded-keywords check.
    public var excludedKeywords: [String] = []
    public init(caseSensitive: Bool = false, asciiOnly: Bool = true, blockReservedUsernames: Bool = true, excludedKeywords: [String] = []) {
        self.caseSensitive = caseSensitive
        self.asciiOnly = asciiOnly
        self.blockReservedUsernames = blockReservedUsernames
        self.excludedKeywords = excludedKeywords
    }
}

public enum PhoneValidationMethod: String, Sendable, Codable {
    case isValidNumber, isPossibleNumber
}

public struct PhoneInputOptions: Sendable, Equatable {
    public var validationMethod: PhoneValidationMethod = .isValidNumber
    /// ISO 3166-1 alpha-2 region codes, or nil for every country.
    public var allowlist: [String]? = nil
    public init(validationMethod: PhoneValidationMethod = .isValidNumber, allowlist: [String]? = nil) {
        self.validationMethod = validationMethod
        self.allowlist = allowlist
    }
}

public struct CustomAttribute: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable {
        case string, number, integer, enumeration = "enum", phoneNumber = "phone_number", email, url, countryCode = "country_code"
    }
    public var name: String
    public var type: Kind
    public var minimum: Double?
    public var maximum: Double?
    public var enumValues: [String]
    public init(name: String, type: Kind, minimum: Double? = nil, maximum: Double? = nil, enumValues: [String] = []) {
        self.name = name
        self.type = type
        self.minimum = minimum
        self.maximum = maximum
        self.enumValues = enumValues
    }
}
