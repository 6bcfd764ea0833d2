import Foundation
import MigrationCore

/// The objects a GraphQL field can return, and their non-root fields (spec §13).
enum GraphQLObject {
    case query
    case mutation
    case user(SandboxUser)
    case identity(StoredIdentity, SandboxUser)
    case authenticator(StoredAuthenticator, SandboxUser)
    /// A role or group connection: its type name (`Role`/`Group`) and keys in assignment order.
    case connection(String, [String])
    case edge(String, key: String, index: Int)
    case keyed(String, key: String)
    case deletePayload(nodeID: String)

    var typeName: String {
        switch self {
        case .query: return "Query"
        case .mutation: return "Mutation"
        case .user: return "User"
        case .identity: return "Identity"
        case .authenticator: return "Authenticator"
        case .connection(let type, _): return type + "Connection"
        case .edge(let type, _, _): return type + "Edge"
        case .keyed(let type, _): return type
        case .deletePayload: return "DeleteUserPayload"
        }
    }

    static let claimPrefix = "https://authgear.com/claims/"

    func resolve(_ name: String, arguments: [String: JSONValue], executor: GraphQLExecutor) -> GraphQLExecutor.Resolved {
        switch self {
        case .user(let u): return Self.userField(name, u, arguments: arguments, executor: executor)
        case .identity(let identity, let u):
            switch name {
            case "id": return .leaf(.string(GraphQLNodeID.encode("Identity", identity.id)))
            case "type":
                if case .oauth = identity.kind { return .leaf(.string("OAUTH")) }
                return .leaf(.string("LOGIN_ID"))
            case "claims": return .leaf(Self.identityClaims(identity))
            default: return .leaf(.string(SandboxTime.format(u.createdAt)))
            }
        case .authenticator(let a, let u):
            switch name {
            case "id": return .leaf(.string(GraphQLNodeID.encode("Authenticator", a.id)))
            case "type": return .leaf(.string(a.type.rawValue.uppercased()))
            case "kind": return .leaf(.string(a.kind.rawValue.uppercased()))
            case "isDefault": return .leaf(.bool(a.kind == .secondary && u.authenticators.first(where: { $0.kind == .secondary })?.id == a.id))
            case "claims": return .leaf(Self.authenticatorClaims(a))
            case "expireAfter":
                return a.expireAfter.flatMap(SandboxTime.parse).map { .leaf(.string(SandboxTime.format($0))) } ?? .null
            default: return .leaf(.string(SandboxTime.format(u.createdAt)))
            }
        case .connection(let type, let keys):
            if name == "totalCount" { return .leaf(.number(String(keys.count))) }
            return .list(keys.enumerated().map { .object(.edge(type, key: $0.element, index: $0.offset)) })
        case .edge(let type, let key, let index):
            if name == "cursor" { return .leaf(.string(Base64Text.encodeURL(Array("offset:\(index)".utf8)))) }
            return .object(.keyed(type, key: key))
        case .keyed(let type, let key):
            switch name {
            case "id": return .leaf(.string(GraphQLNodeID.encode(type, key)))
            case "key": return .leaf(.string(key))
            default: return .null
            }
        case .deletePayload(let nodeID):
            return .leaf(.string(nodeID))
        case .query, .mutation:
            return .null  // root fields are resolved by the executor
        }
    }

    private static func userField(_ name: String, _ u: SandboxUser, arguments: [String: JSONValue], executor: GraphQLExecutor) -> GraphQLExecutor.Resolved {
        let now = executor.now
        func time(_ d: Date?) -> GraphQLExecutor.Resolved { d.map { .leaf(.string(SandboxTime.format($0))) } ?? .null }
        func authenticators(_ type: StoredAuthenticator.AuthenticatorType, _ kind: StoredAuthenticator.Kind) -> GraphQLExecutor.Resolved {
            .list(u.authenticators.filter { $0.type == type && $0.kind == kind }.map { .object(.authenticator($0, u)) })
        }
        switch name {
        case "id": return .leaf(.string(GraphQLNodeID.encode("User", u.id)))
        case "createdAt": return time(u.createdAt)
        case "updatedAt": return time(u.updatedAt ?? u.createdAt)
        case "lastLoginAt", "deleteAt", "anonymizeAt", "disableReason": return .null
        case "isDisabled": return .leaf(.bool(u.accountStatus.isDisabled(at: now)))
        case "isAnonymized", "isDeactivated": return .leaf(.bool(false))
        case "accountValidFrom": return time(u.accountStatus.validFrom)
        case "accountValidUntil": return time(u.accountStatus.validUntil)
        case "standardAttributes": return .leaf(standardAttributes(u))
        case "customAttributes":
            let configured = Set(executor.project.config.customAttributes.map(\.name))
            return .leaf(ImportError.sortedObject(u.customAttributes.filter { configured.contains($0.key) }.map { JSONMember($0.key, $0.value) }))
        case "loginIDs": return .list(u.identities.filter { $0.loginID != nil }.map { .object(.identity($0, u)) })
        case "roles", "groups":
            var keys = name == "roles" ? u.roles : u.groups
            if let first = arguments["first"]?.numberText.flatMap({ Int($0) }), first >= 0 { keys = Array(keys.prefix(min(first, 100))) }
            return .object(.connection(name == "roles" ? "Role" : "Group", keys))
        case "primaryPassword":
            return u.authenticators.first(where: { $0.type == .password && $0.kind == .primary }).map { .object(.authenticator($0, u)) } ?? .null
        case "secondaryPassword":
            return u.authenticators.first(where: { $0.type == .password && $0.kind == .secondary }).map { .object(.authenticator($0, u)) } ?? .null
        case "secondaryTOTPAuthenticators": return authenticators(.totp, .secondary)
        case "secondaryOOBOTPEmailAuthenticators": return authenticators(.oobOTPEmail, .secondary)
        default: return authenticators(.oobOTPSMS, .secondary)
        }
    }

    /// The `standardAttributes` JSON: stored attributes, the verified flags of email/phone_number
    /// when present, and `updated_at` in Unix seconds; keys sorted (a Go map).
    static func standardAttributes(_ u: SandboxUser) -> JSONValue {
        var members = u.standardAttributes.map { JSONMember($0.key, $0.value) }
        for (claim, flag) in [("email", "email_verified"), ("phone_number", "phone_number_verified")] {
            guard let value = u.standardAttributes[claim]?.stringValue else { continue }
            members.append(JSONMember(flag, .bool(u.verifiedClaims.contains { $0.name == claim && $0.value == value })))
        }
        let updated = (u.updatedAt ?? u.createdAt).timeIntervalSince1970.rounded(.down)
        members.append(JSONMember("updated_at", .number(String(Int64(updated)))))
        return ImportError.sortedObject(members)
    }

    /// A login ID's claims: its standard claim and `…/login_id/{key,original_value,type,value}`.
    static func identityClaims(_ identity: StoredIdentity) -> JSONValue {
        switch identity.kind {
        case .loginID(let key, let type, let value, _):
            return ImportError.sortedObject([
                JSONMember(type.recordField, .string(value)),
                JSONMember(claimPrefix + "login_id/key", .string(key)),
                JSONMember(claimPrefix + "login_id/original_value", .string(identity.originalValue ?? value)),
                JSONMember(claimPrefix + "login_id/type", .string(type.rawValue)),
                JSONMember(claimPrefix + "login_id/value", .string(value)),
            ])
        case .oauth(let provider, let subject, let claims):
            var members = claims.objectValue ?? []
            members.append(JSONMember(claimPrefix + "oauth/provider_alias", .string(provider)))
            members.append(JSONMember(claimPrefix + "oauth/provider_type", .string(provider)))
            members.append(JSONMember(claimPrefix + "oauth/subject_id", .string(subject)))
            return ImportError.sortedObject(members)
        }
    }

    /// An authenticator's claims (never the password hash or the TOTP secret).
    static func authenticatorClaims(_ a: StoredAuthenticator) -> JSONValue {
        switch a.type {
        case .password: return .object([])
        case .totp: return .obj([claimPrefix + "totp/display_name": .string(a.displayName ?? "")])
        case .oobOTPEmail: return .obj([claimPrefix + "oob_otp/email": .string(a.target ?? "")])
        case .oobOTPSMS: return .obj([claimPrefix + "oob_otp/phone": .string(a.target ?? "")])
        }
    }
}
