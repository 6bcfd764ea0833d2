import Foundation
import MigrationCore

extension UserStore {
    /// `POST /_sandbox/users`: creates the users of `body` (`{"users": [...]}`) and answers ref → user id.
    /// Atomic: on error nothing changes.
    public mutating func seed(_ body: JSONValue, project: SandboxProject, now: Date) throws(ControlError) -> [String: String] {
        let root = try ControlReader(body).object(allowing: ["users"])
        guard let list = root.member("users") else { throw root.fail("missing \"users\"") }
        var working = self
        var refs: [String: String] = [:]
        for item in try list.items() {
            let user = try UserSeeder(project: project, store: working, now: now).user(item)
            if refs[user.ref!] != nil { throw item.member("ref")!.fail("duplicate ref \"\(user.ref!)\"") }
            refs[user.ref!] = user.id
            working.commit(user)
        }
        self = working
        return refs
    }
}

/// Builds one seeded user from its control-API description, validating every field.
struct UserSeeder {
    let project: SandboxProject
    let store: UserStore
    let now: Date

    /// A valid bcrypt hash (of "password") for password authenticators seeded without one.
    static let defaultPasswordHash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"

    func user(_ r: ControlReader) throws(ControlError) -> SandboxUser {
        let o = try r.object(allowing: [
            "ref", "identities", "verified_claims", "standard_attributes", "custom_attributes", "roles", "groups",
            "account_status", "authenticators",
        ])
        guard let ref = o.member("ref") else { throw r.fail("missing \"ref\"") }
        var user = SandboxUser(id: UserStore.newID(), ref: try ref.string(), createdAt: now)
        if let list = o.member("identities") {
            for item in try list.items() { user.identities.append(try identity(item, user: user)) }
        }
        if let list = o.member("verified_claims") {
            for item in try list.items() {
                let c = try item.object(allowing: ["name", "value"])
                guard let n = c.member("name"), let v = c.member("value") else { throw item.fail("needs \"name\" and \"value\"") }
                user.verifiedClaims.append(.init(name: try n.oneOf(["email", "phone_number"]), value: try v.string()))
            }
        }
        if let attrs = o.member("standard_attributes") {
            guard case .object(let members) = attrs.value else { throw attrs.fail("must be an object") }
            for m in members { user.standardAttributes[m.key] = m.value }
        } else {
            for type in LoginIDType.allCases {
                if let v = user.identities.compactMap({ $0.loginID }).first(where: { $0.type == type }) {
                    user.standardAttributes[type.recordField] = .string(v.value)
                }
            }
        }
        if let attrs = o.member("custom_attributes") { user.customAttributes = try customAttributes(attrs) }
        if let roles = o.member("roles") { user.roles = try known(roles, project.config.roles, noun: "role") }
        if let groups = o.member("groups") { user.groups = try known(groups, project.config.groups, noun: "group") }
        if let status = o.member("account_status") { user.accountStatus = try accountStatus(status) }
        if let list = o.member("authenticators") {
            for item in try list.items() { user.authenticators.append(try authenticator(item)) }
        }
        return user
    }

    private func identity(_ r: ControlReader, user: SandboxUser) throws(ControlError) -> StoredIdentity {
        let o = try r.object(allowing: ["type", "key", "value", "provider", "subject", "claims"])
        guard let t = o.member("type") else { throw r.fail("missing \"type\"") }
        let identity: StoredIdentity
        switch try t.oneOf(["login_id", "oauth"]) {
        case "login_id":
            for k in ["provider", "subject", "claims"] where o.member(k) != nil { throw o.member(k)!.fail("not allowed for a login ID") }
            guard let k = o.member("key") else { throw r.fail("missing \"key\"") }
            guard let v = o.member("value") else { throw r.fail("missing \"value\"") }
            let keyName = try k.string()
            guard let key = project.loginIDKeys.first(where: { $0.key == keyName }) else {
                throw k.fail("the project has no login ID key \"\(keyName)\"")
            }
            let raw = try v.string(nonEmpty: false)
            switch LoginIDRules.normalizeWithUniqueKey(raw, type: key.type, project: project.config(forKey: key)) {
            case .failure(let failure): throw v.fail("invalid login ID: \(failure.message)")
            case .success(let login):
                identity = StoredIdentity(id: UserStore.newID(), kind: .loginID(key: key.key, type: key.type, value: login.value, uniqueKey: login.uniqueKey),
                                          originalValue: raw.trimmingCharacters(in: .whitespacesAndNewlines))
                if user.identities.contains(where: { $0.loginID?.key == key.key && $0.loginID?.uniqueKey == login.uniqueKey }) {
                    throw v.fail("duplicate login ID \"\(login.value)\" in this user")
                }
                if let dup = store.duplicate(of: identity, userID: user.id) {
                    throw v.fail("login ID \"\(login.value)\" collides with an identity (\(dup.id)) of another user")
                }
            }
        default:
            for k in ["key", "value"] where o.member(k) != nil { throw o.member(k)!.fail("not allowed for an OAuth identity") }
            guard let p = o.member("provider") else { throw r.fail("missing \"provider\"") }
            let provider = try p.string()
            let subject = try o.member("subject")?.string() ?? UserStore.newID()
            var claims = JSONValue.object([])
            if let c = o.member("claims") {
                guard case .object = c.value else { throw c.fail("must be an object") }
                claims = c.value
            }
            identity = StoredIdentity(id: UserStore.newID(), kind: .oauth(provider: provider, subject: subject, claims: claims))
            let taken = user.identities.contains(where: { $0.kind.isOAuth(provider, subject) })
            if taken || store.duplicate(ofOAuth: provider, subject) {
                throw (o.member("subject") ?? p).fail("OAuth identity \(provider)/\(subject) already exists")
            }
        }
        return identity
    }

    private func customAttributes(_ r: ControlReader) throws(ControlError) -> [String: JSONValue] {
        guard case .object(let members) = r.value else { throw r.fail("must be an object") }
        var out: [String: JSONValue] = [:]
        for m in members {
            guard project.config.customAttributes.contains(where: { $0.name == m.key }) else {
                throw r.member(m.key)!.fail("the project has no custom attribute \"\(m.key)\"")
            }
            if !m.value.isNull { out[m.key] = m.value }
        }
        let probe = JSONValue.obj(["email": .string("a@example.com"), "custom_attributes": r.value])
        let settings = ValidationSettings(identifier: .email, project: project.config)
        if let issue = RecordValidator(settings: settings).validate(probe).issues.first(where: {
            $0.cause != nil && $0.rule.hasPrefix("custom_attribute.")
        }) {
            throw ControlError(message: issue.message, path: r.path + issue.pointer.dropFirst("/custom_attributes".count))
        }
        return out
    }

    private func known(_ r: ControlReader, _ known: [String], noun: String) throws(ControlError) -> [String] {
        let keys = try r.distinctStrings()
        for (i, key) in keys.enumerated() where !known.contains(key) {
            throw ControlError(message: "the project has no \(noun) \"\(key)\"", path: r.path + "/\(i)")
        }
        return keys
    }

    private func accountStatus(_ r: ControlReader) throws(ControlError) -> AccountStatusState {
        let o = try r.object(allowing: ["disabled", "account_valid_from", "account_valid_until"])
        var state = AccountStatusState()
        if let d = o.member("disabled") { state.disabled = try d.bool() }
        for key in ["account_valid_from", "account_valid_until"] {
            guard let v = o.member(key), !v.value.isNull else { continue }
            let text = try v.string()
            guard FormatRules.dateTime(text) == nil, let date = SandboxTime.parse(text) else { throw v.fail("must be an RFC 3339 timestamp") }
            if key == "account_valid_from" { state.validFrom = date } else { state.validUntil = date }
        }
        if !state.periodIsValid { throw o.member("account_valid_until")!.fail("must be later than account_valid_from") }
        return state
    }
}

extension StoredIdentity.Kind {
    func isOAuth(_ provider: String, _ subject: String) -> Bool {
        if case .oauth(provider, subject, _) = self { return true }
        return false
    }
}
