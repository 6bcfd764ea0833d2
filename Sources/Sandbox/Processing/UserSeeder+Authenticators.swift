import MigrationCore

extension UserSeeder {
    /// One seeded authenticator: password (primary or secondary), TOTP (secondary), OOB email / SMS.
    func authenticator(_ r: ControlReader) throws(ControlError) -> StoredAuthenticator {
        let o = try r.object(allowing: ["kind", "type", "password_hash", "expire_after", "secret", "display_name", "target"])
        guard let k = o.member("kind") else { throw r.fail("missing \"kind\"") }
        guard let t = o.member("type") else { throw r.fail("missing \"type\"") }
        let kind = StoredAuthenticator.Kind(rawValue: try k.oneOf(["primary", "secondary"]))!
        let type = StoredAuthenticator.AuthenticatorType(rawValue: try t.oneOf(["password", "totp", "oob_otp_email", "oob_otp_sms"]))!
        let allowed: Set<String>
        switch type {
        case .password: allowed = ["password_hash", "expire_after"]
        case .totp: allowed = ["secret", "display_name"]
        case .oobOTPEmail, .oobOTPSMS: allowed = ["target"]
        }
        for key in ["password_hash", "expire_after", "secret", "display_name", "target"] where !allowed.contains(key) {
            if let v = o.member(key) { throw v.fail("not allowed for a \(type.rawValue) authenticator") }
        }
        var a = StoredAuthenticator(id: UserStore.newID(), kind: kind, type: type)
        switch type {
        case .password:
            a.passwordHash = UserSeeder.defaultPasswordHash
            if let h = o.member("password_hash"), !h.value.isNull {
                let hash = try h.string()
                if let failure = PasswordHashRules.check(hash) { throw h.fail("\(failure.reason): \(failure.message)") }
                a.passwordHash = hash
            }
            if let e = o.member("expire_after"), !e.value.isNull {
                let text = try e.string()
                guard FormatRules.dateTime(text) == nil else { throw e.fail("must be an RFC 3339 timestamp") }
                a.expireAfter = text
            }
        case .totp:
            guard kind == .secondary else { throw k.fail("a TOTP authenticator must be secondary") }
            a.secret = UserSeeder.randomSecret()
            if let s = o.member("secret"), !s.value.isNull {
                let secret = try s.string()
                if let message = TOTPSecretRules.check(secret) { throw s.fail("InvalidTOTPSecret: \(message)") }
                a.secret = secret
            }
            a.displayName = try o.member("display_name")?.string() ?? "Imported"
        case .oobOTPEmail:
            guard let v = o.member("target") else { throw r.fail("missing \"target\"") }
            let target = try v.string()
            if let e = FormatRules.email(target) { throw v.fail(e) }
            a.target = target
        case .oobOTPSMS:
            guard let v = o.member("target") else { throw r.fail("missing \"target\"") }
            let target = try v.string()
            if let e = PhoneNumbers.check(target, method: project.config.phoneInput.validationMethod).errorMessage { throw v.fail(e) }
            a.target = target
        }
        return a
    }

    /// A random 32-character base32 (A–Z2–7) TOTP secret.
    static func randomSecret() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var rng = SystemRandomNumberGenerator()
        return String((0..<32).map { _ in alphabet[Int(rng.next(upperBound: UInt32(32)))] })
    }
}
