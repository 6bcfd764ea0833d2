import MigrationCore

extension RecordRun {
    /// `insertRecordInTxn` (§7.2): the new user, or the first error. Warnings accumulate in order.
    mutating func insert() throws(ImportError) -> SandboxUser {
        var user = SandboxUser(id: UserStore.newID(), ref: nil, createdAt: now)

        // 1. Login IDs: email, phone_number, preferred_username; all validated, then duplicate-checked.
        var specs: [(LoginIDType, String)] = []
        for type in LoginIDType.allCases {
            let field = type.recordField
            guard let value = fields[field] else { continue }
            if value.isNull {
                warnings.append("\(field) = null has no effect in insert.")
            } else if !project.allowsImport(of: type) {
                warnings.append("\(field) is ignored because it is not an allowed login ID.")
            } else if let raw = value.stringValue {
                specs.append((type, raw))
            }
        }
        var created: [(LoginIDType, StoredIdentity)] = []
        for (type, raw) in specs { created.append((type, try newLoginID(raw, type: type))) }
        for (type, identity) in created {
            try checkDuplicate(identity, type: type, userID: user.id)
            user.identities.append(identity)
        }
        user.populateIdentityAwareAttributes()

        // 2. Verified claims.
        for (flag, claim) in [("email_verified", "email"), ("phone_number_verified", "phone_number")] {
            guard let verified = fields[flag]?.boolValue else { continue }
            if !verified {
                warnings.append("\(flag) = false has no effect in insert.")
            } else if let value = user.identities.lazy.compactMap({ $0.claim(claim) }).first {
                user.verifiedClaims.append(.init(name: claim, value: value))
            } else {
                warnings.append("\(flag) = true has no effect when \(claim) is absent.")
            }
        }

        // 3–4. Standard and custom attributes.
        applyStandardAttributes(to: &user)
        try applyCustomAttributes(to: &user)

        // 5. Account status.
        if let disabled = fields["disabled"]?.boolValue {
            if disabled { user.accountStatus.disabled = true } else { warnings.append("disabled = false has no effect in insert.") }
        }
        try applyValidPeriod(to: &user.accountStatus)

        // 6. Roles, groups.
        try applyRolesAndGroups(to: &user)

        // 7–11. Authenticators.
        if let password = fields["password"] {
            user.authenticators.append(try passwordAuthenticator(password, kind: .primary))
        }
        let mfa = self.mfa
        if let password = mfa?["password"] {
            user.authenticators.append(try passwordAuthenticator(password, kind: .secondary))
        }
        for (key, type) in [("email", StoredAuthenticator.AuthenticatorType.oobOTPEmail), ("phone_number", .oobOTPSMS)] {
            guard let value = mfa?[key] else { continue }
            if let target = value.stringValue {
                user.authenticators.append(try oobAuthenticator(type, target: target))
            } else {
                warnings.append("mfa.\(key) = null has no effect in insert.")
            }
        }
        if let totp = mfa?["totp"] {
            let secret = totp["secret"]?.stringValue ?? ""
            if let message = TOTPSecretRules.check(secret) { throw ImportError.totpSecret(message) }
            user.authenticators.append(StoredAuthenticator(id: UserStore.newID(), kind: .secondary, type: .totp,
                                                           secret: secret, displayName: "Imported"))
        }
        return user
    }

    /// A password authenticator from `{"type": "bcrypt", "password_hash", "expire_after"?}`.
    private func passwordAuthenticator(_ password: JSONValue, kind: StoredAuthenticator.Kind) throws(ImportError) -> StoredAuthenticator {
        let hash = password["password_hash"]?.stringValue ?? ""
        if let failure = PasswordHashRules.check(hash) { throw ImportError.passwordHash(failure) }
        let expire = password["expire_after"]?.stringValue.flatMap(SandboxTime.parse).map(SandboxTime.format)
        return StoredAuthenticator(id: UserStore.newID(), kind: kind, type: .password, passwordHash: hash, expireAfter: expire)
    }
}
