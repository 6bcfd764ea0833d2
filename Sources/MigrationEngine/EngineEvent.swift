import AuthgearAPI
import Foundation
import MigrationCore

/// What the engine reports while it runs; the TUI and the headless reporter consume the same stream.
public enum EngineEvent: Sendable {
    case batchSending(batch: Int64, records: Int, attempt: Int)
    case batchSent(batch: Int64, jobID: String)
    /// The job is not completed yet; `since` is when it was sent (the journal's `sent_at`, so a
    /// resumed run reports the job's real age).
    case jobPending(batch: Int64, jobID: String, polls: Int, since: Date)
    /// A job completed: its results are in the journal.
    case batchCompleted(batch: Int64, counts: OutcomeCounts, failures: [RecordResult])
    /// Some records' results were lost (crashed task, expired job, race): they go out again.
    case recoveryPlanned(batch: Int64, records: Int, reason: String)
    case retrying(batch: Int64, after: Double, reason: String)
    case paused(reason: String)
    case progress(ProgressSnapshot)
    case finished(OutcomeCounts)
}

/// Records per outcome.
public struct OutcomeCounts: Sendable, Equatable {
    public var inserted = 0, updated = 0, skipped = 0, failed = 0
    public init() {}
    public var total: Int { inserted + updated + skipped + failed }

    public mutating func add(_ outcome: Outcome, count: Int = 1) {
        switch outcome {
        case .inserted: inserted += count
        case .updated: updated += count
        case .skipped: skipped += count
        case .failed, .other: failed += count   // an unknown outcome is not a success (see `Outcome.other`)
        }
    }
}

/// A throttled view of a run's progress.
public struct ProgressSnapshot: Sendable, Equatable {
    public var counts: OutcomeCounts
    /// Records the run will send in this invocation (sendable records without a final result yet).
    public var toSend: Int
    /// Of those, records with a result so far.
    public var done: Int
    public var inFlightBatches: Int
    public var recordsPerSecond: Double
    /// Seconds left at the current pace, when it can be estimated.
    public var eta: Double?

    public init(counts: OutcomeCounts, toSend: Int, done: Int, inFlightBatches: Int, recordsPerSecond: Double, eta: Double?) {
        self.counts = counts
        self.toSend = toSend
        self.done = done
        self.inFlightBatches = inFlightBatches
        self.recordsPerSecond = recordsPerSecond
        self.eta = eta
    }
}

/// Why a run stopped before finishing.
public enum RunStop: Error, Sendable, Equatable, CustomStringConvertible {
    /// The usage quota is exhausted until `resetsAt`.
    case quota(period: String, resetsAt: Date?)
    /// The server refused the credentials, or the settings cannot work (wrong endpoint, a refused
    /// TLS certificate): the message says what to change.
    case forbidden(String)
    /// The network or server kept failing after every retry.
    case unavailable(String)
    /// The operator interrupted the run.
    case interrupted
    /// The source (or its edits) no longer produce the bytes that were planned.
    case sourceChanged(String)
    /// The journal cannot be used (in use by another process, changed under the run, damaged, disk full).
    case journal(JournalError)
    /// Every batch is done, yet these planned records have no outcome: the run is not finished
    /// (`resume` sends them again). Never expected; checked so that no record is lost silently.
    case unaccounted([Int])
    /// The canary's records all have an outcome (these totals); the run is paused (reason
    /// "canary") until a go: `resume` sends the rest.
    case canary(OutcomeCounts)

    public var description: String {
        switch self {
        case .quota(let period, let at):
            return "the project's \(period == "day" ? "daily" : period + "ly") user-import quota is used up" + (at.map { "; it resets at \(ISO8601DateFormatter().string(from: $0))" } ?? "")
        case .forbidden(let m): return m
        case .unavailable(let m): return "the server could not be reached reliably: \(m)"
        case .interrupted: return "interrupted by the operator"
        case .sourceChanged(let m): return m
        case .journal(let e): return e.description
        case .canary(let c):
            return "canary: its \(c.total.counted("record")) \(c.total == 1 ? "is" : "are") done (inserted \(c.inserted.groupedDigits), updated \(c.updated.groupedDigits), skipped \(c.skipped.groupedDigits), failed \(c.failed.groupedDigits)); `authgear-migrate resume` sends the rest"
        case .unaccounted(let records):
            let list = records.prefix(10).map(String.init).joined(separator: ", ") + (records.count > 10 ? ", …" : "")
            return "\(records.count.counted("planned record")) \(records.count == 1 ? "has" : "have") no outcome although every batch is done (records \(list)): the run is not finished; `authgear-migrate resume` sends them again"
        }
    }
}

extension RunStop: CommandFailure {
    /// 1 when every batch is done but records have no outcome (like records that failed), and
    /// after a canary (planned records are left without an outcome until `resume`: a script must
    /// not take the stop for a finished migration); else 2.
    public var exitStatus: Int32 {
        if case .unaccounted = self { return 1 }
        if case .canary = self { return 1 }
        return 2
    }
}
