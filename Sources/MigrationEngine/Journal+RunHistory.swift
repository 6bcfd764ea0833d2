import AuthgearAPI
import Foundation
import GRDB
import MigrationCore

/// A run as the Runs screen lists it (a `RunSummary` as a plain value): totals from the journal
/// and what state it is really in.
public struct RunHistoryEntry: Sendable, Equatable {
    public enum Condition: String, Sendable, Equatable {
        case finished, paused, stopped, interrupted
        case runningElsewhere = "running elsewhere"
        case running

        public init(_ status: RunStatus) {
            switch status {
            case .finished: self = .finished
            case .paused: self = .paused
            case .stopped: self = .stopped
            case .interrupted: self = .interrupted
            case .running: self = .running
            case .runningElsewhere: self = .runningElsewhere
            }
        }
    }
    public var run: RunRecord
    /// Latest outcome per record, every pass.
    public var counts: OutcomeCounts
    /// Planned records without any outcome yet.
    public var withoutOutcome: Int
    /// When the run last became finished (nil when it is not).
    public var finishedAt: Date?
    public var condition: Condition
    /// Who holds the journal when the run is running elsewhere ("pid 123, import, started …").
    public var holder: String?
    /// Records whose latest outcome is not a success, by reason, largest first.
    public var failedByReason: [RunProgressTotals.ReasonCount]
    /// What `resume` will do with batches of unknown outcome and lost results (nil: nothing unknown).
    public var resumePlan: String?

    public init(run: RunRecord, counts: OutcomeCounts, withoutOutcome: Int, finishedAt: Date?, condition: Condition, holder: String? = nil,
                failedByReason: [RunProgressTotals.ReasonCount] = [], resumePlan: String? = nil) {
        self.run = run
        self.counts = counts
        self.withoutOutcome = withoutOutcome
        self.finishedAt = finishedAt
        self.condition = condition
        self.holder = holder
        self.failedByReason = failedByReason
        self.resumePlan = resumePlan
    }

    public init(_ s: RunSummary) {
        var holder: String?
        if case .runningElsewhere(let h) = s.status { holder = h ?? "another process" }
        self.init(run: s.run, counts: s.counts, withoutOutcome: s.pending, finishedAt: s.finishedAt, condition: Condition(s.status), holder: holder,
                  failedByReason: s.failuresByReason.map { RunProgressTotals.ReasonCount(reason: $0.reason, count: $0.count) }, resumePlan: s.resumePlan)
    }

    public var isUnfinished: Bool { condition != .finished }
    /// Whether `resume` can continue it from this process now.
    public var isResumable: Bool { condition == .paused || condition == .stopped || condition == .interrupted }
}

/// A run's progress as the journal has it, for gauges and totals that agree with each other:
/// `settled.total + open == planned` at every moment.
public struct RunProgressTotals: Sendable, Equatable {
    public struct ReasonCount: Sendable, Equatable {
        public var reason: String
        public var count: Int
        public init(reason: String, count: Int) {
            self.reason = reason
            self.count = count
        }
    }
    public struct Failure: Sendable, Equatable {
        public var record: Int
        public var reason: String
        public var message: String
        public init(record: Int, reason: String, message: String) {
            self.record = record
            self.reason = reason
            self.message = message
        }
    }
    /// Latest outcome per record, for records not in a batch that is still open.
    public var settled = OutcomeCounts()
    /// Records of open batches (planned, being sent, polled) or without any outcome: still to come.
    public var open = 0
    /// Distinct records the run's batches carry.
    public var planned = 0
    /// Records whose latest outcome is failed, by reason, largest first.
    public var failedByReason: [ReasonCount] = []
    /// The most recent records whose latest outcome is failed (newest first).
    public var recentFailures: [Failure] = []
    /// Results per batch id (each batch's own answer, kept after it completed).
    public var batchCounts: [Int64: OutcomeCounts] = [:]
    /// The server's warnings on the canary's records (a canary is a handful of records: cheap to read
    /// on every refresh), by text, most frequent first — for the go / no-go.
    public var canaryWarnings: [ReasonCount] = []

    public init() {}
}

extension Journal {
    /// Every run with its totals and real state, newest first (the Runs screen).
    public func runHistory() throws -> [RunHistoryEntry] {
        try RunSummary.all(journal: self).map(RunHistoryEntry.init)
    }

    /// The run's progress: settled outcomes, what is still open, failures by reason, the latest
    /// failures and each batch's own counts — one read, so the figures agree with each other.
    public func progressTotals(run id: String, recentFailures limit: Int = 200) throws -> RunProgressTotals {
        try read { db in
            var totals = RunProgressTotals()
            var planned = Set<Int>()
            var open = Set<Int>()
            let batches = try Row.fetchCursor(db, sql: "SELECT records, state FROM batch WHERE run_id = ?", arguments: [id])
            while let row = try batches.next() {
                let records = Journal.decodeRecords(row[0])
                planned.formUnion(records)
                if (row[1] as String) != BatchRecord.State.completed.rawValue { open.formUnion(records) }
            }
            let latest = try Row.fetchCursor(db, sql: Journal.latestOutcomesSQL, arguments: [id])
            var pending: (Int, Outcome)?
            func settle(_ p: (Int, Outcome)) {
                if !open.contains(p.0) { totals.settled.add(p.1) }
            }
            while let row = try latest.next() {
                let record: Int = row[0]
                if let p = pending, p.0 != record { settle(p) }
                pending = (record, Journal.outcome(row[1]))
            }
            if let p = pending { settle(p) }
            totals.planned = planned.count
            totals.open = planned.count - totals.settled.total
            // Latest attempts that are not a success (failed, or an outcome this client does not know).
            let latestFailed = """
                FROM outcome o JOIN (SELECT record, MAX(batch) AS b FROM outcome WHERE run = (SELECT number FROM run_number WHERE run_id = ?) GROUP BY record) l
                  ON o.record = l.record AND o.batch = l.b
                WHERE o.run = (SELECT number FROM run_number WHERE run_id = ?) AND o.outcome NOT IN (0, 1, 2)
                """
            let reason = "COALESCE((SELECT value FROM journal_text WHERE id = o.error_reason), 'failed')"
            totals.failedByReason = try Row.fetchAll(db, sql: "SELECT \(reason) AS reason, COUNT(*) AS n \(latestFailed) GROUP BY reason ORDER BY n DESC, reason",
                                                     arguments: [id, id]).map { RunProgressTotals.ReasonCount(reason: $0["reason"], count: $0["n"]) }
            totals.recentFailures = try Row.fetchAll(db, sql: """
                SELECT o.record AS record, \(reason) AS reason, COALESCE((SELECT value FROM journal_text WHERE id = o.error_message), '') AS message
                \(latestFailed) ORDER BY o.batch DESC, o.record DESC LIMIT ?
                """, arguments: [id, id, limit]).map { RunProgressTotals.Failure(record: $0["record"], reason: $0["reason"], message: $0["message"]) }
            var warnings: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: """
                SELECT r.warnings FROM result r JOIN batch b ON r.batch_id = b.id
                WHERE r.run_id = ? AND b.purpose = ? AND r.warnings IS NOT NULL
                """, arguments: [id, BatchPurpose.canary.rawValue]) {
                for w in Journal.decodeWarnings(row[0]) { warnings[w, default: 0] += 1 }
            }
            totals.canaryWarnings = warnings.map { RunProgressTotals.ReasonCount(reason: $0.key, count: $0.value) }
                .sorted { ($0.count, $1.reason) > ($1.count, $0.reason) }
            for row in try Row.fetchAll(db, sql: """
                SELECT batch, outcome, COUNT(*) AS n FROM outcome WHERE run = (SELECT number FROM run_number WHERE run_id = ?) GROUP BY batch, outcome
                """, arguments: [id]) {
                totals.batchCounts[row["batch"], default: OutcomeCounts()].add(Journal.outcome(row["outcome"]), count: row["n"])
            }
            return totals
        }
    }
}
