import AuthgearAPI
import MigrationCore

/// One field of one user that differs from what was sent.
public struct FieldDifference: Sendable, Equatable {
    /// The record's field (`name`, `address.locality`, `custom_attributes.tier`, `roles`, `mfa.totp.secret`…).
    public var field: String
    /// What was sent and what the project holds, as JSON text; nil = absent. Secret fields
    /// hold ``RecordComparison/mask`` instead of their value.
    public var sent: String?
    public var found: String?

    public init(field: String, sent: String?, found: String?) {
        self.field = field
        self.sent = sent
        self.found = found
    }
}

/// Compares a record as sent with the user the project holds (the verifier's rules).
///
/// `null` sent means absent (an insert ignores it, an upsert removes the attribute). Login-ID
/// attributes are compared in the server's normalised form (MigrationCore's `LoginIDRules`).
/// Only custom attributes the project defines are compared (the server drops the others): the
/// verifier learns which from the users themselves (the export and GraphQL carry configured
/// attributes only), see ``differences(record:outcome:user:fully:customAttributeDefined:undecided:)``. A
/// TOTP secret is compared when the source exposes it (the export) and only for inserted users
/// (upsert ignores it); password hashes are never exported and never compared.
public struct RecordComparison: Sendable {
    public static let mask = "••••"
    public var identifier: ImportIdentifier
    public var project: ProjectConfig

    public init(identifier: ImportIdentifier, project: ProjectConfig) {
        self.identifier = identifier
        self.project = project
    }

    /// The normalised login ID the server stores for the record's identifier, or nil.
    public func normalizedIdentifier(_ record: JSONValue) -> String? {
        guard let raw = record[identifier.field]?.stringValue else { return nil }
        return try? LoginIDRules.normalize(raw, type: identifier.loginIDType, project: project).get()
    }

    /// The differences between `record` and `user`. With `fully` false (a skipped user) only the
    /// identifier is compared. Custom attributes are those of ``project``.
    public func differences(record: JSONValue, outcome: Outcome, user: ProjectUser, fully: Bool) -> [FieldDifference] {
        var undecided: [String] = []
        let names = Set(project.customAttributes.map(\.name))
        return differences(record: record, outcome: outcome, user: user, fully: fully,
                           customAttributeDefined: { names.contains($0) }, undecided: &undecided).filter { d in
            !d.field.hasPrefix("custom_attributes.") || names.contains(String(d.field.dropFirst("custom_attributes.".count)))
        }
    }

    /// The differences between `record` and `user`, every sent custom attribute compared: one the
    /// user holds, or `customAttributeDefined` says the project defines, is compared; one the user
    /// lacks while it is not known whether the project defines it (the server drops unknown custom
    /// attributes without a word) goes to `undecided` instead of being called a difference.
    public func differences(record: JSONValue, outcome: Outcome, user: ProjectUser, fully: Bool,
                            customAttributeDefined: (String) -> Bool, undecided: inout [String]) -> [FieldDifference] {
        var out: [FieldDifference] = []
        let type = identifier.loginIDType.rawValue
        // A login ID equal to the sent text is that text normalised already (normalisation is
        // idempotent): no need to normalise it again, which is most of a record's comparison.
        let found = user.loginIDValues(type: type)
        if let raw = record[identifier.field]?.stringValue, !found.contains(raw),
           let expected = normalizedIdentifier(record), !found.contains(expected) {
            out.append(FieldDifference(field: identifier.field, sent: JSONValue.string(expected).jsonText,
                                       found: found.isEmpty ? nil : found.map { JSONValue.string($0).jsonText }.joined(separator: ", ")))
        }
        guard fully, case .object(let members) = record else { return out }
        for m in members {
            switch m.key {
            case identifier.field: continue
            case "email", "phone_number", "preferred_username":
                let type: LoginIDType = m.key == "email" ? .email : (m.key == "phone_number" ? .phone : .username)
                var expected = m.value
                if let raw = m.value.stringValue, user.standardAttributes[m.key]?.stringValue == raw { continue }  // as sent
                if let raw = m.value.stringValue, let n = try? LoginIDRules.normalize(raw, type: type, project: project).get() {
                    expected = .string(n)
                }
                compare(m.key, expected, user.standardAttributes[m.key], into: &out)
            case "email_verified", "phone_number_verified":
                compare(m.key, m.value.isNull ? .bool(false) : m.value, user.standardAttributes[m.key] ?? .bool(false), into: &out)
            case "address":
                let known = ["formatted", "street_address", "locality", "region", "postal_code", "country"]
                let found = user.standardAttributes["address"]
                for k in known where m.value.has(k) || (m.value.isNull && found?[k] != nil) {
                    compare("address.\(k)", m.value[k] ?? .null, found?[k], into: &out)
                }
            case "custom_attributes":
                for c in m.value.objectValue ?? [] {
                    let found = user.customAttributes[c.key]
                    if found == nil, !c.value.isNull, !customAttributeDefined(c.key) {
                        undecided.append(c.key)
                        continue
                    }
                    compare("custom_attributes.\(c.key)", c.value, found, into: &out)
                }
            case "roles", "groups":
                let sent = Set(m.value.arrayValue?.compactMap(\.stringValue) ?? [])
                let found = m.key == "roles" ? user.roles : user.groups
                if sent != Set(found) {
                    out.append(FieldDifference(field: m.key, sent: list(sent.sorted()), found: found.isEmpty ? nil : list(found.sorted())))
                }
            case "disabled":
                // A validity period can disable a user too: only a sent `true` is checked then.
                let periodSet = record.has("account_valid_from") || record.has("account_valid_until")
                guard let sent = m.value.boolValue, sent || !periodSet else { continue }
                if sent != user.disabled {
                    out.append(FieldDifference(field: "disabled", sent: String(sent), found: String(user.disabled)))
                }
            case "mfa":
                compareMFA(m.value, outcome: outcome, user: user, into: &out)
            default:
                if ProjectUser.standardAttributeNames.contains(m.key) {
                    compare(m.key, m.value, user.standardAttributes[m.key], into: &out)
                }
            }
        }
        return out
    }

    /// The fields of `record` no verification can check, for saying so plainly.
    public static func uncheckable(_ record: JSONValue, outcome: Outcome, exposesTOTP: Bool) -> [String] {
        var out: [String] = []
        if record.has("password") { out.append("password") }
        if record["mfa"]?.has("password") == true { out.append("mfa.password") }
        if outcome == .inserted, record["mfa"]?.has("totp") == true, !exposesTOTP { out.append("mfa.totp.secret") }
        return out
    }

    private func compareMFA(_ mfa: JSONValue, outcome: Outcome, user: ProjectUser, into out: inout [FieldDifference]) {
        if outcome == .inserted, let secret = mfa["totp"]?["secret"]?.stringValue, let secrets = user.totpSecrets,
           !secrets.contains(secret) {
            out.append(FieldDifference(field: "mfa.totp.secret", sent: Self.mask, found: secrets.isEmpty ? nil : Self.mask + " (another secret)"))
        }
        for (key, found) in [("email", user.mfaEmails), ("phone_number", user.mfaPhoneNumbers)] {
            guard let found, let value = mfa[key] else { continue }
            if let sent = value.stringValue {
                var expected = sent
                if key == "email", let n = try? LoginIDRules.normalize(sent, type: .email, project: project).get() { expected = n }
                if !found.contains(expected) && !found.contains(sent) {
                    out.append(FieldDifference(field: "mfa.\(key)", sent: JSONValue.string(sent).jsonText, found: found.isEmpty ? nil : list(found)))
                }
            }
        }
    }

    private func compare(_ field: String, _ sent: JSONValue, _ found: JSONValue?, into out: inout [FieldDifference]) {
        let expected: JSONValue? = sent.isNull ? nil : sent
        let actual: JSONValue? = (found?.isNull ?? true) ? nil : found
        if Self.same(expected, actual) { return }
        let secret = SecretFields.isSecretField(field.split(separator: ".").last.map(String.init) ?? field)
        out.append(FieldDifference(field: field, sent: expected.map { secret ? Self.mask : $0.jsonText },
                                   found: actual.map { secret ? Self.mask : $0.jsonText }))
    }

    /// Equal as JSON values, numbers by value (the server stores them as float64).
    static func same(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case (let x?, let y?):
            if let p = x.doubleValue, let q = y.doubleValue { return p == q }
            if case .object(let l) = x, case .object(let r) = y {
                guard l.count == r.count else { return false }
                return l.allSatisfy { m in same(m.value, y[m.key]) }
            }
            if case .array(let l) = x, case .array(let r) = y {
                return l.count == r.count && zip(l, r).allSatisfy { same($0, $1) }
            }
            return x == y
        default: return false
        }
    }

    private func list(_ items: [String]) -> String { JSONValue.array(items.map(JSONValue.string)).jsonText }
}
