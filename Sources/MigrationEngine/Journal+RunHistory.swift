import AuthgearAPI
import Foundation
import GRDB
import MigrationCore

/// Which source and target a run belongs to: record numbers of a run mean records of one file
/// (same size and content fingerprint) sent to one project. Everything that maps record numbers
/// between a run and an open source asks this first.
extension RunRecord {
    /// Whether the run was made from this file's content (size and fingerprint, not the path).
    public func isRun(ofSource file: SourceFile) -> Bool {
        sourceSize == file.size && sourceFingerprint == file.fingerprint()
    }

    /// Whether the run imports into this endpoint and project (an origin: white space, trailing
    /// slashes and letter case aside, as the settings normalise it).
    public func isRun(intoEndpoint endpoint: String, projectID: String) -> Bool {
        func origin(_ s: String) -> String {
            var v = s.trimmingCharacters(in: .whitespaces)
            while v.hasSuffix("/") { v.removeLast() }
            return v.lowercased()
        }
        return origin(self.endpoint) == origin(endpoint) && self.projectID == projectID
    }
}

/// A run as the Runs screen lists it: totals from the journal and what state it is really in.
public struct RunHistoryEntry: Sendable, Equatable {
    public enum Condition: String, Sendable, Equatable {
        /// Every planned record has an outcome.
        case finished
        /// The run stopped itself (quota, refused credentials, server unavailable); `resume` continues.
        case paused
        /// The operator stopped it (Ctrl-C, P, C); `resume` continues.
        case stopped
        /// The journal says active but no process holds the journal: the process that ran it is gone.
        case interrupted
        /// Another process holds the journal's lock (this run or another is being written there).
        case runningElsewhere = "running elsewhere"
        /// This process is running it.
        case running
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

    public init(run: RunRecord, counts: OutcomeCounts, withoutOutcome: Int, finishedAt: Date?, condition: Condition, holder: String? = nil) {
        self.run = run
        self.counts = counts
        self.withoutOutcome = withoutOutcome
        self.finishedAt = finishedAt
        self.condition = condition
        self.holder = holder
    }

    public var isUnfinished: Bool { condition != .finished }
    /// Whether `resume` can continue it from this process now.
    public var isResumable: Bool { condition == .paused || condition == .stopped || condition == .interrupted }

    /// The condition from the journal's state and who holds the journal's lock.
    public static func condition(of run: RunRecord, heldHere: Bool, holderElsewhere: String?) -> Condition {
        switch run.state {
        case .finished: return .finished
        case .paused: return run.pausedReason == RunStop.interrupted.description ? .stopped : .paused
        case .active:
            if heldHere { return .running }
            return holderElsewhere == nil ? .interrupted : .runningElsewhere
        }
    }
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

    public init() {}
}

extension Journal {
    /// When the run last became finished, from its events.
    public func finishedAt(run id: String) throws -> Date? {
        try read { db in
            try Double.fetchOne(db, sql: "SELECT MAX(at) FROM event WHERE run_id = ? AND kind = 'run_finished'", arguments: [id])
                .map { Date(timeIntervalSince1970: $0) }
        }
    }

    /// Every run with its totals and real state, newest first. `journalPath` is this journal's
    /// path as the lock knows it.
    public func runHistory() throws -> [RunHistoryEntry] {
        let heldHere = JournalLock.isHeld(journal: path)
        let elsewhere = heldHere ? nil : JournalLock.holderElsewhere(journal: path)
        return try runs().map { run in
            try historyEntry(run, heldHere: heldHere, holderElsewhere: elsewhere)
        }
    }

    /// One run's history entry.
    public func historyEntry(_ run: RunRecord, heldHere: Bool? = nil, holderElsewhere: String?? = nil) throws -> RunHistoryEntry {
        let here = heldHere ?? JournalLock.isHeld(journal: path)
        let elsewhere = holderElsewhere ?? (here ? nil : JournalLock.holderElsewhere(journal: path))
        let condition = RunHistoryEntry.condition(of: run, heldHere: here, holderElsewhere: elsewhere)
        return RunHistoryEntry(run: run, counts: try outcomeCounts(run: run.id), withoutOutcome: try recordsWithoutOutcome(run: run.id).count,
                               finishedAt: run.state == .finished ? try finishedAt(run: run.id) : nil, condition: condition,
                               holder: condition == .runningElsewhere ? elsewhere : nil)
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
            let latest = try Row.fetchCursor(db, sql: "SELECT record, outcome FROM result WHERE run_id = ? ORDER BY record, batch_id", arguments: [id])
            var pending: (Int, Outcome)?
            func settle(_ p: (Int, Outcome)) {
                if !open.contains(p.0) { totals.settled.add(p.1) }
            }
            while let row = try latest.next() {
                let record: Int = row[0]
                if let p = pending, p.0 != record { settle(p) }
                pending = (record, Outcome(row[1] as String))
            }
            if let p = pending { settle(p) }
            totals.planned = planned.count
            totals.open = planned.count - totals.settled.total
            let latestFailed = """
                FROM result r JOIN (SELECT record, MAX(batch_id) AS b FROM result WHERE run_id = ? GROUP BY record) l
                  ON r.record = l.record AND r.batch_id = l.b
                WHERE r.run_id = ? AND r.outcome NOT IN ('inserted', 'updated', 'skipped')
                """
            totals.failedByReason = try Row.fetchAll(db, sql: "SELECT COALESCE(r.error_reason, 'failed') AS reason, COUNT(*) AS n \(latestFailed) GROUP BY reason ORDER BY n DESC, reason",
                                                     arguments: [id, id]).map { RunProgressTotals.ReasonCount(reason: $0["reason"], count: $0["n"]) }
            totals.recentFailures = try Row.fetchAll(db, sql: "SELECT r.record AS record, COALESCE(r.error_reason, 'failed') AS reason, COALESCE(r.error_message, '') AS message \(latestFailed) ORDER BY r.batch_id DESC, r.record DESC LIMIT ?",
                                                     arguments: [id, id, limit]).map { RunProgressTotals.Failure(record: $0["record"], reason: $0["reason"], message: $0["message"]) }
            for row in try Row.fetchAll(db, sql: "SELECT batch_id, outcome, COUNT(*) AS n FROM result WHERE run_id = ? GROUP BY batch_id, outcome", arguments: [id]) {
                totals.batchCounts[row["batch_id"], default: OutcomeCounts()].add(Outcome(row["outcome"] as String), count: row["n"])
            }
            return totals
        }
    }
}

extension JournalLock {
    /// Who holds the journal's lock in another process ("pid 123, import, started …"), or nil when
    /// nobody does (or this process does). Takes nothing: a free lock is released at once.
    public static func holderElsewhere(journal journalPath: String) -> String? {
        if isHeld(journal: journalPath) { return nil }
        let key = URL(fileURLWithPath: journalPath).standardizedFileURL.path
        let fd = open(lockPath(forJournal: key), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        if flock(fd, LOCK_SH | LOCK_NB) == 0 {
            flock(fd, LOCK_UN)
            return nil
        }
        var buffer = [UInt8](repeating: 0, count: 512)
        let n = pread(fd, &buffer, buffer.count, 0)
        let text = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) : ""
        return text.isEmpty ? "another process" : text
    }
}
