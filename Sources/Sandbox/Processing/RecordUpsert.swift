import MigrationCore

extension RecordRun {
    /// `upsertRecordInTxn` (§7.4): the updated user, or the first error. Warnings accumulate in order.
    mutating func upsert(_ existing: SandboxUser) throws(ImportError) -> SandboxUser {
        var user = existing

        // 1. The non-identifier login IDs (the identifier's own identity is never modified).
        for type in LoginIDType.allCases where type.recordField != identifier.field {
            guard let value = fields[type.recordField] else { continue }
            if value.isNull {
                try removeLoginIDs(of: type, from: &user)
            } else if let raw = value.stringValue {
                try upsertLoginID(raw, type: type, in: &user)
            }
        }

        // 2. Verified claims: exact match against the stored login ID of key `email` / `phone`.
        for (flag, claim, type) in [("email_verified", "email", LoginIDType.email), ("phone_number_verified", "phone_number", .phone)] {
            guard let verified = fields[flag]?.boolValue else { continue }
            guard let value = fields[claim] else {
                warnings.append("\(flag) has no effect when \(claim) is absent.")
                continue
            }
            guard let raw = value.stringValue else {
                warnings.append("\(flag) has no effect when \(claim) = null.")
                continue
            }
            let matches = user.identities.contains { $0.loginID.map { $0.type == type && $0.key == type.rawValue && $0.value == raw } ?? false }
            guard matches else { continue }
            let isVerified = user.verifiedClaims.contains(.init(name: claim, value: raw))
            if verified, !isVerified { user.verifiedClaims.append(.init(name: claim, value: raw)) }
            if !verified { user.verifiedClaims.removeAll { $0 == .init(name: claim, value: raw) } }
        }

        // 3–4. Standard and custom attributes.
        applyStandardAttributes(to: &user)
        try applyCustomAttributes(to: &user)

        // 5. Account status: invalid transitions are warnings; an inverted valid period is an error.
        if let disabled = fields["disabled"]?.boolValue {
            let from = user.accountStatus.statusType(at: now)
            if disabled {
                if user.accountStatus.disabled {
                    warnings.append("invalid account status transition: \(from) -> disabled")
                } else {
                    user.accountStatus.disabled = true
                }
            } else if user.accountStatus.disabled {
                user.accountStatus.disabled = false
            } else {
                warnings.append("invalid account status transition: \(from) -> normal")
            }
        }
        try applyValidPeriod(to: &user.accountStatus)

        // 6. Roles, groups. (7. password, mfa.password, mfa.totp: ignored without a warning.)
        try applyRolesAndGroups(to: &user)

        // 8. mfa.email / mfa.phone_number: null removes, a value replaces unless identical.
        let mfa = self.mfa
        for (key, type) in [("email", StoredAuthenticator.AuthenticatorType.oobOTPEmail), ("phone_number", .oobOTPSMS)] {
            guard let value = mfa?[key] else { continue }
            let isSecondaryOfType = { (a: StoredAuthenticator) in a.kind == .secondary && a.type == type }
            if let target = value.stringValue {
                if user.authenticators.contains(where: { isSecondaryOfType($0) && $0.target == target }) { continue }
                let authenticator = try oobAuthenticator(type, target: target)
                user.authenticators.removeAll(where: isSecondaryOfType)
                user.authenticators.append(authenticator)
            } else {
                user.authenticators.removeAll(where: isSecondaryOfType)
            }
        }
        user.updatedAt = now
        return user
    }

    /// `value` → every login ID of that type (key named after the type) takes the new value, or one is created.
    private func upsertLoginID(_ raw: String, type: LoginIDType, in user: inout SandboxUser) throws(ImportError) {
        let positions = user.identities.indices.filter { isImportKey(user.identities[$0], type) }
        var changed: [StoredIdentity] = []
        if positions.isEmpty {
            changed.append(try newLoginID(raw, type: type))
        } else {
            for i in positions { changed.append(try newLoginID(raw, type: type, id: user.identities[i].id)) }
        }
        for identity in changed {
            try checkDuplicate(identity, type: type, userID: user.id)
            if let i = user.identities.firstIndex(where: { $0.id == identity.id }) {
                user.identities[i] = identity
            } else {
                user.identities.append(identity)
            }
        }
        user.removeOrphanedClaims()
        user.populateIdentityAwareAttributes()
    }

    /// `null` → deletes every login ID of that type, each deletion checked as `IdentityDelete` does.
    private func removeLoginIDs(of type: LoginIDType, from user: inout SandboxUser) throws(ImportError) {
        for identity in user.identities where isImportKey(identity, type) {
            let remaining = user.identities.filter { $0.id != identity.id }
            if remaining.isEmpty {
                throw ImportError.invariant("RemoveLastIdentity", "cannot remove last identity")
            }
            // Primary OOB authenticators of the deleted login ID go with it.
            let authenticators = user.authenticators.filter { a in
                !(a.kind == .primary && a.type != .password && a.target == identity.loginID?.value)
            }
            for other in remaining {
                guard let login = other.loginID else { continue }
                let applicable = authenticators.contains { a in
                    guard a.kind == .primary else { return false }
                    switch a.type {
                    case .password: return true
                    case .oobOTPEmail: return login.type == .email && a.target == login.value
                    case .oobOTPSMS: return login.type == .phone && a.target == login.value
                    case .totp: return false
                    }
                }
                if !applicable {
                    throw ImportError.invariant("RemoveLastPrimaryAuthenticator", "cannot remove last primary authenticator for identity",
                                                extra: [JSONMember("identity_id", .string(other.id))])
                }
            }
            user.identities = remaining
            user.authenticators = authenticators
            user.removeOrphanedClaims()
            user.populateIdentityAwareAttributes()
        }
    }

    private func isImportKey(_ identity: StoredIdentity, _ type: LoginIDType) -> Bool {
        guard let login = identity.loginID else { return false }
        return login.type == type && login.key == type.rawValue
    }
}
