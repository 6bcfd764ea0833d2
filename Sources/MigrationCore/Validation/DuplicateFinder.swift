import Foundation
import Synchronization

/// Confirms fingerprint groups against the actual normalised values and installs them in the
/// report: the first member that the server can create is warned, the others get errors
/// (`DuplicateGroups` says who comes first).
///
/// Linear in the members: each member's key is read from its bytes (`LoginIDValues`), groups
/// are confirmed on all cores, and the findings are stored as flat groups, not as issues.
struct DuplicateFinder {
    let pass: ValidationPass

    func report(candidates: CandidateGroups, into report: inout ValidationReport) {
        report.issues.duplicates.identifierField = pass.settings.identifier.field
        report.issues.duplicates.upsert = pass.settings.upsert
        guard !candidates.isEmpty else { return }
        let confirmed = confirm(candidates)
        // Moved out of the report while it grows (so nothing is copied), and moved back.
        var groups = report.issues.duplicates
        report.issues.duplicates = DuplicateGroups()
        let first = groups.count
        for part in confirmed {
            for g in 0..<part.count { groups.add(kind: part.kinds[g], value: part.values[g], members: part.members(g)) }
        }
        // Each member's status is settled as its claim is decided, in record order: a lookup of
        // its groups per member, in hash order, missed the cache on every step at 10,000,000.
        var status = report.status
        report.status = []
        let own = report.issues
        groups.assignClaimers(from: first, hasOwnErrors: { own.ownHasErrors($0) }) { r, ownErrors, claims in
            // What `refreshStatus` gives a member of these groups (and of no other).
            if status[r] != .excluded { status[r] = ownErrors || !claims ? .errors : .warnings }
        }
        report.status = status
        report.issues.duplicates = groups
    }

    /// The confirmed groups, in chunks of candidates (in candidate order).
    ///
    /// Each member's key is read in record order, on all cores, and the pages read are released
    /// behind (as the pass does), so confirming the members of a 3 GB file does not make it all
    /// resident again; then the groups are split by key.
    private func confirm(_ candidates: CandidateGroups) -> [Confirmed] {
        let keys = memberKeys(candidates)
        let chunk = 4096
        let chunks = (candidates.count + chunk - 1) / chunk
        let next = Atomic<Int>(0)
        let results = Mutex<[Int: Confirmed]>([:])
        let workers = max(1, min(chunks, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard c < chunks else { return }
                var out = Confirmed()
                for g in (c * chunk)..<min(candidates.count, (c + 1) * chunk) {
                    let range = Int(candidates.starts[g])..<Int(candidates.starts[g + 1])
                    let members = candidates.members(of: g)
                    // Usually one key for the whole group; a 64-bit collision splits it.
                    if let first = keys[range.lowerBound], range.allSatisfy({ keys[$0]?.kind == first.kind && keys[$0]?.key == first.key }) {
                        out.add(first.kind, first.key, members)
                        continue
                    }
                    var byKey: [(kind: DuplicateKind, key: String, members: [Int32])] = []
                    for (r, i) in zip(members, range) {
                        guard let (kind, key) = keys[i] else { continue }
                        if let k = byKey.firstIndex(where: { $0.kind == kind && $0.key == key }) {
                            byKey[k].members.append(r)
                        } else {
                            byKey.append((kind, key, [r]))
                        }
                    }
                    for group in byKey where group.members.count > 1 { out.add(group.kind, group.key, group.members[...]) }
                }
                results.withLock { $0[c] = out }
            }
        }
        return results.withLock { all in (0..<chunks).compactMap { all[$0] } }
    }

    /// The key of every member (`candidates.members` order), read in record order.
    private func memberKeys(_ candidates: CandidateGroups) -> [(kind: DuplicateKind, key: String)?] {
        let total = candidates.members.count
        var keys = [(kind: DuplicateKind, key: String)?](repeating: nil, count: total)
        guard total > 0 else { return keys }
        // (record << 32 | member position), sorted by record: a counting sort; beside it the
        // group of each (so a member's fingerprint is one read, not a search of the groups).
        let maxRecord = Int(candidates.members.max()!)
        var offsets = [Int32](repeating: 0, count: maxRecord + 2)
        for r in candidates.members { offsets[Int(r) + 1] += 1 }
        for k in 1..<offsets.count { offsets[k] += offsets[k - 1] }
        var byRecord = [UInt64](repeating: 0, count: total)
        var groupOf = [Int32](repeating: 0, count: total)
        for g in 0..<candidates.count {
            for i in Int(candidates.starts[g])..<Int(candidates.starts[g + 1]) {
                let r = Int(candidates.members[i])
                let p = Int(offsets[r])
                byRecord[p] = UInt64(UInt32(r)) << 32 | UInt64(i)
                groupOf[p] = Int32(g)
                offsets[r] += 1
            }
        }
        offsets = []
        let order = byRecord, groups = groupOf
        byRecord = []
        groupOf = []
        let values = LoginIDValues(pass: pass)
        let index = pass.index
        let chunk = 8192
        let chunks = (total + chunk - 1) / chunk
        let next = Atomic<Int>(0)
        let workers = max(1, min(chunks, ProcessInfo.processInfo.activeProcessorCount))
        keys.withUnsafeMutableBufferPointer { out in
            let sink = UnsafeKeySink(base: out)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while true {
                    let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                    guard c < chunks else { return }
                    let part = (c * chunk)..<min(total, (c + 1) * chunk)
                    // The spans of the chunk's records, copied in one lock of the index when the
                    // members are dense (a file full of duplicates), else looked up one by one.
                    let low = Int(order[part.lowerBound] >> 32), high = Int(order[part.upperBound - 1] >> 32)
                    let spans = high - low < 8 * part.count ? index.spans(low..<(high + 1)) : []
                    for p in part {
                        let r = Int(order[p] >> 32), i = Int(order[p] & 0xFFFF_FFFF)
                        sink.base[i] = values.key(r, fingerprint: candidates.hashes[Int(groups[p])], span: spans.isEmpty ? nil : spans[r - low])
                    }
                    if pass.edits.isEmpty, index.csv == nil {
                        index.file.releasePages(index.span(low).start..<index.span(high).end)
                    }
                }
            }
        }
        return keys
    }

    /// Confirmed groups of one chunk, flat.
    struct Confirmed: Sendable {
        var kinds: [DuplicateKind] = []
        var values: [String] = []
        var starts: [Int32] = [0]
        var members: [Int32] = []

        var count: Int { kinds.count }
        func members(_ g: Int) -> ArraySlice<Int32> { members[Int(starts[g])..<Int(starts[g + 1])] }

        mutating func add(_ kind: DuplicateKind, _ value: String, _ list: ArraySlice<Int32>) {
            kinds.append(kind)
            values.append(value)
            members.append(contentsOf: list)
            starts.append(Int32(members.count))
        }
    }
}

/// The keys buffer filled by concurrent workers, each at positions no other worker writes.
private struct UnsafeKeySink: @unchecked Sendable {
    // @unchecked Sendable: each member position belongs to exactly one (record, position) pair,
    // handed to one worker; the buffer outlives the workers.
    let base: UnsafeMutableBufferPointer<(kind: DuplicateKind, key: String)?>
}
