import Foundation
import MigrationCore

/// One user as the export worker writes it (spec §8): `convertDBUserToRecord` then Go's
/// `json.Marshal` — struct fields in table order, empty optional fields omitted, map members
/// sorted, numbers through float64, times in microseconds with `Z`.
enum ExportRecord {
    static let identityAttributes = ["preferred_username", "email", "phone_number"]
    static let profileAttributes = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture",
                                    "website", "gender", "birthdate", "zoneinfo", "locale"]
    static let addressKeys = ["formatted", "street_address", "locality", "region", "postal_code", "country"]
    /// Go's `encoding/json` defaults: HTML-safe escaping, members in the order built here.
    static let writer = JSONWriter(sortedKeys: false, escapeHTML: true)

    /// The record's JSON tree.
    static func make(_ u: SandboxUser, project: SandboxProject, now: Date) -> JSONValue {
        var m: [JSONMember] = [JSONMember("sub", .string(u.id))]
        func string(_ key: String) {
            if let s = u.standardAttributes[key]?.stringValue, !s.isEmpty {
                m.append(JSONMember(key, .string(key == "picture" ? picture(s) : s)))
            }
        }
        identityAttributes.forEach(string)
        for (flag, claim) in [("email_verified", "email"), ("phone_number_verified", "phone_number")] {
            let value = u.standardAttributes[claim]?.stringValue
            m.append(JSONMember(flag, .bool(value.map { v in u.verifiedClaims.contains { $0.name == claim && $0.value == v } } ?? false)))
        }
        profileAttributes.forEach(string)
        var address: [JSONMember] = []
        if let stored = u.standardAttributes["address"] {
            for key in addressKeys {
                if let s = stored[key]?.stringValue, !s.isEmpty { address.append(JSONMember(key, .string(s))) }
            }
        }
        m.append(JSONMember("address", .object(address)))
        let configured = project.config.customAttributes
        let custom = configured.compactMap { a in u.customAttributes[a.name].map { JSONMember(a.name, RecordEcho.goValue($0)) } }
        if !custom.isEmpty { m.append(JSONMember("custom_attributes", ImportError.sortedObject(custom))) }
        if !u.roles.isEmpty { m.append(JSONMember("roles", .array(u.roles.map(JSONValue.string)))) }
        if !u.groups.isEmpty { m.append(JSONMember("groups", .array(u.groups.map(JSONValue.string)))) }
        m.append(JSONMember("created_at", .string(SandboxTime.format(u.createdAt))))
        m.append(JSONMember("disabled", .bool(u.accountStatus.isDisabled(at: now))))
        m.append(JSONMember("is_anonymized", .bool(false)))
        if let from = u.accountStatus.validFrom { m.append(JSONMember("account_valid_from", .string(SandboxTime.format(from)))) }
        if let until = u.accountStatus.validUntil { m.append(JSONMember("account_valid_until", .string(SandboxTime.format(until)))) }
        let identities = identityList(u)
        if !identities.isEmpty { m.append(JSONMember("identities", .array(identities))) }
        m.append(JSONMember("mfa", mfa(u)))
        m.append(JSONMember("biometric_count", .number("0")))
        m.append(JSONMember("passkey_count", .number("0")))
        return .object(m)
    }

    /// Appends the NDJSON line of `u` (with its `\n`).
    static func writeLine(_ u: SandboxUser, project: SandboxProject, now: Date, to out: inout [UInt8]) {
        writer.write(make(u, project: project, now: now), to: &out)
        out.append(0x0A)
    }

    /// Login IDs first, then OAuth identities, each in stored order (spec §8.2).
    static func identityList(_ u: SandboxUser) -> [JSONValue] {
        var loginIDs: [JSONValue] = []
        var oauth: [JSONValue] = []
        for identity in u.identities {
            switch identity.kind {
            case .loginID(let key, let type, let value, _):
                var login = [JSONMember("key", .string(key)), JSONMember("type", .string(type.rawValue)), JSONMember("value", .string(value))]
                if let original = identity.originalValue ?? Optional(value), !original.isEmpty {
                    login.append(JSONMember("original_value", .string(original)))
                }
                loginIDs.append(.object([JSONMember("type", .string("login_id")), JSONMember("login_id", .object(login)),
                                         JSONMember("claims", .obj([type.recordField: .string(value)]))]))
            case .oauth(let provider, let subject, let claims):
                var object = [JSONMember("provider_alias", .string(provider)), JSONMember("provider_type", .string(provider))]
                if !subject.isEmpty { object.append(JSONMember("provider_subject_id", .string(subject))) }
                let profile = RecordEcho.goValue(claims)
                if profile.objectValue?.isEmpty == false { object.append(JSONMember("user_profile", profile)) }
                let standard = ["email", "phone_number", "preferred_username"].compactMap { name in
                    identity.claim(name).map { JSONMember(name, .string($0)) }
                }
                var item = [JSONMember("type", .string("oauth")), JSONMember("oauth", .object(object))]
                if !standard.isEmpty { item.append(JSONMember("claims", ImportError.sortedObject(standard))) }
                oauth.append(.object(item))
            }
        }
        return loginIDs + oauth
    }

    /// `mfa`: OOB email and SMS targets and TOTP secrets of every authenticator; empty lists omitted.
    static func mfa(_ u: SandboxUser) -> JSONValue {
        let emails = u.authenticators.filter { $0.type == .oobOTPEmail }.compactMap(\.target)
        let phones = u.authenticators.filter { $0.type == .oobOTPSMS }.compactMap(\.target)
        let totps = u.authenticators.filter { $0.type == .totp }.compactMap(\.secret)
        var m: [JSONMember] = []
        if !emails.isEmpty { m.append(JSONMember("emails", .array(emails.map(JSONValue.string)))) }
        if !phones.isEmpty { m.append(JSONMember("phone_numbers", .array(phones.map(JSONValue.string)))) }
        if !totps.isEmpty {
            let account = accountID(u)
            m.append(JSONMember("totps", .array(totps.map { secret in
                .obj(["secret": .string(secret), "uri": .string(totpURI(account: account, secret: secret))])
            })))
        }
        return .object(m)
    }

    /// `computeEndUserAccountID`: email, else preferred_username, else phone_number, else empty.
    static func accountID(_ u: SandboxUser) -> String {
        for key in ["email", "preferred_username", "phone_number"] {
            if let s = u.standardAttributes[key]?.stringValue, !s.isEmpty { return s }
        }
        return ""
    }

    /// The TOTP key URI with the worker's placeholder issuer `https://127.0.0.1` (query keys sorted).
    static func totpURI(account: String, secret: String) -> String {
        "otpauth://totp/" + pathEscape(account) + "?algorithm=SHA1&digits=6&issuer=https%3A%2F%2F127.0.0.1&period=30&secret="
            + queryEscape(secret)
    }

    /// `authgearimages:///…` → `https://127.0.0.1/_images/…/profile` (the worker's placeholder host).
    static func picture(_ s: String) -> String {
        let scheme = "authgearimages:///"
        guard s.hasPrefix(scheme) else { return s }
        return "https://127.0.0.1/_images/" + s.dropFirst(scheme.count) + "/profile"
    }

    /// Go's path escaping in `url.URL.String()` (unreserved characters and `$&+,/:;=@` kept).
    static func pathEscape(_ s: String) -> String {
        escape(s, keep: Set("$&+,/:;=@".utf8))
    }

    /// Go's `url.QueryEscape` (space → `+`).
    static func queryEscape(_ s: String) -> String {
        escape(s, keep: [], spaceAsPlus: true)
    }

    private static func escape(_ s: String, keep: Set<UInt8>, spaceAsPlus: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for b in s.utf8 {
            let unreserved = (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39)
                || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: "~")
            if unreserved || keep.contains(b) { out.append(b) }
            else if spaceAsPlus, b == 0x20 { out.append(UInt8(ascii: "+")) }
            else { out.append(UInt8(ascii: "%")); out.append(hex[Int(b >> 4)]); out.append(hex[Int(b & 15)]) }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
