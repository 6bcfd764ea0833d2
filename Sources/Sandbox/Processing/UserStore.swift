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

    /// The owner of the login ID `key` with the server's uniqueness key `uniqueKey` (`GetByKeyAndValue`).
    func userID(loginIDKey key: String, uniqueKey: String) -> String? {
        uniqueKeyIndex[key + "\u{0}" + uniqueKey]
    }

    /// Removes the users `ids` (hard delete: identities and indexes go with them); unknown ids are ignored.
    /// Costs the number of users after the first removed one (a rollback removes recent users).
    mutating func remove(ids: [String]) {
        var doomed: [Int] = []
        for id in Set(ids) {
            guard let p = positions[id] else { continue }
            unindex(users[p])
            positions[id] = nil
            doomed.append(p)
        }
        guard let first = doomed.min() else { return }
        let removing = Set(doomed)
        var kept: [SandboxUser] = []
        kept.reserveCapacity(users.count - first - removing.count)
        for p in first..<users.count where !removing.contains(p) { kept.append(users[p]) }
        users.removeSubrange(first...)
        for user in kept {
            positions[user.id] = users.count
            users.append(user)
        }
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

    /// Every user as `{"users": [...]}` in creation order (never a hash or a secret): a whole tree,
    /// for tests of small stores. The control API answers pages (`page`, `writePage`).
    public func listJSON(now: Date) -> JSONValue {
        .obj(["users": .array(users.map { $0.json(now: now) })])
    }

    /// The users after the one with id `after` (from the first when nil), at most `limit` of them,
    /// and the next page's cursor (the last listed user's id) when more follow. Nil when no user
    /// has the id `after`. Creation order is stable: a user is appended once and replaced in place
    /// by updates, so a walk sees each user exactly once, new users at its end; only a reset
    /// drops users (and with them every cursor).
    func page(after: String?, limit: Int) -> (users: ArraySlice<SandboxUser>, next: String?)? {
        var start = 0
        if let after {
            guard let position = positions[after] else { return nil }
            start = position + 1
        }
        let end = min(users.count, start + max(1, limit))
        return (users[start..<end], end < users.count ? users[end - 1].id : nil)
    }

    /// The users with a login ID whose stored (normalised) value is `value`, in creation order.
    func users(loginID value: String) -> [SandboxUser] {
        var found: Set<Int> = []
        for name in ["email", "phone_number", "preferred_username"] {
            for id in claimIndex[name + "\u{0}" + value] ?? [] {
                guard let p = positions[id], users[p].identities.contains(where: { $0.loginID?.value == value }) else { continue }
                found.insert(p)
            }
        }
        return found.sorted().map { users[$0] }
    }

    /// Appends one page `{"users": [...], "next": id or null, "total": N}` to `out`, one user's
    /// small tree at a time (a page is never built as one tree).
    static func writePage(_ page: some Sequence<SandboxUser>, next: String?, total: Int, now: Date,
                          writer: JSONWriter, to out: inout [UInt8]) {
        out.append(contentsOf: #"{"users":["#.utf8)
        var first = true
        for user in page {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            writer.write(user.json(now: now), to: &out)
        }
        out.append(contentsOf: #"],"next":"#.utf8)
        if let next { writer.writeString(next, to: &out) } else { out.append(contentsOf: "null".utf8) }
        out.append(contentsOf: #","total":\#(total)}"#.utf8)
    }

    /// The users and the capacity (elements) of the store's containers: what a reset must drop.
    var storage: (users: Int, capacity: Int) {
        (users.count, users.capacity + positions.capacity + claimIndex.capacity + uniqueKeyIndex.capacity + oauthIndex.capacity)
    }

    /// A new random id (lower-case UUID, as the server's `uuid.New()`).
    static func newID() -> String { UUID().uuidString.lowercased() }
}
