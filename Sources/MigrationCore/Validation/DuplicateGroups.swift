/// The confirmed duplicate groups of a source, stored flat, with the record the server gives
/// each group's login ID to.
///
/// A file can have millions of records in groups (10,000,000 records whose phone numbers
/// repeat after 5,000,000: every record is in a group), so a group's findings are never stored
/// as `Issue`s with their messages: per group a kind, the shared key and its members (4 bytes
/// each); per member 8 bytes to find its groups. `issues(of:)` words a record's findings when
/// they are read.
///
/// **Who comes first.** The server processes records in file order (one task at a time, each
/// record committed before the next, spec §7.7) and a record takes its login IDs only when it
/// is created: the first record of a group that can be created (no error of its own, no login
/// ID already taken by an earlier one) gets the login ID — it is only warned, naming the others
/// — and every later member fails (DuplicatedIdentity, or "user exists" for the identifier):
/// those are errors. A record with errors of its own is never created, so it takes nothing and
/// the next member comes first. `assignClaimers` decides this over a set of groups.
struct DuplicateGroups: Sendable {
    private(set) var kinds: [DuplicateKind] = []
    private(set) var values: [String] = []
    private(set) var starts: [Int32] = [0]
    private(set) var members: [Int32] = []
    /// The record that gets the group's login ID, -1 when every member has errors of its own, or
    /// `removed` for a group an edit dissolved (no membership points at it any more).
    private(set) var claimers: [Int32] = []
    private static let removed: Int32 = -2
    /// (record << 32 | group) for every member, sorted: a record's groups by binary search.
    private var membership: [UInt64] = []
    /// The wording's context: the identifier field and whether the run upserts.
    var identifierField = "email"
    var upsert = false

    var count: Int { kinds.count }
    var isEmpty: Bool { membership.isEmpty }

    func members(of g: Int) -> ArraySlice<Int32> { members[Int(starts[g])..<Int(starts[g + 1])] }

    /// Adds a confirmed group (members ascending); `claimers` and the membership are set by `assignClaimers`.
    mutating func add<C: Collection<Int32>>(kind: DuplicateKind, value: String, members list: C) {
        kinds.append(kind)
        values.append(value)
        members.append(contentsOf: list)
        starts.append(Int32(members.count))
        claimers.append(-1)
    }

    /// The groups of `record`, in kind order (identifier first, then email, phone, username).
    func groups(of record: Int) -> [Int] {
        var i = firstMembership(of: record)
        var out: [Int] = []
        while i < membership.count, Int(membership[i] >> 32) == record {
            out.append(Int(membership[i] & 0xFFFF_FFFF))
            i += 1
        }
        if out.count > 1 { out.sort { (kinds[$0].rawValue, $0) < (kinds[$1].rawValue, $1) } }
        return out
    }

    func contains(_ record: Int) -> Bool {
        let i = firstMembership(of: record)
        return i < membership.count && Int(membership[i] >> 32) == record
    }

    /// The records in any group, ascending (each once).
    var records: Records { Records(membership: membership) }

    struct Records: Sequence {
        let membership: [UInt64]
        func makeIterator() -> Iterator { Iterator(membership: membership) }
        struct Iterator: IteratorProtocol {
            let membership: [UInt64]
            var i = 0
            mutating func next() -> Int? {
                guard i < membership.count else { return nil }
                let r = membership[i] >> 32
                while i < membership.count, membership[i] >> 32 == r { i += 1 }
                return Int(r)
            }
        }
    }

    /// The records in a group of the identifier (`true`) or of another login ID (`false`),
    /// ascending, each once: one pass over the membership.
    func records(inIdentifierGroups identifier: Bool) -> [Int] {
        var out: [Int] = []
        for m in membership where (kinds[Int(m & 0xFFFF_FFFF)] == .identifier) == identifier {
            let r = Int(m >> 32)
            if out.last != r { out.append(r) }
        }
        return out
    }

    private func firstMembership(of record: Int) -> Int {
        let key = UInt64(record) << 32
        var low = 0, high = membership.count
        while low < high {
            let mid = (low + high) / 2
            if membership[mid] < key { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Decides the claimer of every group from `firstGroup` on, in file order, and indexes their
    /// members. `hasOwnErrors(r)`: whether record `r` has errors besides its duplicate findings.
    /// `settled(r, ownErrors, claims)` is then called once per member record, in ascending order:
    /// `claims` when it got the login IDs of all its groups (a member either gets all of them or
    /// none), so it is an error exactly when `ownErrors || !claims` — its status, without a lookup.
    /// The groups from `firstGroup` on must share no record with the groups before it.
    mutating func assignClaimers(from firstGroup: Int = 0, hasOwnErrors: (Int) -> Bool,
                                 settled: (_ record: Int, _ ownErrors: Bool, _ claims: Bool) -> Void = { _, _, _ in }) {
        let pairs = Self.pairsByRecord(self, from: firstGroup)
        var i = 0
        while i < pairs.count {
            let r = Int(pairs[i] >> 32)
            var j = i
            while j < pairs.count, Int(pairs[j] >> 32) == r { j += 1 }
            let ownErrors = hasOwnErrors(r)
            var claims = false
            if !ownErrors {
                let taken = pairs[i..<j].contains { claimers[Int($0 & 0xFFFF_FFFF)] >= 0 }
                if !taken {
                    for p in pairs[i..<j] { claimers[Int(p & 0xFFFF_FFFF)] = Int32(r) }
                    claims = true
                }
            }
            settled(r, ownErrors, claims)
            i = j
        }
        if membership.isEmpty || pairs.isEmpty || (membership.last! < pairs.first!) {
            membership.append(contentsOf: pairs)
        } else {
            membership = Self.merge(membership, pairs)
        }
    }

    /// Every (record << 32 | group) pair of the groups from `firstGroup` on, sorted: a counting
    /// sort by record (linear), groups ascending within a record.
    private static func pairsByRecord(_ groups: DuplicateGroups, from firstGroup: Int) -> [UInt64] {
        let slice = groups.members[Int(groups.starts[firstGroup])...]
        guard let maxRecord = slice.max() else { return [] }
        if slice.count < 4096 || slice.count < Int(maxRecord) / 64 {
            var pairs: [UInt64] = []
            pairs.reserveCapacity(slice.count)
            for g in firstGroup..<groups.count {
                for r in groups.members(of: g) { pairs.append(UInt64(UInt32(r)) << 32 | UInt64(g)) }
            }
            return pairs.sorted()
        }
        var offsets = [Int32](repeating: 0, count: Int(maxRecord) + 2)
        for r in slice { offsets[Int(r) + 1] += 1 }
        for k in 1..<offsets.count { offsets[k] += offsets[k - 1] }
        var pairs = [UInt64](repeating: 0, count: slice.count)
        for g in firstGroup..<groups.count {
            for r in groups.members(of: g) {
                pairs[Int(offsets[Int(r)])] = UInt64(UInt32(r)) << 32 | UInt64(g)
                offsets[Int(r)] += 1
            }
        }
        return pairs
    }

    private static func merge(_ a: [UInt64], _ b: [UInt64]) -> [UInt64] {
        var out: [UInt64] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count, j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 } else { out.append(b[j]); j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// Removes every group that has a member in `records` (the closed set an edit affects).
    mutating func remove(groupsOf records: Set<Int>) {
        var gone = Set<Int>()
        for r in records { gone.formUnion(groups(of: r)) }
        guard !gone.isEmpty else { return }
        membership.removeAll { gone.contains(Int($0 & 0xFFFF_FFFF)) }
        for g in gone { claimers[g] = Self.removed }
    }

    /// Whether record `r`'s findings include an error (it is a later member of some group).
    func hasError(_ r: Int) -> Bool {
        var i = firstMembership(of: r)
        while i < membership.count, Int(membership[i] >> 32) == r {
            if claimers[Int(membership[i] & 0xFFFF_FFFF)] != Int32(r) { return true }
            i += 1
        }
        return false
    }

    /// Counts of findings per (severity, rule), without wording them.
    func countsByRule() -> [(Issue.Severity, String, Int)] {
        // [identifier?][claimer?], group by group (every member of a group that is not removed
        // is in the membership): one sequential pass, no lookup per member.
        var counts = [[0, 0], [0, 0]]
        for g in 0..<count where claimers[g] != Self.removed {
            let k = kinds[g] == .identifier ? 1 : 0
            let size = Int(starts[g + 1] - starts[g])
            if claimers[g] >= 0 {
                counts[k][1] += 1
                counts[k][0] += size - 1
            } else {
                counts[k][0] += size
            }
        }
        var out: [(Issue.Severity, String, Int)] = []
        for (k, rule) in ["duplicate_login_id", "duplicate_identifier"].enumerated() {
            if counts[k][1] > 0 { out.append((.warning, rule, counts[k][1])) }
            if counts[k][0] > 0 { out.append((.error, rule, counts[k][0])) }
        }
        return out
    }

    /// Record `r`'s findings, worded (none when it is in no group).
    func issues(of r: Int) -> [Issue] {
        groups(of: r).map { issue(record: r, group: $0) }
    }

    func issue(record r: Int, group g: Int) -> Issue {
        let all = members(of: g).map(Int.init)
        let claimer = Int(claimers[g])
        func list(_ records: [Int]) -> String {
            records.prefix(5).map(String.init).joined(separator: ", ") + (records.count > 5 ? " and \(records.count - 5) more" : "")
        }
        let others = all.filter { $0 != r }
        let value = values[g]
        if kinds[g] == .identifier {
            let pointer = "/" + identifierField
            let what = "the identifier \"\(value)\" (after the server's normalisation)"
            let later = upsert ? "update that user instead of creating their own" : "are skipped as \"user exists\""
            if claimer == r {
                return .warning(pointer, rule: "duplicate_identifier",
                    "\(what) is also used by record \(list(others)): the server creates this record's user, and the others \(later) (they are errors here); keep one record per user")
            }
            if claimer >= 0 {
                let rest = others.filter { $0 != claimer }
                return .error(pointer, rule: "duplicate_identifier",
                    "\(what) is also used by record \(claimer), whose user the server creates first\(rest.isEmpty ? "" : " (and by record \(list(rest)))"): this record would \(upsert ? "update that user" : "be skipped as \"user exists\""), or fail with DuplicatedIdentity when processed in parallel; keep one record per user")
            }
            return .error(pointer, rule: "duplicate_identifier",
                "\(what) is also used by record \(list(others)): only one of them can create the user, and none can be created while each has other errors; keep one record per user")
        }
        let field = kinds[g].loginIDType?.recordField ?? "login ID"
        let pointer = "/" + field
        let what = "the \(field) \"\(value)\" (after normalisation)"
        if claimer == r {
            return .warning(pointer, rule: "duplicate_login_id",
                "\(what) is also used by record \(list(others)): this record comes first and gets it; the others fail with DuplicatedIdentity (they are errors here)")
        }
        if claimer >= 0 {
            let rest = others.filter { $0 != claimer }
            return .error(pointer, rule: "duplicate_login_id",
                "\(what) is also used by record \(claimer), which gets it first\(rest.isEmpty ? "" : " (and by record \(list(rest)))"): this record fails with DuplicatedIdentity")
        }
        return .error(pointer, rule: "duplicate_login_id",
            "\(what) is also used by record \(list(others)): only one of them can have it, and none can be created while each has other errors")
    }
}
