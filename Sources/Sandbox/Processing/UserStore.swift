import Foundation
import MigrationCore

/// The sandbox project's users, with the indexes the worker's lookups need.
///
/// A value type: the processor works on a copy of one user and commits it only on success,
/// so a failed record leaves the store unchanged.
public struct UserStore: Sendable {
    private(set) var users: [SandboxUser] = []
    private var positions: [String: Int] = [:]
    /// `"<claim>\0<value>"` → user id, once per identity carrying that claim.
    private var claimIndex: [String: [String]] = [:]
    /// `"<login ID key>\0<unique key>"` → user id.
    private var uniqueKeyIndex: [String: String] = [:]
    /// `"<provider>\0<subject>"` → user id.
    private var oauthIndex: [String: String] = [:]

    public init() {}

    /// The number of users (seeded and imported).
    public var count: Int { users.count }

    func user(id: String) -> SandboxUser? { positions[id].map { users[$0] } }

    /// `ListByClaim`: every identity (login ID or OAuth) whose claim `name` equals `value` byte for byte.
    func identities(claim name: String, value: String) -> [(userID: String, identity: StoredIdentity)] {
        guard let ids = claimIndex[name + "\u{0}" + value] else { return [] }
        var seen: Set<String> = []
        var out: [(String, StoredIdentity)] = []
        for id in ids where seen.insert(id).inserted {
            guard let u = user(id: id) else { continue }
            for identity in u.identities where identity.claim(name) == value { out.append((id, identity)) }
        }
        return out
    }

    /// `CheckDuplicated`: an identity of another user with the same standard claim, then with the same unique key.
    func duplicate(of identity: StoredIdentity, userID: String) -> StoredIdentity? {
        for (name, value) in identity.claims {
            if let hit = identities(claim: name, value: value).first(where: { $0.userID != userID }) { return hit.identity }
        }
        switch identity.kind {
        case .loginID(let key, _, _, let uniqueKey):
            if let owner = uniqueKeyIndex[key + "\u{0}" + uniqueKey], owner != userID,
               let hit = user(id: owner)?.identities.first(where: { $0.loginID?.key == key && $0.loginID?.uniqueKey == uniqueKey }) {
                return hit
            }
        case .oauth(let provider, let subject, _):
            if let owner = oauthIndex[provider + "\u{0}" + subject], owner != userID,
               let hit = user(id: owner)?.identities.first(where: {
                   if case .oauth(provider, subject, _) = $0.kind { return true } else { return false }
               }) {
                return hit
            }
        }
        return nil
    }

    /// Whether some user already has the OAuth identity `provider`/`subject`.
    func duplicate(ofOAuth provider: String, _ subject: String) -> Bool {
        oauthIndex[provider + "\u{0}" + subject] != nil
    }

    /// Inserts `user`, or replaces the stored user with the same id, keeping the indexes in step.
    mutating func commit(_ user: SandboxUser) {
        if let i = positions[user.id] {
            unindex(users[i])
            users[i] = user
        } else {
            positions[user.id] = users.count
            users.append(user)
        }
        index(user)
    }

    private mutating func index(_ user: SandboxUser) {
        for identity in user.identities {
            for (name, value) in identity.claims { claimIndex[name + "\u{0}" + value, default: []].append(user.id) }
            switch identity.kind {
            case .loginID(let key, _, _, let uniqueKey): uniqueKeyIndex[key + "\u{0}" + uniqueKey] = user.id
            case .oauth(let provider, let subject, _): oauthIndex[provider + "\u{0}" + subject] = user.id
            }
        }
    }

    private mutating func unindex(_ user: SandboxUser) {
        for identity in user.identities {
            for (name, value) in identity.claims {
                let k = name + "\u{0}" + value
                claimIndex[k]?.removeAll { $0 == user.id }
                if claimIndex[k]?.isEmpty == true { claimIndex[k] = nil }
            }
            switch identity.kind {
            case .loginID(let key, _, _, let uniqueKey): uniqueKeyIndex[key + "\u{0}" + uniqueKey] = nil
            case .oauth(let provider, let subject, _): oauthIndex[provider + "\u{0}" + subject] = nil
            }
        }
    }

    /// `GET /_sandbox/users`: `{"users": [...]}` in creation order (never a hash or a secret).
    public func listJSON(now: Date) -> JSONValue {
        .obj(["users": .array(users.map { $0.json(now: now) })])
    }

    /// A new random id (lower-case UUID, as the server's `uuid.New()`).
    static func newID() -> String { UUID().uuidString.lowercased() }
}
