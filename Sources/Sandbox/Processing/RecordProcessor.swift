import Foundation
import MigrationCore

/// The server's per-record worker (spec §7.1–§7.7), over the sandbox's user store.
public enum RecordProcessor {
    /// Processes one record exactly as the server's worker, committing to `store` only on success.
    public static func process(_ record: JSONValue, index: Int, identifier: String, upsert: Bool,
                               project: SandboxProject, store: inout UserStore, now: Date) -> ImportDetail {
        var detail = ImportDetail(index: index, record: RecordEcho.make(record), outcome: "failed", userID: nil, warnings: [], errors: [])
        guard let id = ImportIdentifier(rawValue: identifier) else {
            detail.errors = [ImportError.unexpected.json]
            return detail
        }
        let settings = ValidationSettings(identifier: id, upsert: upsert, project: project.config)
        let issues = RecordValidator(settings: settings).validate(record).issues
        let schemaCauses = issues.compactMap { issue -> SchemaCause? in
            guard let cause = issue.cause, issue.rule.hasPrefix("schema.") || issue.rule.hasPrefix("format.") else { return nil }
            return cause
        }
        if !schemaCauses.isEmpty {
            detail.errors = [ImportError.schema(schemaCauses).json]
            return detail
        }
        let customCauses = issues.compactMap { issue -> JSONValue? in
            guard let cause = issue.cause, issue.rule.hasPrefix("custom_attribute.") else { return nil }
            return cause.json
        }
        // The run reads a snapshot of the store; it must be gone before the commit, or the
        // commit would copy every user (copy-on-write) for every record.
        let (decision, warnings) = decide(record, id: id, upsert: upsert, project: project, store: store, now: now,
                                          customCauses: customCauses)
        detail.warnings = warnings
        switch decision {
        case .commit(let user, let outcome):
            store.commit(user)
            detail.outcome = outcome
            detail.userID = user.id
        case .skip(let userID):
            detail.outcome = "skipped"
            detail.userID = userID
        case .fail(let error):
            detail.outcome = "failed"
            detail.userID = nil
            detail.errors = [error.json]
        }
        return detail
    }

    private enum Decision {
        case commit(SandboxUser, outcome: String)
        case skip(userID: String)
        case fail(ImportError)
    }

    private static func decide(_ record: JSONValue, id: ImportIdentifier, upsert: Bool, project: SandboxProject,
                               store: UserStore, now: Date, customCauses: [JSONValue]) -> (Decision, [String]) {
        var run = RecordRun(fields: RecordRun.lastMembers(record), identifier: id, project: project,
                            store: store, now: now, customAttributeCauses: customCauses)
        do throws(ImportError) {
            let value = run.fields[id.field]?.stringValue ?? ""
            let matches = store.identities(claim: id.field, value: value)
            switch matches.count {
            case 0:
                let user = try run.insert()
                return (.commit(user, outcome: "inserted"), run.warnings)
            case 1 where !upsert:
                run.warnings.append("skipping because upsert = false and user exists")
                return (.skip(userID: matches[0].userID), run.warnings)
            case 1:
                guard let existing = store.user(id: matches[0].userID) else { throw ImportError.unexpected }
                let user = try run.upsert(existing)
                return (.commit(user, outcome: "updated"), run.warnings)
            default:
                throw ImportError.unexpected
            }
        } catch {
            return (.fail(error), run.warnings)
        }
    }
}

/// The state of one record being processed: its fields, the project, a read-only view of the
/// store, and the warnings gathered so far.
struct RecordRun {
    /// Record members, the last of duplicate keys winning (Go's decoder).
    let fields: [String: JSONValue]
    let identifier: ImportIdentifier
    let project: SandboxProject
    let store: UserStore
    let now: Date
    /// Custom-attribute failures found by `RecordValidator` (causes at `/<key>`).
    let customAttributeCauses: [JSONValue]
    var warnings: [String] = []

    static let standardAttributeKeys = [
        "name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website",
        "gender", "birthdate", "zoneinfo", "locale", "address",
    ]

    static func lastMembers(_ record: JSONValue) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for m in record.objectValue ?? [] { out[m.key] = m.value }
        return out
    }

    var mfa: [String: JSONValue]? {
        guard let m = fields["mfa"], case .object = m else { return nil }
        return RecordRun.lastMembers(m)
    }

    /// Validates and normalises a login ID of `type` stored under the key named after the type.
    func newLoginID(_ raw: String, type: LoginIDType, id: String = UserStore.newID()) throws(ImportError) -> StoredIdentity {
        switch LoginIDRules.normalizeWithUniqueKey(raw, type: type, project: project.config) {
        case .failure(let failure): throw ImportError.loginID(failure)
        case .success(let login):
            return StoredIdentity(id: id, kind: .loginID(key: type.rawValue, type: type, value: login.value, uniqueKey: login.uniqueKey),
                                  originalValue: raw.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    func checkDuplicate(_ identity: StoredIdentity, type: LoginIDType, userID: String) throws(ImportError) {
        if let existing = store.duplicate(of: identity, userID: userID) {
            throw ImportError.duplicatedIdentity(incoming: type, existing: existing)
        }
    }

    /// Standard attributes (the 13 non-identity keys): value → set, `null` → remove, absent → keep.
    func applyStandardAttributes(to user: inout SandboxUser) {
        for key in RecordRun.standardAttributeKeys {
            guard let value = fields[key] else { continue }
            user.standardAttributes[key] = value.isNull ? nil : RecordEcho.goValue(value)
        }
    }

    /// Custom attributes (§7.6): configured keys only; type errors fail the record at `/<key>`.
    func applyCustomAttributes(to user: inout SandboxUser) throws(ImportError) {
        guard let attrs = fields["custom_attributes"], case .object = attrs else { return }
        if !customAttributeCauses.isEmpty { throw ImportError.validationFailed("invalid value", causes: customAttributeCauses) }
        for (key, value) in RecordRun.lastMembers(attrs) where project.config.customAttributes.contains(where: { $0.name == key }) {
            user.customAttributes[key] = value.isNull ? nil : RecordEcho.goValue(value)
        }
    }

    /// `roles` then `groups`: membership becomes exactly the list; unknown keys fail the record.
    func applyRolesAndGroups(to user: inout SandboxUser) throws(ImportError) {
        for (field, known) in [("roles", project.config.roles), ("groups", project.config.groups)] {
            guard let items = fields[field]?.arrayValue else { continue }
            let keys = items.compactMap(\.stringValue)
            let unknown = keys.filter { !known.contains($0) }
            if !unknown.isEmpty { throw ImportError.unknownKeys(roles: field == "roles", unknown) }
            var unique: [String] = []
            for k in keys where !unique.contains(k) { unique.append(k) }
            if field == "roles" { user.roles = unique } else { user.groups = unique }
        }
    }

    /// Sets the valid-period bounds present in the record; `from < until` must hold afterwards.
    func applyValidPeriod(to state: inout AccountStatusState) throws(ImportError) {
        if let from = fields["account_valid_from"]?.stringValue { state.validFrom = SandboxTime.parse(from) }
        if let until = fields["account_valid_until"]?.stringValue { state.validUntil = SandboxTime.parse(until) }
        if !state.periodIsValid { throw ImportError.invalidValidPeriod }
    }

    /// An OOB OTP authenticator after the OOB provider's target check (`invalid target`).
    func oobAuthenticator(_ type: StoredAuthenticator.AuthenticatorType, target: String) throws(ImportError) -> StoredAuthenticator {
        if type == .oobOTPEmail {
            if FormatRules.email(target) != nil { throw invalidTarget(kind: "format", details: .obj(["format": .string("email")])) }
        } else {
            guard let parsed = PhoneNumbers.check(target, method: project.config.phoneInput.validationMethod).parsed else {
                throw invalidTarget(kind: "format", details: .obj(["format": .string("phone")]))
            }
            if let allowlist = project.config.phoneInput.allowlist, !allowlist.isEmpty, !allowlist.contains(parsed.regionCode ?? "") {
                throw invalidTarget(kind: "blocked", details: .obj(["reason": .string("PhoneNumberCountryCodeAllowlist")]))
            }
        }
        return StoredAuthenticator(id: UserStore.newID(), kind: .secondary, type: type, target: target)
    }

    private func invalidTarget(kind: String, details: JSONValue) -> ImportError {
        .validationFailed("invalid target", causes: [.obj(["location": .string(""), "kind": .string(kind), "details": details])])
    }
}
