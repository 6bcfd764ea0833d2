import AuthgearAPI
import Foundation
import GRDB

/// A migration is many runs: which runs belong to a source (by content) and a target, and what
/// the journal keeps to match records across them (each planned record's `RecordKey`).
extension Journal {
    /// "v2-runs": the run's key field, each batch's record keys (parallel to its records), and
    /// indexes to find a source's runs by content and a target's runs.
    static func registerRunsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-runs") { db in
            try db.execute(sql: """
                ALTER TABLE run ADD COLUMN key_field TEXT;
                ALTER TABLE run ADD COLUMN passwords_path TEXT;
                ALTER TABLE batch ADD COLUMN record_keys BLOB;
                CREATE INDEX run_source ON run(source_size, source_fingerprint);
                CREATE INDEX run_target ON run(project_id, endpoint);
                """)
        }
    }

    static func storeRunExtras(_ db: Database, _ run: RunRecord) throws {
        guard run.keyField != nil || run.passwordsPath != nil else { return }
        try db.execute(sql: "UPDATE run SET key_field = ?, passwords_path = ? WHERE id = ?", arguments: [run.keyField, run.passwordsPath, run.id])
    }

    /// Gives every batch of the run without record keys its keys, in one pass.
    static func storeRecordKeys(_ db: Database, runID: String, _ key: (Int) -> RecordKey?) throws {
        let rows = try Row.fetchAll(db, sql: "SELECT id, records FROM batch WHERE run_id = ? AND record_keys IS NULL", arguments: [runID])
        let update = try db.makeStatement(sql: "UPDATE batch SET record_keys = ? WHERE id = ?")
        for row in rows {
            let records = decodeRecords(row["records"])
            try update.execute(arguments: [RecordKey.encode(records.map(key)), row["id"] as Int64])
        }
    }

    // MARK: - Runs of a source and a target

    /// The runs whose source has the content of `source` (size and fingerprint; the path does not
    /// matter), into `target` when given, newest first.
    public func runs(source: SourceIdentity, target: RunTarget? = nil) throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run WHERE source_size = ? AND source_fingerprint = ? ORDER BY created_at DESC",
                             arguments: [source.size, source.fingerprint])
                .map(Journal.run(from:)).filter { target == nil || $0.target == target }
        }
    }

    /// The runs into `target`, newest first (any source).
    public func runs(target: RunTarget) throws -> [RunRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run WHERE project_id = ? ORDER BY created_at DESC", arguments: [target.projectID])
                .map(Journal.run(from:)).filter { $0.target == target }
        }
    }

    /// The unfinished runs of `source`'s content into `target`, newest first.
    public func unfinishedRuns(source: SourceIdentity, target: RunTarget) throws -> [RunRecord] {
        try runs(source: source, target: target).filter { $0.state != .finished }
    }

    /// The runs recorded for the file at `path` whatever its content then (another version of
    /// the file is another source), newest first.
    public func runs(sourcePath path: String) throws -> [RunRecord] {
        let path = URL(fileURLWithPath: path).standardizedFileURL.path
        return try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM run WHERE source_path = ? ORDER BY created_at DESC", arguments: [path]).map(Journal.run(from:))
        }
    }

    // MARK: - Records across runs

    /// Each planned record's key (from the batches that planned it; the latest planning wins).
    public func recordKeys(run id: String) throws -> [Int: RecordKey] {
        try read { db in
            var out: [Int: RecordKey] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT records, record_keys FROM batch WHERE run_id = ? AND record_keys IS NOT NULL ORDER BY id",
                                           arguments: [id])
            while let row = try rows.next() {
                let records = Journal.decodeRecords(row[0])
                let keys = RecordKey.decode(row[1])
                for (r, k) in zip(records, keys) { if let k { out[r] = k } }
            }
            return out
        }
    }

    /// The records whose latest result is a success (inserted, updated or skipped: the user is in the project).
    public func succeededRecords(run id: String) throws -> Set<Int> {
        var out = Set<Int>()
        try forEachLatestOutcome(run: id) { n, outcome in if outcome.isSuccess { out.insert(n) } }
        return out
    }
}
