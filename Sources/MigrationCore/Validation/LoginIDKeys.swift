import Foundation
import Synchronization

/// 64-bit fingerprints of normalised login IDs, to find the few that repeat among millions
/// without keeping every string in memory. Kept in the report (12 bytes per login ID) so an
/// edit can find the records its old and new login IDs collide with.
struct LoginIDKeys: Sendable {
    /// Parallel arrays: the record of each fingerprint, in record order.
    private var records: [Int32] = []
    private var hashes: [UInt64] = []

    /// The fingerprint of a login ID of one kind (`id` for the run's identifier, else the
    /// login-ID type): a 64-bit hash of its UTF-8 bytes, eight at a time.
    static func hash(_ kind: String, _ value: String) -> UInt64 {
        var value = value
        return value.withUTF8 { hash(kind, bytes: UnsafeRawBufferPointer($0), 0..<$0.count) }
    }

    /// `hash(kind, value)` of a value given as UTF-8 bytes.
    static func hash(_ kind: String, bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        hash(seed: seed(kind), bytes: bytes, range)
    }

    /// The starting state for a kind, for callers that hash many values of one kind.
    static func seed(_ kind: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in kind.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    static func hash(seed: UInt64, bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt64 {
        var h = seed
        var i = range.lowerBound
        while i + 8 <= range.upperBound {
            h = mix(h ^ bytes.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while i < range.upperBound {
            tail |= UInt64(bytes[i]) << shift
            shift += 8
            i += 1
        }
        return mix(mix(h ^ tail) ^ UInt64(range.count))
    }

    /// A 64-bit finaliser (Murmur3's fmix64).
    @inline(__always)
    private static func mix(_ x: UInt64) -> UInt64 {
        var x = x
        x ^= x >> 33
        x = x &* 0xff51afd7ed558ccd
        x ^= x >> 33
        x = x &* 0xc4ceb9fe1a85ec53
        x ^= x >> 33
        return x
    }

    /// The fingerprints of one record's verdict: its identifier and its other login IDs.
    static func hashes(of v: ValidationPass.RecordVerdict) -> [UInt64] {
        guard !v.excluded else { return [] }
        var out: [UInt64] = []
        if let id = v.identifierKey { out.append(hash("id", id)) }
        for (type, value) in v.otherLoginIDs { out.append(hash(type.rawValue, value)) }
        return out
    }

    mutating func append(_ chunk: [(Int32, UInt64)], base: Int) {
        for (k, h) in chunk {
            records.append(Int32(base) + k)
            hashes.append(h)
        }
    }

    /// Records that share a fingerprint (to be confirmed against the real strings).
    ///
    /// Millions of fingerprints: (fingerprint, record) pairs are spread into buckets by the
    /// fingerprint's top bits, and each bucket (a few thousand, in cache) is sorted on all
    /// cores; runs of one fingerprint are the groups, their records in ascending order. Linear
    /// in the number of fingerprints, and the groups are flat arrays (no array per group).
    func duplicateGroups() -> CandidateGroups {
        let bucketBits = hashes.count > 1 << 22 ? 14 : 12
        let bucketCount = 1 << bucketBits
        let shift = UInt64(64 - bucketBits)
        var starts = [Int](repeating: 0, count: bucketCount + 1)
        for h in hashes { starts[Int(h >> shift) + 1] += 1 }
        for b in 0..<bucketCount { starts[b + 1] += starts[b] }
        var spread = [Entry](repeating: Entry(hash: 0, record: 0), count: hashes.count)
        var fill = starts
        let bounds = starts
        for (i, h) in hashes.enumerated() {
            let b = Int(h >> shift)
            spread[fill[b]] = Entry(hash: h, record: records[i])
            fill[b] += 1
        }
        let workers = max(1, min(8, ProcessInfo.processInfo.activeProcessorCount))
        let parts = Mutex<[Int: CandidateGroups]>([:])
        spread.withUnsafeMutableBufferPointer { all in
            let buffer = UnsafeMutableSendableBuffer(all)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                var found = CandidateGroups()
                for b in stride(from: w, to: bucketCount, by: workers) {
                    var slice = UnsafeMutableBufferPointer(rebasing: buffer.base[bounds[b]..<bounds[b + 1]])
                    guard slice.count > 1 else { continue }
                    slice.sort { ($0.hash, $0.record) < ($1.hash, $1.record) }
                    var i = 0
                    while i < slice.count {
                        var j = i + 1
                        while j < slice.count, slice[j].hash == slice[i].hash { j += 1 }
                        if j - i > 1 {
                            var members: [Int32] = []
                            for k in i..<j where members.last != slice[k].record { members.append(slice[k].record) }
                            if members.count > 1 { found.add(hash: slice[i].hash, members: members) }
                        }
                        i = j
                    }
                }
                parts.withLock { $0[w] = found }
            }
        }
        return parts.withLock { all in
            var out = CandidateGroups()
            for w in 0..<workers { if let part = all[w] { out.append(part) } }
            return out
        }
    }

    /// One fingerprint and its record, as sorted by `duplicateGroups`.
    private struct Entry {
        var hash: UInt64
        var record: Int32
    }

    /// Groups of records sharing one of the given fingerprints (records ascending in each).
    func groups(among wanted: Set<UInt64>) -> CandidateGroups {
        guard !wanted.isEmpty else { return CandidateGroups() }
        var byHash: [UInt64: [Int32]] = [:]
        for (i, h) in hashes.enumerated() where wanted.contains(h) { byHash[h, default: []].append(records[i]) }
        var out = CandidateGroups()
        for (h, list) in byHash.sorted(by: { $0.key < $1.key }) {
            let members = Array(Set(list)).sorted()
            if members.count > 1 { out.add(hash: h, members: members) }
        }
        return out
    }

    /// Every fingerprint of the given records.
    func fingerprints(of wanted: Set<Int>) -> Set<UInt64> {
        var out = Set<UInt64>()
        for (i, r) in records.enumerated() where wanted.contains(Int(r)) { out.insert(hashes[i]) }
        return out
    }

    /// Every record that has one of the given fingerprints.
    func records(having wanted: Set<UInt64>) -> Set<Int> {
        var out = Set<Int>()
        for (i, h) in hashes.enumerated() where wanted.contains(h) { out.insert(Int(records[i])) }
        return out
    }

    /// Replaces one record's fingerprints (after an edit).
    mutating func replace(_ record: Int, with new: [UInt64]) {
        var keptRecords: [Int32] = []
        var keptHashes: [UInt64] = []
        keptRecords.reserveCapacity(records.count + new.count)
        keptHashes.reserveCapacity(records.count + new.count)
        for (i, r) in records.enumerated() where Int(r) != record {
            keptRecords.append(r)
            keptHashes.append(hashes[i])
        }
        for h in new {
            keptRecords.append(Int32(record))
            keptHashes.append(h)
        }
        records = keptRecords
        hashes = keptHashes
    }
}

/// Groups of records sharing a fingerprint, flat: group `g` is `members[starts[g]..<starts[g + 1]]`.
struct CandidateGroups: Sendable {
    private(set) var hashes: [UInt64] = []
    private(set) var starts: [Int32] = [0]
    private(set) var members: [Int32] = []

    var count: Int { hashes.count }
    var isEmpty: Bool { hashes.isEmpty }

    func members(of g: Int) -> ArraySlice<Int32> { members[Int(starts[g])..<Int(starts[g + 1])] }

    mutating func add(hash: UInt64, members list: [Int32]) {
        hashes.append(hash)
        members.append(contentsOf: list)
        starts.append(Int32(members.count))
    }

    mutating func append(_ other: CandidateGroups) {
        for g in 0..<other.count { add(hash: other.hashes[g], members: Array(other.members(of: g))) }
    }

    /// The groups as arrays of record numbers (for tests and small sets).
    var lists: [[Int]] { (0..<count).map { members(of: $0).map(Int.init) } }
}

/// A buffer handed to concurrent workers that each touch their own disjoint part of it.
private struct UnsafeMutableSendableBuffer<Element>: @unchecked Sendable {
    // @unchecked Sendable: every worker sorts only the buckets `stride(from: w, by: workers)`
    // gives it, so no two threads touch the same element, and the buffer outlives the workers.
    let base: UnsafeMutableBufferPointer<Element>
    init(_ base: UnsafeMutableBufferPointer<Element>) { self.base = base }
}
