import Foundation
import MigrationCore

extension SandboxProject {
    /// Parses a `PUT /_sandbox/project` body; omitted top-level keys take the §12 defaults.
    public init(json: JSONValue) throws(ControlError) {
        let body = try ControlReader(json).object(allowing: [
            "project_id", "login_id_keys", "login_id_types", "phone_input", "roles", "groups",
            "custom_attributes", "usage_limits", "admin_keys", "user_export_enabled",
        ])
        var config = ProjectConfig.default
        var keys = ProjectConfig.default.loginIDKeys
        if let r = body.member("project_id") { config.projectID = try r.string() }
        if let r = body.member("login_id_keys") { keys = try SandboxProject.loginIDKeys(r) }
        if let r = body.member("login_id_types") {
            let types = try r.object(allowing: ["email", "username", "phone"])
            if let e = types.member("email") { config.email = try SandboxProject.emailOptions(e) }
            if let u = types.member("username") { config.username = try SandboxProject.usernameOptions(u) }
            if let p = types.member("phone") { _ = try p.object(allowing: []) }
        }
        if let r = body.member("phone_input") { config.phoneInput = try SandboxProject.phoneInput(r) }
        if let r = body.member("roles") { config.roles = try r.distinctStrings() }
        if let r = body.member("groups") { config.groups = try r.distinctStrings() }
        if let r = body.member("custom_attributes") { config.customAttributes = try SandboxProject.customAttributes(r) }
        var limits: [UsageLimit] = []
        var exportLimits: [UsageLimit] = []
        if let r = body.member("usage_limits"), !r.value.isNull {
            let l = try r.object(allowing: ["user_import", "user_export"])
            for name in ["user_import", "user_export"] {
                if let list = l.member(name), !list.value.isNull {
                    for item in try list.items() {
                        let o = try item.object(allowing: ["quota", "period", "action"])
                        guard let q = o.member("quota") else { throw item.fail("missing \"quota\"") }
                        let period = try o.member("period")?.oneOf(["day", "month"]) ?? "day"
                        let action = try o.member("action")?.oneOf(["block", "alert"]) ?? "block"
                        let limit = UsageLimit(quota: try q.int(minimum: 0), period: UsageLimit.Period(rawValue: period)!,
                                               action: UsageLimit.Action(rawValue: action)!)
                        if name == "user_import" { limits.append(limit) } else { exportLimits.append(limit) }
                    }
                }
            }
        }
        var admin: [AdminKey] = []
        if let r = body.member("admin_keys") {
            for item in try r.items() {
                let o = try item.object(allowing: ["kid", "public_key_pem"])
                guard let kid = o.member("kid") else { throw item.fail("missing \"kid\"") }
                guard let pem = o.member("public_key_pem") else { throw item.fail("missing \"public_key_pem\"") }
                let kidText = try kid.string()
                if admin.contains(where: { $0.kid == kidText }) { throw kid.fail("duplicate kid \"\(kidText)\"") }
                let pemText = try pem.string()
                guard pemText.contains("-----BEGIN PUBLIC KEY-----") else { throw pem.fail("must be a PEM \"PUBLIC KEY\"") }
                admin.append(AdminKey(kid: kidText, publicKeyPEM: pemText))
            }
        }
        self.init(loginIDKeys: keys, config: config, adminKeys: admin, usageLimits: limits)
        exportUsageLimits = exportLimits
        if let r = body.member("user_export_enabled") { userExportEnabled = try r.bool() }
    }

    private static func loginIDKeys(_ r: ControlReader) throws(ControlError) -> [LoginIDKey] {
        var keys: [LoginIDKey] = []
        for item in try r.items() {
            let o = try item.object(allowing: ["key", "type", "max_length"])
            guard let t = o.member("type") else { throw item.fail("missing \"type\"") }
            let type = LoginIDType(rawValue: try t.oneOf(["email", "phone", "username"]))!
            let key = try o.member("key")?.string() ?? type.rawValue
            if keys.contains(where: { $0.key == key }) { throw (o.member("key") ?? item).fail("duplicate login ID key \"\(key)\"") }
            let max = try o.member("max_length")?.int(minimum: 1)
            keys.append(LoginIDKey(key: key, type: type, maxLength: max))
        }
        return keys
    }

    private static func emailOptions(_ r: ControlReader) throws(ControlError) -> EmailLoginIDOptions {
        let o = try r.object(allowing: ["case_sensitive", "block_plus_sign", "ignore_dot_sign"])
        var options = EmailLoginIDOptions()
        if let v = o.member("case_sensitive") { options.caseSensitive = try v.bool() }
        if let v = o.member("block_plus_sign") { options.blockPlusSign = try v.bool() }
        if let v = o.member("ignore_dot_sign") { options.ignoreDotSign = try v.bool() }
        return options
    }

    private static func usernameOptions(_ r: ControlReader) throws(ControlError) -> UsernameLoginIDOptions {
        let o = try r.object(allowing: ["case_sensitive", "ascii_only", "block_reserved_usernames", "excluded_keywords"])
        var options = UsernameLoginIDOptions()
        if let v = o.member("case_sensitive") { options.caseSensitive = try v.bool() }
        if let v = o.member("ascii_only") { options.asciiOnly = try v.bool() }
        if let v = o.member("block_reserved_usernames") { options.blockReservedUsernames = try v.bool() }
        if let v = o.member("excluded_keywords") { options.excludedKeywords = try v.distinctStrings() }
        return options
    }

    private static func phoneInput(_ r: ControlReader) throws(ControlError) -> PhoneInputOptions {
        let o = try r.object(allowing: ["validation_method", "allowlist"])
        var options = PhoneInputOptions()
        if let v = o.member("validation_method") {
            options.validationMethod = PhoneValidationMethod(rawValue: try v.oneOf(["isValidNumber", "isPossibleNumber"]))!
        }
        if let v = o.member("allowlist"), !v.value.isNull {
            let codes = try v.distinctStrings()
            for (i, code) in codes.enumerated() where !SandboxProject.regionCodes.contains(code) {
                throw ControlError(message: "\"\(code)\" is not an ISO 3166-1 alpha-2 code", path: v.path + "/\(i)")
            }
            options.allowlist = codes
        }
        return options
    }

    /// ISO 3166-1 alpha-2 region codes known to Foundation.
    static let regionCodes: Set<String> = Set(Locale.Region.isoRegions.map(\.identifier).filter { $0.count == 2 && $0.allSatisfy(\.isLetter) })

    private static func customAttributes(_ r: ControlReader) throws(ControlError) -> [CustomAttribute] {
        var out: [CustomAttribute] = []
        for item in try r.items() {
            let o = try item.object(allowing: ["name", "type", "minimum", "maximum", "enum"])
            guard let n = o.member("name") else { throw item.fail("missing \"name\"") }
            guard let t = o.member("type") else { throw item.fail("missing \"type\"") }
            let name = try n.string()
            if out.contains(where: { $0.name == name }) { throw n.fail("duplicate custom attribute \"\(name)\"") }
            let kinds = ["string", "number", "integer", "enum", "phone_number", "email", "url", "country_code"]
            let type = CustomAttribute.Kind(rawValue: try t.oneOf(kinds))!
            var attribute = CustomAttribute(name: name, type: type)
            for (key, isMin) in [("minimum", true), ("maximum", false)] {
                guard let v = o.member(key) else { continue }
                guard type == .number || type == .integer else { throw v.fail("only number and integer attributes have \(key)") }
                if isMin { attribute.minimum = try v.double() } else { attribute.maximum = try v.double() }
            }
            if let min = attribute.minimum, let max = attribute.maximum, min > max {
                throw o.member("maximum")!.fail("must not be less than minimum")
            }
            if let e = o.member("enum") {
                guard type == .enumeration else { throw e.fail("only enum attributes have enum") }
                attribute.enumValues = try e.distinctStrings()
                if attribute.enumValues.isEmpty { throw e.fail("must not be empty") }
            } else if type == .enumeration {
                throw item.fail("missing \"enum\"")
            }
            out.append(attribute)
        }
        return out
    }
}
