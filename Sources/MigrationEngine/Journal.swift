import Foundation
import GRDB
import MigrationCore

/// The durable record of every run: a SQLite database in WAL mode.
///
/// Write-ahead discipline: a batch is committed as `sending` before its POST, its job id the
/// moment the POST answers, and each record's result the moment a GET returns it. A process
/// killed at any instant therefore leaves a journal from which `resume` continues exactly.
/// Secrets are never stored: results keep the server's error objects but not the record echo,
/// and edits stay in their sidecar file (only its path is recorded).
public final class Journal: Sendable {
    public let path: String
    private let db: DatabaseQueue

    /// `$XDG_STATE_HOME/authgear-migrate/journal.sqlite`.
    public static var defaultPath: String { StateDirectory.path("journal.sqlite") }

    public init(path: String = Journal.defaultPath) throws {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var config = Configuration()
        config.busyMode = .timeout(10)
        db = try DatabaseQueue(path: path, configuration: config)
        try db.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA journal_mode = WAL")
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        chmod(path, 0o600)
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE run (
                    id TEXT PRIMARY KEY, created_at REAL NOT NULL, source_path TEXT NOT NULL, source_size INTEGER NOT NULL,
                    source_fingerprint TEXT NOT NULL, source_format TEXT NOT NULL, mapping_path TEXT, edits_path TEXT NOT NULL,
                    identifier TEXT NOT NULL, upsert INTEGER NOT NULL, endpoint TEXT NOT NULL, project_id TEXT NOT NULL,
                    record_count INTEGER NOT NULL, state TEXT NOT NULL, paused_reason TEXT, updated_at REAL NOT NULL);
                CREATE TABLE batch (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL REFERENCES run(id), purpose TEXT NOT NULL,
                    upsert INTEGER NOT NULL, records BLOB NOT NULL, body_sha256 TEXT NOT NULL, body_size INTEGER NOT NULL,
                    state TEXT NOT NULL, job_id TEXT, attempts INTEGER NOT NULL DEFAULT 0, interrupted_at REAL, last_attempt_at REAL,
                    created_at REAL NOT NULL, sent_at REAL, completed_at REAL, last_error TEXT);
                CREATE INDEX batch_run ON batch(run_id, state);
                CREATE TABLE result (
                    run_id TEXT NOT NULL, record INTEGER NOT NULL, batch_id INTEGER NOT NULL REFERENCES batch(id),
                    outcome TEXT NOT NULL, user_id TEXT, warnings TEXT, error_reason TEXT, error_message TEXT, error_json TEXT,
                    possibly_created_at REAL, recorded_at REAL NOT NULL,
                    PRIMARY KEY (run_id, record, batch_id));
                CREATE TABLE event (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, run_id TEXT NOT NULL, at REAL NOT NULL, kind TEXT NOT NULL, detail TEXT NOT NULL);
                CREATE INDEX event_run ON event(run_id, id);
                """)
        }
        try migrator.migrate(db)
    }

    // MARK: - Runs

    /// Writes a new run and its first batches in one transaction.
    public func createRun(_ run: RunRecord, batches: [PlannedBatch]) throws {
        try db.write { db in
            try db.execute(sql: """
                INSERT INTO run (id, created_at, source_path, source_size, source_fingerprint, source_format, mapping_path, edits_path,
                                 identifier, upsert, endpoint, project_id, record_count, state, paused_reason, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.id, run.createdAt.timeIntervalSince1970, run.sourcePath, run.sourceSize, run.sourceFingerprint,
                                 run.sourceFormat, run.mappingPath, run.editsPath, run.identifier, run.upsert, run.endpoint,
                                 run.projectID, run.recordCount, run.state.rawValue, run.pausedReason, Date().timeIntervalSince1970])
            try Journal.insertBatches(db, runID: run.id, purpose: .initial, upsert: run.upsert, batches)
            try Journal.insertEvent(db, runID: run.id, kind: "run_created",
                                    detail: "\(batches.count) batches, \(batches.reduce(0) { $0 + $1.records.count }) records")
        }
    }

    public func run(id: String) throws -> RunRecord? {
        try db.read { db in try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Journal.run(from:)) }
    }

    /// Every run, newest first.
    public func runs() throws -> [RunRecord] {
        try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY created_at DESC").map(Journal.run(from:)) }
    }

    /// The newest run that is not finished.
    public func latestUnfinishedRun() throws -> RunRecord? {
        try db.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE state != 'finished' ORDER BY created_at DESC LIMIT 1").map(Journal.run(from:))
        }
    }

    public func setRunState(_ id: String, _ state: RunRecord.State, reason: String? = nil) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE run SET state = ?, paused_reason = ?, updated_at = ? WHERE id = ?",
                           arguments: [state.rawValue, reason, Date().timeIntervalSince1970, id])
            try Journal.insertEvent(db, runID: id, kind: "run_\(state.rawValue)", detail: reason ?? "")
        }
    }

    // MARK: - Batches

    public func batches(run id: String) throws -> [BatchRecord] {
        try db.read { db in try Row.fetchAll(db, sql: "SELECT * FROM batch WHERE run_id = ? ORDER BY id", arguments: [id]).map(Journal.batch(from:)) }
    }

    /// Adds batches of a later pass (retry, recovery); returns them with their ids.
    @discardableResult
    public func addBatches(run id: String, purpose: BatchPurpose, upsert: Bool, _ batches: [PlannedBatch]) throws -> [BatchRecord] {
        try db.write { db in
            let first = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM batch") ?? 0
            try Journal.insertBatches(db, runID: id, purpose: purpose, upsert: upsert, batches)
            try db.execute(sql: "UPDATE run SET state = 'active', paused_reason = NULL, updated_at = ? WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, id])
            return try Row.fetchAll(db, sql: "SELECT * FROM batch WHERE run_id = ? AND id > ? ORDER BY id", arguments: [id, first])
                .map(Journal.batch(from:))
        }
    }

    /// Commits `sending` before the POST leaves.
    public func markSending(_ batchID: Int64) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE batch SET state = 'sending', attempts = attempts + 1, last_attempt_at = ? WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, batchID])
        }
    }

    /// Records that a POST of this batch may have reached the server without an answer.
    public func markInterrupted(_ batchID: Int64, at date: Date = Date(), error: String) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE batch SET interrupted_at = COALESCE(interrupted_at, ?), last_error = ? WHERE id = ?",
                           arguments: [date.timeIntervalSince1970, error, batchID])
        }
    }

    /// Commits the job id the moment the POST answers.
    public func markSent(_ batchID: Int64, jobID: String) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE batch SET state = 'sent', job_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                           arguments: [jobID, Date().timeIntervalSince1970, batchID])
        }
    }

    /// Goes back to `planned` (a POST that certainly did not reach the server).
    public func markPlanned(_ batchID: Int64, error: String?) throws {
        try db.write { db in
            try db.execute(sql: "UPDATE batch SET state = 'planned', job_id = NULL, last_error = ? WHERE id = ?", arguments: [error, batchID])
        }
    }

    public func setLastError(_ batchID: Int64, _ error: String?) throws {
        try db.write { db in try db.execute(sql: "UPDATE batch SET last_error = ? WHERE id = ?", arguments: [error, batchID]) }
    }

    /// Stores a completed job's results and, for records the job lost, a recovery batch, in one transaction.
    /// `lostSince`: when the lost job (or an interrupted attempt) may have created those records' users;
    /// the recovery batch keeps it so that its `skipped` results say "possibly created by this run".
    public func complete(_ batchID: Int64, results: [RecordResult], recovery: PlannedBatch?, lostSince: Date? = nil, runID: String) throws {
        try db.write { db in
            for r in results { try Journal.insertResult(db, runID: runID, r) }
            try db.execute(sql: "UPDATE batch SET state = 'completed', completed_at = ? WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, batchID])
            if let recovery {
                try Journal.insertBatches(db, runID: runID, purpose: .recovery, upsert: false, [recovery], interruptedAt: lostSince)
            }
        }
    }

    // MARK: - Results and events

    /// Each record's current state: the result of its latest attempt.
    public func latestResults(run id: String) throws -> [Int: RecordResult] {
        try db.read { db in
            var out: [Int: RecordResult] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM result WHERE run_id = ? ORDER BY record, batch_id", arguments: [id])
            while let row = try rows.next() {
                let r = Journal.result(from: row)
                out[r.record] = r
            }
            return out
        }
    }

    /// Calls `body(record, outcome)` for each record's latest result, in record order, without
    /// building result objects (the TUI's outcome column over a million records).
    public func forEachLatestOutcome(run id: String, _ body: (Int, String) -> Void) throws {
        try db.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT record, outcome FROM result WHERE run_id = ? ORDER BY record, batch_id", arguments: [id])
            var pending: (Int, String)?
            while let row = try rows.next() {
                let record: Int = row[0]
                let outcome: String = row[1]
                if let p = pending, p.0 != record { body(p.0, p.1) }
                pending = (record, outcome)
            }
            if let p = pending { body(p.0, p.1) }
        }
    }

    /// Records per outcome of their latest attempt, counted by SQLite (no per-record objects).
    public func outcomeCounts(run id: String) throws -> OutcomeCounts {
        try db.read { db in
            var counts = OutcomeCounts()
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.outcome AS outcome, COUNT(*) AS n FROM result r
                JOIN (SELECT record, MAX(batch_id) AS b FROM result WHERE run_id = ? GROUP BY record) l
                  ON r.record = l.record AND r.batch_id = l.b
                WHERE r.run_id = ? GROUP BY r.outcome
                """, arguments: [id, id])
            for row in rows {
                let n: Int = row["n"]
                switch row["outcome"] as String {
                case "inserted": counts.inserted += n
                case "updated": counts.updated += n
                case "skipped": counts.skipped += n
                default: counts.failed += n
                }
            }
            return counts
        }
    }

    /// Every attempt's result for one record, oldest first.
    public func history(run id: String, record: Int) throws -> [RecordResult] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM result WHERE run_id = ? AND record = ? ORDER BY batch_id", arguments: [id, record])
                .map(Journal.result(from:))
        }
    }

    public func log(run id: String, kind: String, detail: String) throws {
        try db.write { db in try Journal.insertEvent(db, runID: id, kind: kind, detail: detail) }
    }

    public func events(run id: String) throws -> [(at: Date, kind: String, detail: String)] {
        try db.read { db in
            try Row.fetchAll(db, sql: "SELECT at, kind, detail FROM event WHERE run_id = ? ORDER BY id", arguments: [id]).map {
                (Date(timeIntervalSince1970: $0["at"]), $0["kind"], $0["detail"])
            }
        }
    }
}
