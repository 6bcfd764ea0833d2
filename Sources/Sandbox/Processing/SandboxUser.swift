import Foundation
import MigrationCore

/// An identity of a sandbox user: a login ID (stored normalised) or an OAuth identity with raw claims.
struct StoredIdentity: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// `value` is the stored (normalised) login ID and standard claim; `uniqueKey` the server's uniqueness key.
        case loginID(key: String, type: LoginIDType, value: String, uniqueKey: String)
        /// `claims` is the provider's claim object, matched raw by identifier lookups.
        case oauth(provider: String, subject: String, claims: JSONValue)
    }
    var id: String
    var kind: Kind
    /// A login ID as submitted (trimmed), before normalisation: the export's `original_value`.
    var originalValue: String?

    init(id: String, kind: Kind, originalValue: String? = nil) {
        self.id = id
        self.kind = kind
        self.originalValue = originalValue
    }

    /// The identity's standard claim `name` (`email`, `phone_number`, `preferred_username`), if it has one.
    func claim(_ name: String) -> String? {
        switch kind {
        case .loginID(_, let type, let value, _): return type.recordField == name ? value : nil
        case .oauth(_, _, let claims): return claims[name]?.stringValue
        }
    }

    /// Every (claim name, value) pair the identity carries for lookups.
    var claims: [(String, String)] {
        ["email", "phone_number", "preferred_username"].compactMap { name in claim(name).map { (name, $0) } }
    }

    var loginID: (key: String, type: LoginIDType, value: String, uniqueKey: String)? {
        if case .loginID(let key, let type, let value, let uniqueKey) = kind { return (key, type, value, uniqueKey) }
        return nil
    }

    var json: JSONValue {
        switch kind {
        case .loginID(let key, let type, let value, _):
            return .obj(["id": .string(id), "type": .string("login_id"), "key": .string(key),
                         "login_id_type": .string(type.rawValue), "value": .string(value),
                         "original_value": .string(originalValue ?? value)])
        case .oauth(let provider, let subject, let claims):
            return .obj(["id": .string(id), "type": .string("oauth"), "provider": .string(provider),
                         "subject": .string(subject), "claims": claims])
        }
    }
}

/// An authenticator of a sandbox user. Hashes and secrets are kept but never listed.
struct StoredAuthenticator: Sendable, Equatable {
    enum Kind: String, Sendable { case primary, secondary }
    enum AuthenticatorType: String, Sendable { case password, totp, oobOTPEmail = "oob_otp_email", oobOTPSMS = "oob_otp_sms" }
    var id: String
    var kind: Kind
    var type: AuthenticatorType
    var passwordHash: String?
    /// RFC 3339 text as given (password authenticators).
    var expireAfter: String?
    var secret: String?
    var displayName: String?
    var target: String?

    var json: JSONValue {
        var m = [JSONMember("id", .string(id)), JSONMember("kind", .string(kind.rawValue)), JSONMember("type", .string(type.rawValue))]
        switch type {
        case .password: m.append(JSONMember("expire_after", expireAfter.map(JSONValue.string) ?? .null))
        case .totp: m.append(JSONMember("display_name", .string(displayName ?? "")))
        case .oobOTPEmail, .oobOTPSMS: m.append(JSONMember("target", .string(target ?? "")))
        }
        return .object(m)
    }
}

/// The parts of Authgear's account status the import touches (`pkg/lib/authn/user/account_status.go`).
struct AccountStatusState: Sendable, Equatable {
    var disabled = false
    var validFrom: Date?
    var validUntil: Date?

    func isOutsideValidPeriod(at now: Date) -> Bool {
        if let from = validFrom, now < from { return true }
        if let until = validUntil, now >= until { return true }
        return false
    }

    /// `getMostAppropriateType`: `disabled`, else `outside_valid_period`, else `normal`.
    func statusType(at now: Date) -> String {
        disabled ? "disabled" : (isOutsideValidPeriod(at: now) ? "outside_valid_period" : "normal")
    }

    /// `isDisabled` as the Admin API reports it at `now`.
    func isDisabled(at now: Date) -> Bool { disabled || isOutsideValidPeriod(at: now) }

    /// `checkAllTimestampsAreValid` for the valid period.
    var periodIsValid: Bool {
        guard let from = validFrom, let until = validUntil else { return true }
        return from < until
    }

    var json: JSONValue {
        .obj([
            "disabled": .bool(disabled),
            "account_valid_from": validFrom.map { .string(SandboxTime.format($0)) } ?? .null,
            "account_valid_until": validUntil.map { .string(SandboxTime.format($0)) } ?? .null,
        ])
    }
}

/// One user of the sandbox project.
struct SandboxUser: Sendable, Equatable {
    var id: String
    /// The seeding reference (`nil` for imported users).
    var ref: String?
    var createdAt: Date
    /// Set by an upsert that changed the user (the Admin API's `updatedAt`; `createdAt` until then).
    var updatedAt: Date?
    var identities: [StoredIdentity] = []
    /// Verified (claim name, value) pairs, in the order they were verified.
    var verifiedClaims: [VerifiedClaim] = []
    var standardAttributes: [String: JSONValue] = [:]
    var customAttributes: [String: JSONValue] = [:]
    var roles: [String] = []
    var groups: [String] = []
    var authenticators: [StoredAuthenticator] = []
    var accountStatus = AccountStatusState()

    struct VerifiedClaim: Sendable, Equatable {
        var name: String
        var value: String
    }

    init(id: String, ref: String?, createdAt: Date) {
        self.id = id
        self.ref = ref
        self.createdAt = createdAt
    }

    /// Drops verified claims no identity carries any more (`RemoveOrphanedClaims`).
    mutating func removeOrphanedClaims() {
        verifiedClaims.removeAll { c in !identities.contains(where: { $0.claim(c.name) == c.value }) }
    }

    /// `PopulateIdentityAwareStandardAttributes`: keep `email`/`phone_number`/`preferred_username` if an
    /// identity still carries the value, else take the first identity's claim, else remove the attribute.
    mutating func populateIdentityAwareAttributes() {
        for name in ["email", "phone_number", "preferred_username"] {
            let values = identities.compactMap { $0.claim(name) }
            if let current = standardAttributes[name]?.stringValue, values.contains(current) { continue }
            standardAttributes[name] = values.first.map(JSONValue.string)
        }
    }

    /// The listing entry (never a hash or a secret).
    func json(now: Date) -> JSONValue {
        .obj([
            "id": .string(id),
            "ref": ref.map(JSONValue.string) ?? .null,
            "created_at": .string(SandboxTime.format(createdAt)),
            "identities": .array(identities.map(\.json)),
            "verified_claims": .array(verifiedClaims.map { .obj(["name": .string($0.name), "value": .string($0.value)]) }),
            "standard_attributes": ImportError.sortedObject(standardAttributes.map { JSONMember($0.key, $0.value) }),
            "custom_attributes": ImportError.sortedObject(customAttributes.map { JSONMember($0.key, $0.value) }),
            "roles": .array(roles.map(JSONValue.string)),
            "groups": .array(groups.map(JSONValue.string)),
            "authenticators": .array(authenticators.map(\.json)),
            "account_status": accountStatus.json,
            "is_disabled": .bool(accountStatus.isDisabled(at: now)),
        ])
    }
}
