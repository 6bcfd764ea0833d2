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
        groups.assignClaimers(from: first) { report.issues.ownHasErrors($0) }
        report.issues.duplicates = groups
        for g in first..<groups.count {
            for r in groups.members(of: g) where report.status[Int(r)] != .excluded { report.refreshStatus(Int(r)) }
        }
    }

    /// The confirmed groups, in chunks of candidates confirmed on all cores (in candidate order).
    private func confirm(_ candidates: CandidateGroups) -> [Confirmed] {
        let chunk = 2048
        let chunks = (candidates.count + chunk - 1) / chunk
        let next = Atomic<Int>(0)
        let results = Mutex<[Int: Confirmed]>([:])
        let values = LoginIDValues(pass: pass)
        let workers = max(1, min(chunks, ProcessInfo.processInfo.activeProcessorCount))
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while true {
                let c = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard c < chunks else { return }
                var out = Confirmed()
                for g in (c * chunk)..<min(candidates.count, (c + 1) * chunk) {
                    let h = candidates.hashes[g]
                    // Usually one key for the whole group; a 64-bit collision splits it.
                    var byKey: [(kind: DuplicateKind, key: String, members: [Int32])] = []
                    for r in candidates.members(of: g) {
                        guard let (kind, key) = values.key(Int(r), fingerprint: h) else { continue }
                        if let i = byKey.firstIndex(where: { $0.kind == kind && $0.key == key }) {
                            byKey[i].members.append(r)
                        } else {
                            byKey.append((kind, key, [r]))
                        }
                    }
                    for group in byKey where group.members.count > 1 { out.add(group.kind, group.key, group.members) }
                }
                results.withLock { $0[c] = out }
            }
        }
        return results.withLock { all in (0..<chunks).compactMap { all[$0] } }
    }

    /// Confirmed groups of one chunk, flat.
    struct Confirmed: Sendable {
        var kinds: [DuplicateKind] = []
        var values: [String] = []
        var starts: [Int32] = [0]
        var members: [Int32] = []

        var count: Int { kinds.count }
        func members(_ g: Int) -> [Int32] { Array(members[Int(starts[g])..<Int(starts[g + 1])]) }

        mutating func add(_ kind: DuplicateKind, _ value: String, _ list: [Int32]) {
            kinds.append(kind)
            values.append(value)
            members.append(contentsOf: list)
            starts.append(Int32(members.count))
        }
    }
}
