import MigrationCore
import OpenSSLCrypto

/// An admin API signing key the sandbox accepts: `kid` and the RSA public key in PEM.
///
/// The PEM is parsed once, here: verifying a request never parses it again.
public struct AdminKey: Sendable, Equatable {
    public var kid: String
    /// The key as configured; setting it parses it again.
    public var publicKeyPEM: String { didSet { publicKey = Self.parse(publicKeyPEM) } }
    /// The parsed key, `nil` when the PEM is not an RSA public key (then no token verifies).
    public private(set) var publicKey: RSAKey?

    public init(kid: String, publicKeyPEM: String) {
        self.kid = kid
        self.publicKeyPEM = publicKeyPEM
        self.publicKey = Self.parse(publicKeyPEM)
    }

    /// Equal when `kid` and PEM text are (the parsed key follows from the PEM).
    public static func == (a: AdminKey, b: AdminKey) -> Bool {
        a.kid == b.kid && a.publicKeyPEM == b.publicKeyPEM
    }

    private static func parse(_ pem: String) -> RSAKey? { try? RSAKey(publicKeyPEM: Array(pem.utf8)) }
}

/// One `user_import` usage limit of the project.
public struct UsageLimit: Sendable, Equatable {
    public enum Period: String, Sendable { case day, month }
    public enum Action: String, Sendable { case block, alert }
    public var quota: Int
    public var period: Period
    public var action: Action
    public init(quota: Int, period: Period, action: Action) {
        self.quota = quota
        self.period = period
        self.action = action
    }
}

/// The sandbox project configuration: the body and the answer of `PUT /_sandbox/project`.
public struct SandboxProject: Sendable, Equatable {
    /// Every login-ID key of the project (`key` may differ from `type`), in configuration order.
    public var loginIDKeys: [LoginIDKey]
    /// The rest of the configuration, as MigrationCore validates against it.
    ///
    /// Its `loginIDKeys` hold only the keys the import uses: the server looks keys up by the
    /// *names* `email`, `phone`, `username` (`LoginIDConfig.GetKeyConfig`), while
    /// `ProjectConfig.loginIDKey(for:)` looks them up by type; see `importConfig(_:)`.
    public var config: ProjectConfig
    public var adminKeys: [AdminKey]
    public var usageLimits: [UsageLimit]
    /// `user_export` usage limits (1 unit per accepted export POST).
    public var exportUsageLimits: [UsageLimit] = []
    /// False emulates a server without an object store: both export routes answer 500 `UserExportDisabled`.
    public var userExportEnabled = true

    public init(loginIDKeys: [LoginIDKey], config: ProjectConfig, adminKeys: [AdminKey] = [], usageLimits: [UsageLimit] = []) {
        self.loginIDKeys = loginIDKeys
        self.config = SandboxProject.importConfig(config, keys: loginIDKeys)
        self.adminKeys = adminKeys
        self.usageLimits = usageLimits
    }

    /// The spec §12 default project (no admin keys: the server adds its own).
    public static let `default` = SandboxProject(loginIDKeys: ProjectConfig.default.loginIDKeys, config: .default)

    public var projectID: String { config.projectID }

    /// `config` with login-ID keys reduced to those named after a login-ID type, each checked as that type.
    static func importConfig(_ base: ProjectConfig, keys: [LoginIDKey]) -> ProjectConfig {
        var config = base
        config.loginIDKeys = LoginIDType.allCases.compactMap { type in
            keys.first(where: { $0.key == type.rawValue }).map { LoginIDKey(key: $0.key, type: type, maxLength: $0.maxLength) }
        }
        return config
    }

    /// The configuration for validating a login ID stored under `key` (seeding): only that key.
    /// The key is checked as its type: MigrationCore finds a key by its type's name, so a key named
    /// otherwise (`work_email` of type email) is presented under that name with its own limits.
    func config(forKey key: LoginIDKey) -> ProjectConfig {
        var config = self.config
        config.loginIDKeys = [LoginIDKey(key: key.type.rawValue, type: key.type, maxLength: key.maxLength)]
        return config
    }

    /// Whether the import can create login IDs of this type (a key named `email`/`phone`/`username` exists).
    func allowsImport(of type: LoginIDType) -> Bool {
        config.loginIDKeys.contains(where: { $0.type == type })
    }

    /// The effective configuration in the shape `PUT /_sandbox/project` accepts.
    public var json: JSONValue {
        let c = config
        let keys = JSONValue.array(loginIDKeys.map {
            .obj(["key": .string($0.key), "type": .string($0.type.rawValue), "max_length": .number(String($0.maxLength))])
        })
        let types = JSONValue.obj([
            "email": .obj([
                "case_sensitive": .bool(c.email.caseSensitive), "block_plus_sign": .bool(c.email.blockPlusSign),
                "ignore_dot_sign": .bool(c.email.ignoreDotSign),
            ]),
            "username": .obj([
                "case_sensitive": .bool(c.username.caseSensitive), "ascii_only": .bool(c.username.asciiOnly),
                "block_reserved_usernames": .bool(c.username.blockReservedUsernames),
                "excluded_keywords": .array(c.username.excludedKeywords.map(JSONValue.string)),
            ]),
        ])
        let phone = JSONValue.obj([
            "validation_method": .string(c.phoneInput.validationMethod.rawValue),
            "allowlist": c.phoneInput.allowlist.map { .array($0.map(JSONValue.string)) } ?? .null,
        ])
        let attributes = JSONValue.array(c.customAttributes.map { a in
            var m = [JSONMember("name", .string(a.name)), JSONMember("type", .string(a.type.rawValue))]
            if let min = a.minimum { m.append(JSONMember("minimum", .number(SandboxNumbers.text(min)))) }
            if let max = a.maximum { m.append(JSONMember("maximum", .number(SandboxNumbers.text(max)))) }
            if a.type == .enumeration { m.append(JSONMember("enum", .array(a.enumValues.map(JSONValue.string)))) }
            return .object(m)
        })
        func list(_ limits: [UsageLimit]) -> JSONValue {
            .array(limits.map {
                .obj(["quota": .number(String($0.quota)), "period": .string($0.period.rawValue), "action": .string($0.action.rawValue)])
            })
        }
        let limits = JSONValue.obj(["user_import": list(usageLimits), "user_export": list(exportUsageLimits)])
        return .obj([
            "project_id": .string(c.projectID),
            "login_id_keys": keys,
            "login_id_types": types,
            "phone_input": phone,
            "roles": .array(c.roles.map(JSONValue.string)),
            "groups": .array(c.groups.map(JSONValue.string)),
            "custom_attributes": attributes,
            "usage_limits": limits,
            "user_export_enabled": .bool(userExportEnabled),
            "admin_keys": .array(adminKeys.map { .obj(["kid": .string($0.kid), "public_key_pem": .string($0.publicKeyPEM)]) }),
        ])
    }
}
