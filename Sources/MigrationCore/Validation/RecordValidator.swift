/// Validates one record the way the server will process it, before the server sees it.
///
/// Findings are values (`Issue`s), never thrown errors. Besides the server's schema (spec §6)
/// it applies what the worker checks later (login IDs §7.3, password hashes and TOTP secrets
/// §7.2, roles, groups, custom attributes, account validity) and warns about what the server
/// would warn about or silently ignore (§9.1, §7.5).
///
/// **A rule changes in both places**: plain records are judged by `RecordFastPath` from their
/// bytes, which must give this validator's exact verdict or step aside; `RecordFastPathTests`
/// (differential, generated and mutated records) fails when the two disagree.
public struct RecordValidator: Sendable {
    public let settings: ValidationSettings

    public init(settings: ValidationSettings) {
        self.settings = settings
    }

    /// The outcome of validating one record.
    public struct Result: Sendable, Equatable {
        public var issues: [Issue]
        /// The identifier as the server will store it (trimmed, folded, E.164), when valid.
        public var normalizedIdentifier: String?
        /// The server's unique key for the identifier (IDNA domain for emails): equal keys are the same user.
        public var identifierKey: String?
        /// Unique keys of the other login IDs the record would create, by type.
        public var otherLoginIDs: [LoginIDType: String]

        public var hasErrors: Bool { issues.contains { $0.severity == .error } }
        public var hasWarnings: Bool { issues.contains { $0.severity == .warning } }
    }

    public func validate(_ record: JSONValue) -> Result {
        var issues: [Issue] = []
        var result = Result(issues: [], normalizedIdentifier: nil, identifierKey: nil, otherLoginIDs: [:])
        if case .object(let members) = record {
            let fields = Fields(members)
            let memo = FormatMemo()
            RecordSchema(settings: settings, memo: memo).check(fields: fields, into: &issues)
            duplicateKeys(members, pointer: "", into: &issues)
            loginIDs(fields, memo: memo, issues: &issues, result: &result)
            verification(fields, into: &issues)
            accountStatus(fields, into: &issues)
            rolesAndGroups(fields, into: &issues)
            customAttributes(fields, into: &issues)
            secrets(fields, into: &issues)
        } else {
            RecordSchema(settings: settings).check(record, into: &issues)
        }
        result.issues = issues
        return result
    }

    // MARK: - Login IDs

    private func loginIDs(_ fields: Fields, memo: FormatMemo, issues: inout [Issue], result: inout Result) {
        let upsert = settings.upsert
        for type in LoginIDType.allCases {
            let field = type.recordField
            guard let value = fields[field] else { continue }
            let isIdentifier = field == settings.identifier.field
            let pointer = "/" + field
            if value.isNull {
                if isIdentifier { continue }  // the schema already refused it
                issues.append(upsert
                    ? .warning(pointer, rule: "upsert.removes_login_ids", "\(field) = null removes every \(type.rawValue) login ID of a user that already exists")
                    : .warning(pointer, rule: "insert.null_no_effect", "\(field) = null has no effect in insert."))
                continue
            }
            guard let raw = value.stringValue, !issues.contains(where: { $0.pointer == pointer && $0.severity == .error }) else { continue }
            guard settings.project.loginIDKey(for: type) != nil else {
                if isIdentifier {
                    issues.append(.error(pointer, rule: "login_id.not_allowed",
                                         "\(field) is ignored because it is not an allowed login ID. The user would be created without any login ID, and a second run would create it again: enable the \(type.rawValue) login ID in the project or choose another identifier"))
                } else if upsert {
                    issues.append(.error(pointer, rule: "login_id.not_allowed",
                                         "invalid login ID: login ID key is not allowed (upsert of an existing user fails when the project has no \(type.rawValue) login ID)"))
                } else {
                    issues.append(.warning(pointer, rule: "insert.not_allowed_login_id", "\(field) is ignored because it is not an allowed login ID."))
                }
                continue
            }
            switch LoginIDRules.normalizeWithUniqueKey(raw, type: type, project: settings.project, formatChecked: true,
                                                         knownPhoneCheck: memo.phones[raw]) {
            case .failure(let failure) where failure.isUnexpectedError:
                issues.append(.error(pointer, rule: "login_id.unexpected", "UnexpectedError: the server cannot normalise this login ID (\(failure.message))"))
            case .failure(let failure):
                issues.append(.error(pointer, rule: "login_id.\(failure.kind.isEmpty ? "invalid" : failure.kind)", "invalid login ID: \(failure.message)",
                                     cause: SchemaCause(location: "/login_id", kind: failure.kind, details: failure.details)))
            case .success(let login):
                let normalized = login.value
                if isIdentifier {
                    result.normalizedIdentifier = normalized
                    result.identifierKey = login.uniqueKey
                    if normalized != raw {
                        issues.append(.warning(pointer, rule: "identifier_not_normalized",
                                               "the server stores this as \"\(normalized)\" but looks users up by the value as sent: if that user already exists, this record fails with DuplicatedIdentity instead of being \(upsert ? "updated" : "skipped"). Send \"\(normalized)\""))
                    }
                } else {
                    result.otherLoginIDs[type] = login.uniqueKey
                }
            }
        }
    }

    private func verification(_ fields: Fields, into issues: inout [Issue]) {
        for (flag, field, type) in [("email_verified", "email", LoginIDType.email), ("phone_number_verified", "phone_number", .phone)] {
            guard let value = fields[flag]?.boolValue else { continue }
            let p = "/" + flag
            if settings.upsert {
                if fields[field] == nil {
                    issues.append(.warning(p, rule: "upsert.verified_without_login_id", "\(flag) has no effect when \(field) is absent."))
                } else if fields[field]!.isNull {
                    issues.append(.warning(p, rule: "upsert.verified_without_login_id", "\(flag) has no effect when \(field) = null."))
                }
            } else if !value {
                issues.append(.warning(p, rule: "insert.false_no_effect", "\(flag) = false has no effect in insert."))
            } else if fields[field] == nil || fields[field]!.isNull || settings.project.loginIDKey(for: type) == nil {
                issues.append(.warning(p, rule: "insert.verified_without_login_id", "\(flag) = true has no effect when \(field) is absent."))
            }
        }
    }

    private func accountStatus(_ fields: Fields, into issues: inout [Issue]) {
        if !settings.upsert, fields["disabled"]?.boolValue == false {
            issues.append(.warning("/disabled", rule: "insert.false_no_effect", "disabled = false has no effect in insert."))
        }
        if let from = fields["account_valid_from"]?.stringValue, let until = fields["account_valid_until"]?.stringValue,
           let a = RFC3339.instant(from), let b = RFC3339.instant(until), a >= b {
            issues.append(.error("/account_valid_from", rule: "account_valid_period",
                                 "the start timestamp of account valid period must be less than the end timestamp of the account valid period"))
        }
    }

    private func rolesAndGroups(_ fields: Fields, into issues: inout [Issue]) {
        for (field, known, reason) in [("roles", settings.project.roles, "RoleUnknownKeys"), ("groups", settings.project.groups, "GroupUnknownKeys")] {
            guard let items = fields[field]?.arrayValue else { continue }
            let unknown = items.compactMap(\.stringValue).filter { !$0.isEmpty && !known.contains($0) }
            if !unknown.isEmpty {
                let noun = field == "roles" ? "role" : "group"
                issues.append(.error("/" + field, rule: field == "roles" ? "unknown_role" : "unknown_group",
                                     "unknown \(noun) keys: \(unknown.joined(separator: ", ")) (\(reason)); the project has \(known.joined(separator: ", "))"))
            }
        }
    }

    private func customAttributes(_ fields: Fields, into issues: inout [Issue]) {
        guard case .object(let members)? = fields["custom_attributes"] else { return }
        for member in lastMembers(members).members {
            let key = member.key
            let value = member.value
            let p = "/custom_attributes/" + escapePointerToken(key)
            guard let attribute = settings.project.customAttributes.first(where: { $0.name == key }) else {
                issues.append(.warning(p, rule: "custom_attribute.unknown",
                                       "\"\(key)\" is not a custom attribute of the project: the server ignores it silently"))
                continue
            }
            if value.isNull { continue }
            if let problem = CustomAttributeRules.check(value, attribute, phoneMethod: settings.project.phoneInput.validationMethod) {
                issues.append(.error(p, rule: "custom_attribute.\(problem.cause.kind)", "invalid value: \(problem.message)",
                                     cause: problem.cause))
            }
        }
    }

    private func secrets(_ fields: Fields, into issues: inout [Issue]) {
        let mfa = fields["mfa"]
        let hashes: [(String, JSONValue?)] = [("/password", fields["password"]), ("/mfa/password", mfa?["password"])]
        for (p, password) in hashes {
            guard let hash = password?["password_hash"]?.stringValue, !hash.isEmpty else { continue }
            if let failure = PasswordHashRules.check(hash) {
                issues.append(.error(p + "/password_hash", rule: failure.reason == "InvalidBcryptHash" ? "bcrypt_hash" : "password_hash_format",
                                     "\(failure.reason): \(failure.message)"))
            }
            else if let problem = PasswordHashRules.neverVerifies(hash) {
                issues.append(.warning(p + "/password_hash", rule: "bcrypt_hash.never_verifies", problem))
            }
            else if let problem = PasswordHashRules.onlyASCIIVerifies(hash) {
                // The fast path takes $2a$/$2b$/$2y$ only, so this verdict is always the full validator's.
                issues.append(.warning(p + "/password_hash", rule: "bcrypt_hash.2x_ascii_only", problem))
            }
        }
        if let secret = mfa?["totp"]?["secret"]?.stringValue, !secret.isEmpty, let message = TOTPSecretRules.check(secret) {
            issues.append(.error("/mfa/totp/secret", rule: "totp_secret",
                                 "InvalidTOTPSecret: \(message) (the secret must be upper-case base32 A-Z2-7 without padding)"))
        }
        if !settings.upsert {
            for (p, value) in [("/mfa/email", mfa?["email"]), ("/mfa/phone_number", mfa?["phone_number"])] where value?.isNull == true {
                issues.append(.warning(p, rule: "insert.null_no_effect", "\(p.dropFirst().replacingSlashes()) = null has no effect in insert."))
            }
        } else {
            var ignored: [String] = []
            if fields["password"] != nil { ignored.append("password") }
            if mfa?["password"] != nil { ignored.append("mfa.password") }
            if mfa?["totp"] != nil { ignored.append("mfa.totp") }
            if !ignored.isEmpty {
                issues.append(.warning(ignored.count == 1 ? "/" + ignored[0].replacingDots() : "", rule: "upsert.ignored_secrets",
                                       "\(ignored.joined(separator: ", ")) \(ignored.count == 1 ? "is" : "are") ignored without a warning if the user already exists (upsert never changes passwords or TOTP)"))
            }
        }
    }

    private func duplicateKeys(_ members: [JSONMember], pointer: String, into issues: inout [Issue]) {
        for (i, m) in members.enumerated() {
            if members[..<i].contains(where: { $0.key == m.key }) {
                issues.append(.warning(pointer + "/" + escapePointerToken(m.key), rule: "duplicate_key",
                                       "the key \"\(m.key)\" appears more than once; the server uses the last one"))
            }
            if case .object(let inner) = m.value { duplicateKeys(inner, pointer: pointer + "/" + escapePointerToken(m.key), into: &issues) }
        }
    }
}

private extension Substring {
    func replacingSlashes() -> String { String(self.map { $0 == "/" ? "." : $0 }) }
}

private extension String {
    func replacingDots() -> String { String(self.map { $0 == "." ? "/" : $0 }) }
}
