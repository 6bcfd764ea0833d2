import AuthgearAPI
import Foundation
import MigrationCore

/// Everything the Runs screen, `runs`, `status` and `report --summary` show about one run, read
/// from the journal in one go: its status told exactly, totals by outcome, times, source, target,
/// and what `resume` would do with batches whose outcome is unknown.
public struct RunSummary: Sendable {
    public var run: RunRecord
    public var status: RunStatus
    /// Records per outcome of their latest attempt.
    public var counts: OutcomeCounts
    /// Records planned in this run's batches (a delta or canary run plans fewer than the source has).
    public var planned: Int
    /// Planned records without any outcome yet.
    public var pending: Int
    /// Skipped users that an interrupted attempt of this run may have created.
    public var possiblyCreated: Int
    /// Failed records per reason of their latest attempt, most frequent first.
    public var failuresByReason: [(reason: String, count: Int)]
    public var batchesByState: [BatchRecord.State: Int]
    /// Batches not completed whose last POST has an unknown outcome (committed `sending`, or
    /// interrupted after the request left): resume sends them again exactly.
    public var unknownOutcome: (batches: Int, records: Int)
    /// Recovery batches not completed yet (records whose results were lost, asked again).
    public var openRecoveries: (batches: Int, records: Int)
    public var startedAt: Date
    /// When the run was last called finished (nil while it is not).
    public var finishedAt: Date?
    /// Seconds between the journal's pause and the next start of a process on the run (and, while
    /// paused, until now).
    public var pausedSeconds: Double

    public var source: SourceIdentity { run.source }
    public var target: RunTarget { run.target }

    /// Elapsed wall time from the start to the finish (or now), and the same without paused time.
    public func elapsed(now: Date = Date()) -> (total: Double, active: Double) {
        let total = max(0, (finishedAt ?? now).timeIntervalSince(startedAt))
        return (total, max(0, total - pausedSeconds))
    }

    /// Reads the summary of `run` from `journal`. `holder`: who holds the journal's lock, when the
    /// caller knows better than a probe (a command about to resume the run holds it itself: pass `.free`
    /// to describe the run as it found it).
    public static func load(_ run: RunRecord, journal: Journal, holder: JournalLock.Holder? = nil, now: Date = Date()) throws -> RunSummary {
        let latest = try journal.latestResults(run: run.id)
        let batches = try journal.batches(run: run.id)
        var counts = OutcomeCounts()
        var reasons: [String: Int] = [:]
        var possiblyCreated = 0
        for r in latest.values {
            counts.add(r.outcome)
            if !r.outcome.isSuccess { reasons[r.errorReason ?? (r.outcome == .failed ? "unknown" : "outcome \(r.outcome)"), default: 0] += 1 }
            if r.outcome == .skipped, r.possiblyCreatedAt != nil { possiblyCreated += 1 }
        }
        var plannedSet = Set<Int>()
        var byState: [BatchRecord.State: Int] = [:]
        var unknown = (batches: 0, records: 0), recoveries = (batches: 0, records: 0)
        for b in batches {
            plannedSet.formUnion(b.records)
            byState[b.state, default: 0] += 1
            guard b.state != .completed else { continue }
            if b.state == .sending {
                unknown.batches += 1
                unknown.records += b.records.count
            } else if b.purpose == .recovery {
                recoveries.batches += 1
                recoveries.records += b.records.count
            }
        }
        let pending = plannedSet.subtracting(latest.keys).count
        // Times from the run's own events: a pause lasts until the next start of a process on it.
        var finishedAt: Date?
        var paused = 0.0
        var pausedSince: Date?
        for e in try journal.events(run: run.id) {
            switch e.kind {
            case "run_paused": if pausedSince == nil { pausedSince = e.at }
            case "run_active":
                if let since = pausedSince { paused += e.at.timeIntervalSince(since); pausedSince = nil }
                finishedAt = nil
            case "run_finished":
                finishedAt = e.at
                pausedSince = nil
            default: break
            }
        }
        if run.state == .paused, let since = pausedSince { paused += now.timeIntervalSince(since) }
        return RunSummary(run: run, status: RunStatus.of(run, journalPath: journal.path, holder: holder), counts: counts, planned: plannedSet.count,
                          pending: pending, possiblyCreated: possiblyCreated,
                          failuresByReason: reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ($0.key, $0.value) },
                          batchesByState: byState, unknownOutcome: unknown, openRecoveries: recoveries, startedAt: run.createdAt,
                          finishedAt: run.state == .finished ? finishedAt : nil, pausedSeconds: paused)
    }

    /// Every run of the journal, newest first (the Runs screen, `runs`).
    public static func all(journal: Journal) throws -> [RunSummary] {
        try journal.runs().map { try load($0, journal: journal) }
    }

    /// What `resume` will do with this run's open batches, in the operator's words (nil when nothing is unknown or lost).
    public var resumePlan: String? {
        var parts: [String] = []
        if unknownOutcome.batches > 0 {
            parts.append("""
                \(unknownOutcome.batches.counted("batch", "batches")) (\(unknownOutcome.records.counted("record"))) \(unknownOutcome.batches == 1 ? "has" : "have") an unknown outcome (their request may have reached \
                the server before the process stopped): resume sends each again exactly (the same bytes, checked by hash); the server never \
                creates a second user for an identifier it has, and users that then come back "skipped" are flagged possibly_created_at \
                (created either by the interrupted attempt or before the run)
                """)
        }
        if openRecoveries.batches > 0 {
            parts.append("\(openRecoveries.batches.counted("recovery batch", "recovery batches")) (\(openRecoveries.records.counted("record")) whose results were lost) \(openRecoveries.batches == 1 ? "is" : "are") sent again as they were planned")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }
}

extension BatchRecord {
    /// Batch numbers as operators see them: 1…n in the order the run planned its batches
    /// (journal ids are journal-wide).
    public static func numbers(_ batches: [BatchRecord]) -> [Int64: Int] {
        var out: [Int64: Int] = [:]
        for (k, b) in batches.sorted(by: { $0.id < $1.id }).enumerated() { out[b.id] = k + 1 }
        return out
    }
}
