/// The server's per-record JSON schema (spec §6), checked field by field.
///
/// Produces the same leaf causes the server's validator would (`type`, `required`,
/// `minLength`, `enum`, `format`, and kind `""` for unknown keys of closed objects), each
/// as an `Issue` whose `cause` is the server's cause object.
struct RecordSchema {
    let settings: ValidationSettings
    /// Phone verdicts of this record, kept so that the login-ID check does not parse again.
    var memo: FormatMemo? = nil

    /// Which checks a string field gets.
    enum StringRule { case any, minLength1, format(String) }

    /// Record-level fields and whether they accept `null`.
    static let nullableStrings: [String: StringRule] = [
        "name": .minLength1, "given_name": .minLength1, "family_name": .minLength1, "middle_name": .minLength1,
        "nickname": .minLength1, "gender": .minLength1,
        "profile": .format("uri"), "website": .format("uri"), "picture": .format("x_picture"),
        "birthdate": .format("birthdate"), "zoneinfo": .format("timezone"), "locale": .format("bcp47"),
    ]
    static let booleans: Set<String> = ["email_verified", "phone_number_verified", "disabled"]
    static let dateTimes: Set<String> = ["account_valid_from", "account_valid_until"]
    static let addressKeys: Set<String> = ["formatted", "street_address", "locality", "region", "postal_code", "country"]

    /// Every field a record may have.
    static let recordFields: Set<String> = Set(nullableStrings.keys).union(booleans).union(dateTimes).union([
        "email", "phone_number", "preferred_username", "address", "custom_attributes", "roles", "groups", "password", "mfa",
    ])

    func check(_ record: JSONValue, into issues: inout [Issue]) {
        guard case .object(let members) = record else {
            issues.append(typeIssue("", record, expected: ["object"]))
            return
        }
        check(fields: Fields(members), into: &issues)
    }

    /// Checks a record object given as its (deduplicated, sorted) fields.
    func check(fields: Fields, into issues: inout [Issue]) {
        let identifier = settings.identifier.field
        if fields[identifier] == nil {
            let present = fields.keys
            issues.append(.error("", rule: "schema.required",
                                 "\"\(identifier)\" is required: it is this import's identifier",
                                 cause: SchemaCause(location: "", kind: "required", details: .obj([
                                     "actual": present.isEmpty ? .null : .array(present.map(JSONValue.string)),
                                     "expected": .array([.string(identifier)]),
                                     "missing": .array([.string(identifier)]),
                                 ]))))
        }
        for member in fields.members {
            let key = member.key
            let value = member.value
            let p = "/" + escapePointerToken(key)
            switch key {
            case "email":
                checkString(p, value, nullable: identifier != "email", rule: .format("email"), into: &issues)
            case "phone_number":
                checkString(p, value, nullable: identifier != "phone_number", rule: .format("phone"), into: &issues)
            case "preferred_username":
                checkString(p, value, nullable: identifier != "preferred_username", rule: .minLength1, into: &issues)
            case _ where RecordSchema.booleans.contains(key):
                if value.boolValue == nil { issues.append(typeIssue(p, value, expected: ["boolean"])) }
            case _ where RecordSchema.dateTimes.contains(key):
                checkString(p, value, nullable: false, rule: .format("date-time"), into: &issues)
            case "address":
                checkAddress(p, value, into: &issues)
            case "custom_attributes":
                if value.objectValue == nil { issues.append(typeIssue(p, value, expected: ["object"])) }
            case "roles", "groups":
                checkStringArray(p, value, into: &issues)
            case "password":
                checkPassword(p, value, into: &issues)
            case "mfa":
                checkMFA(p, value, into: &issues)
            default:
                if let rule = RecordSchema.nullableStrings[key] {
                    checkString(p, value, nullable: true, rule: rule, into: &issues)
                } else {
                    issues.append(unknownKey(p, key, allowed: "a record"))
                }
            }
        }
    }

    // MARK: - Field shapes

    private func checkAddress(_ p: String, _ value: JSONValue, into issues: inout [Issue]) {
        if value.isNull { return }
        guard case .object(let members) = value else {
            issues.append(typeIssue(p, value, expected: ["null", "object"]))
            return
        }
        let fields = lastMembers(members)
        for member in fields.members where RecordSchema.addressKeys.contains(member.key) {
            checkString(p + "/" + member.key, member.value, nullable: false, rule: .minLength1, into: &issues)
        }
    }

    private func checkStringArray(_ p: String, _ value: JSONValue, into issues: inout [Issue]) {
        guard case .array(let items) = value else {
            issues.append(typeIssue(p, value, expected: ["array"]))
            return
        }
        for (i, item) in items.enumerated() {
            checkString(p + "/\(i)", item, nullable: false, rule: .minLength1, into: &issues)
        }
    }

    private func checkPassword(_ p: String, _ value: JSONValue, into issues: inout [Issue]) {
        guard case .object(let members) = value else {
            issues.append(typeIssue(p, value, expected: ["object"]))
            return
        }
        let fields = lastMembers(members)
        let missing = ["password_hash", "type"].filter { fields[$0] == nil }
        if !missing.isEmpty {
            let present = fields.keys
            issues.append(.error(p, rule: "schema.required",
                                 "missing " + missing.map { "\"\($0)\"" }.joined(separator: " and ") + " (a password needs \"type\": \"bcrypt\" and \"password_hash\")",
                                 cause: SchemaCause(location: p, kind: "required", details: .obj([
                                     "actual": present.isEmpty ? .null : .array(present.map(JSONValue.string)),
                                     "expected": .array([.string("password_hash"), .string("type")]),
                                     "missing": .array(missing.map(JSONValue.string)),
                                 ]))))
        }
        for member in fields.members {
            let key = member.key
            let v = member.value
            switch key {
            case "type":
                if v.stringValue == nil {
                    issues.append(typeIssue(p + "/type", v, expected: ["string"]))
                }
                if v.stringValue != "bcrypt" {
                    issues.append(.error(p + "/type", rule: "schema.enum", "must be \"bcrypt\" (the only hash type the server imports)",
                                         cause: SchemaCause(location: p + "/type", kind: "enum",
                                                            details: .obj(["actual": v, "expected": .array([.string("bcrypt")])]))))
                }
            case "password_hash": checkString(p + "/password_hash", v, nullable: false, rule: .minLength1, into: &issues)
            case "expire_after": checkString(p + "/expire_after", v, nullable: false, rule: .format("date-time"), into: &issues)
            default: issues.append(unknownKey(p + "/" + escapePointerToken(key), key, allowed: "password"))
            }
        }
    }

    private func checkMFA(_ p: String, _ value: JSONValue, into issues: inout [Issue]) {
        guard case .object(let members) = value else {
            issues.append(typeIssue(p, value, expected: ["object"]))
            return
        }
        let fields = lastMembers(members)
        for member in fields.members {
            let key = member.key
            let v = member.value
            switch key {
            case "email": checkString(p + "/email", v, nullable: true, rule: .format("email"), into: &issues)
            case "phone_number": checkString(p + "/phone_number", v, nullable: true, rule: .format("phone"), into: &issues)
            case "password": checkPassword(p + "/password", v, into: &issues)
            case "totp":
                guard case .object(let totpMembers) = v else {
                    issues.append(typeIssue(p + "/totp", v, expected: ["object"]))
                    continue
                }
                let totp = lastMembers(totpMembers)
                if totp["secret"] == nil {
                    let present = totp.keys
                    issues.append(.error(p + "/totp", rule: "schema.required", "missing \"secret\"",
                                         cause: SchemaCause(location: p + "/totp", kind: "required", details: .obj([
                                             "actual": present.isEmpty ? .null : .array(present.map(JSONValue.string)),
                                             "expected": .array([.string("secret")]),
                                             "missing": .array([.string("secret")]),
                                         ]))))
                }
                for k in totp.keys {
                    if k == "secret" { checkString(p + "/totp/secret", totp[k]!, nullable: false, rule: .minLength1, into: &issues) }
                    else { issues.append(unknownKey(p + "/totp/" + escapePointerToken(k), k, allowed: "mfa.totp")) }
                }
            default: issues.append(unknownKey(p + "/" + escapePointerToken(key), key, allowed: "mfa"))
            }
        }
    }

    // MARK: - Leaves

    private func checkString(_ p: String, _ value: JSONValue, nullable: Bool, rule: StringRule, into issues: inout [Issue]) {
        guard case .string(let s) = value else {
            if nullable, value.isNull { return }
            issues.append(typeIssue(p, value, expected: nullable ? ["null", "string"] : ["string"]))
            return
        }
        switch rule {
        case .any: return
        case .minLength1:
            if s.isEmpty {
                issues.append(.error(p, rule: "schema.min_length", nullable ? "must not be empty (use null or leave the field out)" : "must not be empty",
                                     cause: SchemaCause(location: p, kind: "minLength", details: .obj(["actual": .number("0"), "expected": .number("1")]))))
            }
        case .format(let format):
            if let message = formatError(format, s) {
                issues.append(.error(p, rule: "format.\(format)", message,
                                     cause: SchemaCause(location: p, kind: "format", details: .obj(["error": .string(message), "format": .string(format)]))))
            }
        }
    }

    /// The server's `details.error` for a string that fails `format`, or nil.
    func formatError(_ format: String, _ s: String) -> String? {
        switch format {
        case "email": return FormatRules.email(s)
        case "phone":
            let check = PhoneNumbers.check(s, method: settings.project.phoneInput.validationMethod)
            memo?.phones[s] = check
            return check.errorMessage
        case "date-time": return FormatRules.dateTime(s)
        case "birthdate": return FormatRules.birthdate(s)
        case "timezone": return FormatRules.timezone(s)
        case "bcp47": return FormatRules.bcp47(s)
        case "uri": return FormatRules.uri(s)
        case "x_picture": return FormatRules.picture(s)
        default: return nil
        }
    }

    private func typeIssue(_ p: String, _ value: JSONValue, expected: [String]) -> Issue {
        let actual = value.typeNames
        let wanted = expected.filter { $0 != "null" }.joined(separator: " or ") + (expected.contains("null") ? " or null" : "")
        return .error(p, rule: "schema.type", "must be \(wanted), not \(actual[0])",
                      cause: SchemaCause(location: p, kind: "type", details: .obj([
                          "actual": .array(actual.map(JSONValue.string)), "expected": .array(expected.map(JSONValue.string)),
                      ])))
    }

    private func unknownKey(_ p: String, _ key: String, allowed: String) -> Issue {
        .error(p, rule: "schema.unknown_field", "unknown field \"\(key)\": the server accepts no other fields in \(allowed)",
               cause: SchemaCause(location: p, kind: "", details: nil))
    }
}

/// Results of expensive format checks made while validating one record (not shared across records).
final class FormatMemo {
    var phones: [String: PhoneNumberCheck] = [:]
}

/// Object members as the server's Go decoder sees them: the last of duplicate keys wins,
/// and (for reporting in the server's order) sorted by key. Lookups are linear: records have
/// a handful of fields, and this beats hashing on the per-record path.
struct Fields {
    let members: [JSONMember]

    init(_ members: [JSONMember]) {
        var out: [JSONMember] = []
        out.reserveCapacity(members.count)
        for (i, m) in members.enumerated() where !members[(i + 1)...].contains(where: { $0.key == m.key }) {
            out.append(m)
        }
        out.sort { $0.key < $1.key }
        self.members = out
    }

    subscript(key: String) -> JSONValue? {
        for m in members where m.key == key { return m.value }
        return nil
    }

    var keys: [String] { members.map(\.key) }
    var isEmpty: Bool { members.isEmpty }
}

func lastMembers(_ members: [JSONMember]) -> Fields { Fields(members) }

func escapePointerToken(_ token: String) -> String {
    guard token.utf8.contains(where: { $0 == UInt8(ascii: "~") || $0 == UInt8(ascii: "/") }) else { return token }
    return JSONPointer(tokens: [token]).description.dropFirst().description
}
