import AuthgearAPI
import Foundation
import GRDB
import GRDBSQLite
import MigrationCore
import Synchronization

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
    /// The journal's files as this process opened them: a write after another program deleted or
    /// replaced them would go to a file nobody will read again (see `checkUnchanged`).
    private let files: Mutex<JournalFiles>

    /// `$XDG_STATE_HOME/authgear-migrate/journal.sqlite`.
    public static var defaultPath: String { StateDirectory.path("journal.sqlite") }

    /// Opens (or creates) the journal at `path`; every failure is a `JournalError` naming it.
    public init(path: String = Journal.defaultPath) throws(JournalError) {
        self.path = path
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw JournalError(path: path, kind: .readOnly, detail: "cannot create the journal's directory \(dir): \(error.localizedDescription)",
                               hint: "choose a writable place with --journal FILE")
        }
        do {
            db = try JournalError.wrapping(path: path) {
                var config = Configuration()
                config.busyMode = .timeout(10)
                let db = try DatabaseQueue(path: path, configuration: config)
                try db.writeWithoutTransaction { db in
                    try db.execute(sql: "PRAGMA journal_mode = WAL")
                    try db.execute(sql: "PRAGMA synchronous = NORMAL")
                }
                chmod(path, 0o600)
                try Journal.migrator.migrate(db)
                return db
            }
        } catch let error as JournalError {
            throw error
        } catch {
            throw JournalError(path: path, kind: .failed, detail: "\(error)", hint: "keep a copy of \(path) and report this error")
        }
        files = Mutex(JournalFiles(path: path))
    }

    static var migrator: DatabaseMigrator {
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
        registerRunsMigration(&migrator)
        registerRollbackMigration(&migrator)
        registerCompactResultsMigration(&migrator)
        return migrator
    }

    // MARK: - Access

    func read<T>(_ body: (Database) throws -> T) throws(JournalError) -> T {
        try access { try db.read { db in try JournalError.wrapping(path: path, db: db) { try body(db) } } }
    }

    /// Every write first checks that the journal's files are still the ones this process opened.
    func write<T>(_ body: (Database) throws -> T) throws(JournalError) -> T {
        try checkUnchanged()
        return try access { try db.write { db in try JournalError.wrapping(path: path, db: db) { try body(db) } } }
    }

    private func access<T>(_ body: () throws -> T) throws(JournalError) -> T {
        let systemErrno = { [db] in (try? db.inDatabase { sqlite3_system_errno($0.sqliteConnection) }) ?? 0 }
        do { return try JournalError.wrapping(path: path, systemErrno: systemErrno, body) } catch let error as JournalError { throw error } catch {
            throw JournalError(path: path, kind: .failed, detail: "\(error)", hint: "keep a copy of \(path) and report this error")
        }
    }

    /// Throws when the journal file or its write-ahead log was deleted or replaced since this
    /// process opened them (another program, or an operator cleaning up): what this process wrote
    /// since then is in a file that is gone, so the run must stop instead of reporting success.
    public func checkUnchanged() throws(JournalError) {
        if let problem = files.withLock({ $0.problem() }) {
            throw JournalError(path: path, kind: .changed, detail: problem + " while this process had the journal open: what it wrote since then may be lost",
                               hint: "never delete or move journal files while a run is active. See what the journal holds with `authgear-migrate status`; `authgear-migrate resume` sends again what it no longer holds (the server skips users it already has)")
        }
    }

    // MARK: - Runs

    /// Writes a new run and its first batches in one transaction; `recordKeys` gives each planned
    /// record's identifier key (see `RecordKey`), kept for matching records across runs.
    /// `canary`: batches planned before the others with purpose `.canary` (see `MigrationRunner.Options.stopAfterCanary`).
    public func createRun(_ run: RunRecord, batches: [PlannedBatch], recordKeys: ((Int) -> RecordKey?)? = nil,
                          canary: [PlannedBatch] = []) throws {
        try write { db in
            try db.execute(sql: """
                INSERT INTO run (id, created_at, source_path, source_size, source_fingerprint, source_format, mapping_path, edits_path,
                                 identifier, upsert, endpoint, project_id, record_count, state, paused_reason, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run.id, run.createdAt.timeIntervalSince1970, run.sourcePath, run.sourceSize, run.sourceFingerprint,
                                 run.sourceFormat, run.mappingPath, run.editsPath, run.identifier, run.upsert, run.endpoint,
                                 run.projectID, run.recordCount, run.state.rawValue, run.pausedReason, Date().timeIntervalSince1970])
            _ = try Journal.runNumber(db, runID: run.id)
            if !canary.isEmpty { try Journal.insertBatches(db, runID: run.id, purpose: .canary, canary) }
            try Journal.insertBatches(db, runID: run.id, purpose: .initial, batches)
            try Journal.storeRunExtras(db, run)
            if let recordKeys { try Journal.storeRecordKeys(db, runID: run.id, recordKeys) }
            try Journal.insertEvent(db, runID: run.id, kind: "run_created",
                                    detail: "\(canary.count + batches.count) batches, \((canary + batches).reduce(0) { $0 + $1.records.count }) records")
        }
    }

    public func run(id: String) throws -> RunRecord? {
        try read { db in try Row.fetchOne(db, sql: "SELECT * FROM run WHERE id = ?", arguments: [id]).map(Journal.run(from:)) }
    }

    /// Every run, newest first.
    public func runs() throws -> [RunRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM run ORDER BY created_at DESC").map(Journal.run(from:)) }
    }

    /// The newest run that is not finished.
    public func latestUnfinishedRun() throws -> RunRecord? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM run WHERE state != 'finished' ORDER BY created_at DESC LIMIT 1").map(Journal.run(from:))
        }
    }

    public func setRunState(_ id: String, _ state: RunRecord.State, reason: String? = nil) throws {
        try write { db in
            try db.execute(sql: "UPDATE run SET state = ?, paused_reason = ?, updated_at = ? WHERE id = ?",
                           arguments: [state.rawValue, reason, Date().timeIntervalSince1970, id])
            try Journal.insertEvent(db, runID: id, kind: "run_\(state.rawValue)", detail: reason ?? "")
        }
    }

    // MARK: - Batches

    public func batches(run id: String) throws -> [BatchRecord] {
        try read { db in try Row.fetchAll(db, sql: "SELECT * FROM batch WHERE run_id = ? ORDER BY id", arguments: [id]).map(Journal.batch(from:)) }
    }

    /// Adds batches of a later pass (retry, recovery); returns them with their ids.
    @discardableResult
    public func addBatches(run id: String, purpose: BatchPurpose, _ batches: [PlannedBatch], interruptedAt: Date? = nil) throws -> [BatchRecord] {
        try write { db in
            let first = try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(id), 0) FROM batch") ?? 0
            try Journal.insertBatches(db, runID: id, purpose: purpose, batches, interruptedAt: interruptedAt)
            try db.execute(sql: "UPDATE run SET state = 'active', paused_reason = NULL, updated_at = ? WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, id])
            return try Row.fetchAll(db, sql: "SELECT * FROM batch WHERE run_id = ? AND id > ? ORDER BY id", arguments: [id, first])
                .map(Journal.batch(from:))
        }
    }

    /// Commits `sending` before the POST leaves, with the hash of the body on its first send.
    public func markSending(_ batchID: Int64, bodySHA256: String) throws {
        try write { db in
            try db.execute(sql: """
                UPDATE batch SET state = 'sending', attempts = attempts + 1, last_attempt_at = ?,
                       body_sha256 = CASE WHEN body_sha256 = '' THEN ? ELSE body_sha256 END WHERE id = ?
                """, arguments: [Date().timeIntervalSince1970, bodySHA256, batchID])
        }
    }

    /// Records that a POST of this batch may have reached the server without an answer.
    public func markInterrupted(_ batchID: Int64, at date: Date = Date(), error: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE batch SET interrupted_at = COALESCE(interrupted_at, ?), last_error = ? WHERE id = ?",
                           arguments: [date.timeIntervalSince1970, error, batchID])
        }
    }

    /// Commits the job id the moment the POST answers.
    public func markSent(_ batchID: Int64, jobID: String) throws {
        try write { db in
            try db.execute(sql: "UPDATE batch SET state = 'sent', job_id = ?, sent_at = ?, last_error = NULL WHERE id = ?",
                           arguments: [jobID, Date().timeIntervalSince1970, batchID])
        }
    }

    /// Goes back to `planned` (a POST that certainly did not reach the server).
    public func markPlanned(_ batchID: Int64, error: String?) throws {
        try write { db in
            try db.execute(sql: "UPDATE batch SET state = 'planned', job_id = NULL, last_error = ? WHERE id = ?", arguments: [error, batchID])
        }
    }

    /// Stores a completed job's results and, for records the job lost, a recovery batch, in one transaction.
    /// `lostSince`: when the lost job (or an interrupted attempt) may have created those records' users;
    /// the recovery batch keeps it so that its `skipped` results say "possibly created by this run".
    public func complete(_ batchID: Int64, results: [RecordResult], recovery: [PlannedBatch] = [], lostSince: Date? = nil, runID: String) throws {
        try write { db in
            if !results.isEmpty {
                let run = try Journal.runNumber(db, runID: runID)
                var texts = TextIDs()
                for r in results { try Journal.insertResult(db, run: run, r, texts: &texts) }
            }
            try db.execute(sql: "UPDATE batch SET state = 'completed', completed_at = ? WHERE id = ?",
                           arguments: [Date().timeIntervalSince1970, batchID])
            if !recovery.isEmpty {
                try Journal.insertBatches(db, runID: runID, purpose: .recovery, recovery, interruptedAt: lostSince)
            }
        }
    }

    // MARK: - Results and events

    /// Each record's current state: the result of its latest attempt.
    public func latestResults(run id: String) throws -> [Int: RecordResult] {
        try read { db in
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
    public func forEachLatestOutcome(run id: String, _ body: (Int, Outcome) -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: Journal.latestOutcomesSQL, arguments: [id])
            var pending: (Int, Outcome)?
            while let row = try rows.next() {
                let record: Int = row[0]
                let outcome = Journal.outcome(row[1])
                if let p = pending, p.0 != record { body(p.0, p.1) }
                pending = (record, outcome)
            }
            if let p = pending { body(p.0, p.1) }
        }
    }

    /// Records per outcome of their latest attempt, counted by SQLite (no per-record objects).
    public func outcomeCounts(run id: String) throws -> OutcomeCounts {
        try read { db in
            var counts = OutcomeCounts()
            let rows = try Row.fetchAll(db, sql: """
                SELECT o.outcome AS outcome, COUNT(*) AS n FROM outcome o
                JOIN (SELECT record, MAX(batch) AS b FROM outcome WHERE run = (SELECT number FROM run_number WHERE run_id = ?) GROUP BY record) l
                  ON o.record = l.record AND o.batch = l.b
                WHERE o.run = (SELECT number FROM run_number WHERE run_id = ?) GROUP BY o.outcome
                """, arguments: [id, id])
            for row in rows {
                counts.add(Journal.outcome(row["outcome"]), count: row["n"])
            }
            return counts
        }
    }

    /// The records of the run's batches that have no result at all, in record order: at the end of
    /// a run there must be none (every planned record has an outcome, or the run is not finished).
    public func recordsWithoutOutcome(run id: String) throws -> [Int] {
        try read { db in
            var planned: [Int] = []
            let batches = try Row.fetchCursor(db, sql: "SELECT records FROM batch WHERE run_id = ?", arguments: [id])
            while let row = try batches.next() { planned += Journal.decodeRecords(row[0]) }
            planned.sort()
            var missing: [Int] = []
            var i = 0
            let results = try Int.fetchCursor(db, sql: "SELECT DISTINCT record FROM outcome WHERE run = (SELECT number FROM run_number WHERE run_id = ?) ORDER BY record",
                                              arguments: [id])
            while let record = try results.next() {
                while i < planned.count, planned[i] < record {
                    if missing.last != planned[i] { missing.append(planned[i]) }
                    i += 1
                }
                while i < planned.count, planned[i] == record { i += 1 }
            }
            for n in planned[i...] where missing.last != n { missing.append(n) }
            return missing
        }
    }

    /// The runs of the source at `sourcePath` that are not finished, newest first.
    public func unfinishedRuns(sourcePath: String) throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run WHERE source_path = ? AND state != 'finished' ORDER BY created_at DESC",
                             arguments: [sourcePath]).map(Journal.run(from:))
        }
    }

    /// Every attempt's result for one record, oldest first.
    public func history(run id: String, record: Int) throws -> [RecordResult] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM result WHERE run_id = ? AND record = ? ORDER BY batch_id", arguments: [id, record])
                .map(Journal.result(from:))
        }
    }

    public func log(run id: String, kind: String, detail: String) throws {
        try write { db in try Journal.insertEvent(db, runID: id, kind: kind, detail: detail) }
    }

    public func events(run id: String) throws -> [(at: Date, kind: String, detail: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT at, kind, detail FROM event WHERE run_id = ? ORDER BY id", arguments: [id]).map {
                (Date(timeIntervalSince1970: $0["at"]), $0["kind"], $0["detail"])
            }
        }
    }
}

/// The identity (device, inode) of the journal file and of its write-ahead log as first seen.
struct JournalFiles: Sendable {
    struct Identity: Equatable, Sendable {
        var device: UInt64
        var inode: UInt64
    }
    let path: String
    let database: Identity?
    var wal: Identity?

    init(path: String) {
        self.path = path
        database = JournalFiles.identity(path)
        wal = JournalFiles.identity(path + "-wal")
    }

    /// What changed, if anything. The log exists from the first access on and SQLite removes it only
    /// when the last connection closes (this one is open), so its disappearance is never SQLite's doing.
    mutating func problem() -> String? {
        if let database, JournalFiles.identity(path) != database { return "the journal file was deleted or replaced" }
        let now = JournalFiles.identity(path + "-wal")
        guard let wal else { wal = now; return nil }
        return now == wal ? nil : "its write-ahead log \(path)-wal was deleted or replaced"
    }

    static func identity(_ path: String) -> Identity? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Identity(device: UInt64(st.st_dev), inode: UInt64(st.st_ino))
    }
}
