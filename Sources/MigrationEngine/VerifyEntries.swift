import AuthgearAPI
import MigrationCore

/// A user id as 16 bytes: a canonical lower-case UUID (what the server answers) is kept as two
/// words instead of a 36-character String, so a million of them cost 16 MB and no allocations.
struct UserRef: Hashable, Sendable {
    var hi: UInt64
    var lo: UInt64

    /// The UUID in `text` (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, lower-case hex), or nil.
    init?(uuid text: UnsafeRawBufferPointer) {
        guard text.count == 36 else { return nil }
        var words: (UInt64, UInt64) = (0, 0)
        var digits = 0
        for (i, c) in text.enumerated() {
            if i == 8 || i == 13 || i == 18 || i == 23 {
                guard c == 0x2D else { return nil }
                continue
            }
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            default: return nil
            }
            if digits < 16 { words.0 = words.0 << 4 | UInt64(v) } else { words.1 = words.1 << 4 | UInt64(v) }
            digits += 1
        }
        hi = words.0
        lo = words.1
    }

    init?(uuid text: String) {
        var text = text
        guard let ref = text.withUTF8({ UserRef(uuid: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = ref
    }

    init(hi: UInt64, lo: UInt64) {
        self.hi = hi
        self.lo = lo
    }

    /// The canonical text form.
    var uuidString: String {
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8](repeating: 0x2D, count: 36)
        var pos = 0
        for n in 0..<32 {
            if pos == 8 || pos == 13 || pos == 18 || pos == 23 { pos += 1 }
            let word = n < 16 ? hi : lo
            out[pos] = hex[Int((word >> UInt64(4 * (15 - n % 16))) & 0xF)]
            pos += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// Every source record's state in a run, compact enough for a million records (17 bytes each):
/// its outcome (or why it has none) and the journal's user_id, with a map from user_id to record.
struct VerifyEntries {
    /// 0 inserted, 1 updated, 2 skipped, 3 failed, 4 an unknown outcome, 5 pending, 6 invalid, 7 excluded.
    static let states = ["inserted", "updated", "skipped", "failed", "unknown outcome", "pending", "invalid", "excluded"]
    /// Set in a code when the user_id is not a canonical UUID (kept in `irregular`, `ids` holds its index).
    static let irregularBit: UInt8 = 0x80
    static let noUserBit: UInt8 = 0x40
    /// Set on a failed record whose failure was `DuplicatedIdentity` (its login ID is another user's).
    static let duplicateBit: UInt8 = 0x20
    private static let codeMask: UInt8 = 0x0F

    private(set) var codes: [UInt8]
    private var ids: [UserRef]
    private var irregular: [String] = []
    private var byID: [UserRef: Int32] = [:]
    private var byIrregular: [String: Int32] = [:]

    init(count: Int) {
        codes = [UInt8](repeating: 5 | Self.noUserBit, count: count)
        ids = [UserRef](repeating: UserRef(hi: 0, lo: 0), count: count)
    }

    var count: Int { codes.count }
    var indices: Range<Int> { codes.indices }

    static func code(_ outcome: Outcome) -> UInt8 {
        switch outcome {
        case .inserted: return 0
        case .updated: return 1
        case .skipped: return 2
        case .failed: return 3
        case .other: return 4
        }
    }

    /// Record `k`'s latest result. Only successful outcomes are found by user_id.
    mutating func set(_ k: Int, outcome: Outcome, userID: String?) {
        var code = Self.code(outcome)
        if let userID {
            if let ref = UserRef(uuid: userID) {
                ids[k] = ref
            } else {
                code |= Self.irregularBit
                ids[k] = UserRef(hi: 0, lo: UInt64(irregular.count))
                irregular.append(userID)
            }
        } else {
            code |= Self.noUserBit
        }
        codes[k] = code
    }

    /// Record `k`'s latest result, its user id a canonical UUID (as the journal stores one).
    mutating func set(_ k: Int, outcome: Outcome, ref: UserRef) {
        ids[k] = ref
        codes[k] = Self.code(outcome)
    }

    /// Record `k` has no result: `pending` (planned in a batch), `invalid` or `excluded`.
    mutating func setWithoutResult(_ k: Int, state: Int) { codes[k] = UInt8(state) | Self.noUserBit }

    /// Record `k` failed because its identity already belonged to a user (`DuplicatedIdentity`).
    mutating func markDuplicateFailure(_ k: Int) { codes[k] |= Self.duplicateBit }

    /// Whether record `k` failed with `DuplicatedIdentity`: finding its login ID's user is no news.
    func failedAsDuplicate(_ k: Int) -> Bool { codes[k] & Self.duplicateBit != 0 }

    /// Builds the user_id → record map of the records with a successful outcome.
    mutating func index() {
        byID.reserveCapacity(codes.count)
        for k in codes.indices where outcome(k) != nil && codes[k] & Self.noUserBit == 0 {
            if codes[k] & Self.irregularBit != 0 { byIrregular[irregular[Int(ids[k].lo)]] = Int32(k) } else { byID[ids[k]] = Int32(k) }
        }
    }

    /// The successful outcome to check, or nil (failed, unknown, never sent).
    func outcome(_ k: Int) -> Outcome? {
        switch codes[k] & Self.codeMask {
        case 0: return .inserted
        case 1: return .updated
        case 2: return .skipped
        default: return nil
        }
    }

    func state(_ k: Int) -> String { Self.states[Int(codes[k] & Self.codeMask)] }

    func userID(_ k: Int) -> String? {
        let code = codes[k]
        if code & Self.noUserBit != 0 { return nil }
        if code & Self.irregularBit != 0 { return irregular[Int(ids[k].lo)] }
        return ids[k].uuidString
    }

    /// Whether record `k`'s user_id is `ref` / `id`.
    func hasUser(_ k: Int, _ id: String) -> Bool { userID(k) == id }

    /// The record with a successful outcome whose user_id is the UUID in `text`.
    func record(userID text: UnsafeRawBufferPointer) -> Int? {
        if let ref = UserRef(uuid: text) { return byID[ref].map(Int.init) }
        return byIrregular[String(decoding: text, as: UTF8.self)].map(Int.init)
    }

    func record(userID: String) -> Int? {
        if let ref = UserRef(uuid: userID) { return byID[ref].map(Int.init) }
        return byIrregular[userID].map(Int.init)
    }
}
