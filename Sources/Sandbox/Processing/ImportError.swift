import MigrationCore

/// A per-record failure: the APIError object the server puts in `errors[0]` (spec §9.3).
struct ImportError: Error, Sendable, Equatable {
    var name: String
    var reason: String
    var message: String
    var code: Int
    /// Members of `info`, already in Go's sorted-map order; nil when the error has no info.
    var info: JSONValue?

    var json: JSONValue {
        var members = [
            JSONMember("name", .string(name)), JSONMember("reason", .string(reason)),
            JSONMember("message", .string(message)), JSONMember("code", .number(String(code))),
        ]
        if let info { members.append(JSONMember("info", info)) }
        return .object(members)
    }

    /// `Invalid`/`ValidationFailed` with causes sorted by location (stable for equal locations).
    static func validationFailed(_ message: String, causes: [JSONValue]) -> ImportError {
        let sorted = causes.enumerated().sorted { a, b in
            let la = a.element["location"]?.stringValue ?? "", lb = b.element["location"]?.stringValue ?? ""
            return la == lb ? a.offset < b.offset : Array(la.utf8).lexicographicallyPrecedes(Array(lb.utf8))
        }.map(\.element)
        return ImportError(name: "Invalid", reason: "ValidationFailed", message: message, code: 400,
                           info: .obj(["causes": .array(sorted)]))
    }

    /// The record failed the §6 schema.
    static func schema(_ causes: [SchemaCause]) -> ImportError {
        validationFailed("invalid value", causes: causes.map(\.json))
    }

    /// A login ID failed validation (one cause at `/login_id`).
    static func loginID(_ failure: LoginIDFailure) -> ImportError {
        failure.isUnexpectedError ? .unexpected : validationFailed("invalid login ID", causes: [failure.cause])
    }

    /// `InternalError`/`UnexpectedError`/500.
    static let unexpected = ImportError(name: "InternalError", reason: "UnexpectedError",
                                        message: "unexpected error occurred", code: 500, info: nil)

    /// `Invalid`/`InvariantViolated` with `info.cause = {kind, …extra}` (keys sorted as Go does).
    static func invariant(_ kind: String, _ message: String, extra: [JSONMember] = [], info: [JSONMember] = []) -> ImportError {
        let cause = sortedObject(extra + [JSONMember("kind", .string(kind))])
        return ImportError(name: "Invalid", reason: "InvariantViolated", message: message, code: 400,
                           info: sortedObject(info + [JSONMember("cause", cause)]))
    }

    static func duplicatedIdentity(incoming: LoginIDType, existing: StoredIdentity) -> ImportError {
        var info = [JSONMember("IdentityTypeIncoming", .string("login_id")),
                    JSONMember("LoginIDTypeIncoming", .string(incoming.rawValue))]
        switch existing.kind {
        case .loginID(_, let type, _, _):
            info.append(JSONMember("IdentityTypeExisting", .string("login_id")))
            info.append(JSONMember("LoginIDTypeExisting", .string(type.rawValue)))
        case .oauth(let provider, _, _):
            info.append(JSONMember("IdentityTypeExisting", .string("oauth")))
            info.append(JSONMember("OAuthProviderTypeExisting", .string(provider)))
        }
        return invariant("DuplicatedIdentity", "identity already exists", info: info)
    }

    static let invalidValidPeriod = ImportError(
        name: "Invalid", reason: "InvalidAccountStatusTransition",
        message: "the start timestamp of account valid period must be less than the end timestamp of the account valid period",
        code: 400, info: .obj(["cause": .obj(["kind": .string("AccountValidFromShouldBeBeforeAccountValidUntil")])]))

    static func unknownKeys(roles: Bool, _ keys: [String]) -> ImportError {
        ImportError(name: "NotFound", reason: roles ? "RoleUnknownKeys" : "GroupUnknownKeys",
                    message: roles ? "unknown role keys" : "unknown group keys", code: 404,
                    info: .obj(["keys": .array(keys.map(JSONValue.string))]))
    }

    static func passwordHash(_ failure: PasswordHashFailure) -> ImportError {
        failure.reason == "UnexpectedError"
            ? .unexpected
            : ImportError(name: failure.name, reason: failure.reason, message: failure.message, code: 400, info: nil)
    }

    static func totpSecret(_ message: String) -> ImportError {
        ImportError(name: "Invalid", reason: TOTPSecretRules.reason, message: message, code: 400, info: nil)
    }

    /// An object whose members are sorted by key bytes, as Go encodes a map.
    static func sortedObject(_ members: [JSONMember]) -> JSONValue {
        .object(members.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) })
    }
}
