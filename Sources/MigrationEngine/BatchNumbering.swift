import Foundation
import Synchronization

/// Batch numbers as operators see them: 1…n per run, in the order the run planned its batches
/// (the journal's batch ids are journal-wide: a second run's first batch may be id 38). Reads the
/// run's batches again when it meets a batch planned since (a recovery, a retry pass).
public final class BatchNumbering: Sendable {
    private let journal: Journal
    private let runID: String
    private let numbers = Mutex<[Int64: Int]>([:])

    public init(journal: Journal, runID: String) {
        self.journal = journal
        self.runID = runID
    }

    /// The run-local number of journal batch `id` (the id itself if the journal does not know it).
    public func number(_ id: Int64) -> Int {
        if let n = numbers.withLock({ $0[id] }) { return n }
        let fresh = BatchRecord.numbers((try? journal.batches(run: runID)) ?? [])
        return numbers.withLock { table in
            table = fresh
            return table[id] ?? Int(id)
        }
    }

    /// `event` with its batch told by run-local number (for reporters; 0, "no batch", stays 0).
    public func renumber(_ event: EngineEvent) -> EngineEvent {
        func n(_ id: Int64) -> Int64 { id == 0 ? 0 : Int64(number(id)) }
        switch event {
        case .batchSending(let b, let records, let attempt): return .batchSending(batch: n(b), records: records, attempt: attempt)
        case .batchSent(let b, let job): return .batchSent(batch: n(b), jobID: job)
        case .jobPending(let b, let job, let polls, let since): return .jobPending(batch: n(b), jobID: job, polls: polls, since: since)
        case .batchCompleted(let b, let counts, let failures): return .batchCompleted(batch: n(b), counts: counts, failures: failures)
        case .recoveryPlanned(let b, let records, let reason): return .recoveryPlanned(batch: n(b), records: records, reason: reason)
        case .retrying(let b, let after, let reason): return .retrying(batch: n(b), after: after, reason: reason)
        case .paused, .progress, .finished: return event
        }
    }
}
