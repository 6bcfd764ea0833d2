import MigrationCore

/// A user as the project holds it, read from an export record (export spec §8) or from the
/// Admin GraphQL `User` type (§13). The verifier compares these with what was sent.
public struct ProjectUser: Sendable, Equatable {
    /// One login-ID identity: the configured key (`email`, `work_email`, …), its type
    /// (`email`/`phone`/`username`), the normalised value and the value as submitted.
    public struct LoginID: Sendable, Equatable {
        public var key: String
        public var type: String
        public var value: String
        public var originalValue: String?
        public init(key: String, type: String, value: String, originalValue: String? = nil) {
            self.key = key
            self.type = type
            self.value = value
            self.originalValue = originalValue
        }
    }

    /// The user's UUID (the export's `sub`; the GraphQL node ID decoded).
    public var id: String
    /// Standard attributes by name (`email`, `name`, `address`, `email_verified`, …); absent = not set.
    public var standardAttributes: [String: JSONValue]
    public var customAttributes: [String: JSONValue]
    public var roles: [String]
    public var groups: [String]
    public var disabled: Bool
    public var loginIDs: [LoginID]
    /// TOTP secrets of the user's authenticators; nil when the source does not expose them (GraphQL).
    public var totpSecrets: [String]?
    /// `mfa.emails` / `mfa.phone_numbers`; nil when the source does not expose them.
    public var mfaEmails: [String]?
    public var mfaPhoneNumbers: [String]?

    public init(id: String, standardAttributes: [String: JSONValue] = [:], customAttributes: [String: JSONValue] = [:],
                roles: [String] = [], groups: [String] = [], disabled: Bool = false, loginIDs: [LoginID] = [],
                totpSecrets: [String]? = nil, mfaEmails: [String]? = nil, mfaPhoneNumbers: [String]? = nil) {
        self.id = id
        self.standardAttributes = standardAttributes
        self.customAttributes = customAttributes
        self.roles = roles
        self.groups = groups
        self.disabled = disabled
        self.loginIDs = loginIDs
        self.totpSecrets = totpSecrets
        self.mfaEmails = mfaEmails
        self.mfaPhoneNumbers = mfaPhoneNumbers
    }

    /// The standard attributes an import record can set (import spec §6), in record order.
    public static let standardAttributeNames = [
        "email", "phone_number", "preferred_username", "email_verified", "phone_number_verified", "name", "given_name",
        "family_name", "middle_name", "nickname", "profile", "picture", "website", "gender", "birthdate", "zoneinfo",
        "locale", "address",
    ]

    private static let standardAttributeNameSet = Set(standardAttributeNames)

    /// A user from one export NDJSON record; nil when it has no `sub`. One pass over the record's
    /// members (a member repeated reads as its last, as `JSONValue`'s subscript does): a verify
    /// reads a million of these.
    public init?(exportRecord json: JSONValue) {
        guard case .object(let members) = json else { return nil }
        var sub: String?
        var attributes: [String: JSONValue] = [:]
        var custom: [String: JSONValue] = [:]
        var identities: [JSONValue] = []
        var mfa: JSONValue?
        var roles: [String] = [], groups: [String] = []
        var disabled = false
        for m in members {
            switch m.key {
            case "sub": sub = m.value.stringValue
            case "custom_attributes":
                custom = [:]
                for c in m.value.objectValue ?? [] { custom[c.key] = c.value }
            case "identities": identities = m.value.arrayValue ?? []
            case "mfa": mfa = m.value
            case "roles": roles = m.value.arrayValue?.compactMap(\.stringValue) ?? []
            case "groups": groups = m.value.arrayValue?.compactMap(\.stringValue) ?? []
            case "disabled": disabled = m.value.boolValue ?? false
            case "address" where m.value.objectValue?.isEmpty == true: attributes["address"] = nil
            case let key where Self.standardAttributeNameSet.contains(key): attributes[key] = m.value
            default: break
            }
        }
        guard let sub else { return nil }
        var loginIDs: [LoginID] = []
        for identity in identities where identity["type"]?.stringValue == "login_id" {
            guard let l = identity["login_id"], let value = l["value"]?.stringValue else { continue }
            loginIDs.append(LoginID(key: l["key"]?.stringValue ?? "", type: l["type"]?.stringValue ?? "", value: value,
                                    originalValue: l["original_value"]?.stringValue))
        }
        self.init(id: sub, standardAttributes: attributes, customAttributes: custom, roles: roles, groups: groups,
                  disabled: disabled, loginIDs: loginIDs,
                  totpSecrets: mfa?["totps"]?.arrayValue?.compactMap { $0["secret"]?.stringValue } ?? [],
                  mfaEmails: mfa?["emails"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                  mfaPhoneNumbers: mfa?["phone_numbers"]?.arrayValue?.compactMap(\.stringValue) ?? [])
    }

    /// The login ID values of `type` (`email`, `phone`, `username`).
    public func loginIDValues(type: String) -> [String] {
        loginIDs.filter { $0.type == type }.map(\.value)
    }
}
