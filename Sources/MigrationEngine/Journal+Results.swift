import AuthgearAPI
import Foundation
import GRDB
import GRDBSQLite

/// How the journal stores each record's result compactly (migration "v3-compact-results"): one
/// row per record and attempt in the `outcome` table (no rowid; the key is the row), with
///  - the run as a small number (`run_number`) instead of its 36-character id,
///  - the outcome as a small integer (0 inserted, 1 updated, 2 skipped, 3 failed; an outcome this
///    client does not know is kept as its text),
///  - the user id as its 16 bytes when it is a lower-case UUID in canonical form (as the server
///    writes them; any other spelling is kept as text, so every id reads back exactly),
///  - warnings and error texts stored once each in `journal_text` and referred to by number.
/// A view named `result` shows the rows with the columns of the earlier `result` table (run id,
/// outcome and user id as text), so every query written against that table reads the same.
extension Journal {
    static func registerCompactResultsMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-compact-results") { db in
            try db.execute(sql: """
                CREATE TABLE run_number (number INTEGER PRIMARY KEY, run_id TEXT NOT NULL UNIQUE);
                CREATE TABLE journal_text (id INTEGER PRIMARY KEY, value TEXT NOT NULL UNIQUE);
                CREATE TABLE outcome (
                    run INTEGER NOT NULL, record INTEGER NOT NULL, batch INTEGER NOT NULL, outcome NOT NULL, user,
                    warnings INTEGER, error_reason INTEGER, error_message INTEGER, error_json INTEGER,
                    possibly_created_at REAL, recorded_at REAL NOT NULL,
                    PRIMARY KEY (run, record, batch)) WITHOUT ROWID;
                INSERT INTO run_number (run_id) SELECT id FROM run ORDER BY created_at, id;
                INSERT OR IGNORE INTO run_number (run_id) SELECT DISTINCT run_id FROM result ORDER BY run_id;
                """)
            // Every earlier result, decoded as it was read and written by the one encoder of new rows.
            var numbers: [String: Int64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT number, run_id FROM run_number") { numbers[row[1]] = row[0] }
            var texts = TextIDs()
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM result ORDER BY run_id, record, batch_id")
            while let row = try rows.next() {
                let runID: String = row["run_id"]
                try insertResult(db, run: numbers[runID]!, result(from: row), texts: &texts)
            }
            try db.execute(sql: "DROP TABLE result")
            try db.execute(sql: resultView)
        }
    }

    /// The earlier `result` table's columns over `outcome` (read-only).
    static let resultView = """
        CREATE VIEW result AS
        SELECT n.run_id AS run_id, o.record AS record, o.batch AS batch_id,
               CASE o.outcome WHEN 0 THEN 'inserted' WHEN 1 THEN 'updated' WHEN 2 THEN 'skipped' WHEN 3 THEN 'failed' ELSE o.outcome END AS outcome,
               CASE WHEN typeof(o.user) = 'blob' THEN lower(hex(substr(o.user, 1, 4)) || '-' || hex(substr(o.user, 5, 2)) || '-'
                    || hex(substr(o.user, 7, 2)) || '-' || hex(substr(o.user, 9, 2)) || '-' || hex(substr(o.user, 11, 6))) ELSE o.user END AS user_id,
               (SELECT value FROM journal_text WHERE id = o.warnings) AS warnings,
               (SELECT value FROM journal_text WHERE id = o.error_reason) AS error_reason,
               (SELECT value FROM journal_text WHERE id = o.error_message) AS error_message,
               (SELECT value FROM journal_text WHERE id = o.error_json) AS error_json,
               o.possibly_created_at AS possibly_created_at, o.recorded_at AS recorded_at
        FROM outcome o JOIN run_number n ON n.number = o.run
        """

    /// Every attempt's (record, outcome code) of run `?`, in record order, attempts oldest first.
    static let latestOutcomesSQL =
        "SELECT record, outcome FROM outcome WHERE run = (SELECT number FROM run_number WHERE run_id = ?) ORDER BY record, batch"

    /// The run's number in `outcome` rows (given when the run is created).
    static func runNumber(_ db: Database, runID: String) throws -> Int64 {
        if let n = try Int64.fetchOne(db, sql: "SELECT number FROM run_number WHERE run_id = ?", arguments: [runID]) { return n }
        try db.execute(sql: "INSERT INTO run_number (run_id) VALUES (?)", arguments: [runID])
        return db.lastInsertedRowID
    }

    /// Texts already numbered in this transaction.
    struct TextIDs {
        var ids: [String: Int64] = [:]

        /// The number of `text` in `journal_text`, adding it the first time.
        mutating func id(_ db: Database, _ text: String?) throws -> Int64? {
            guard let text else { return nil }
            if let id = ids[text] { return id }
            let id: Int64
            if let found = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM journal_text WHERE value = ?"), arguments: [text]) {
                id = found
            } else {
                try db.cachedStatement(sql: "INSERT INTO journal_text (value) VALUES (?)").execute(arguments: [text])
                id = db.lastInsertedRowID
            }
            ids[text] = id
            return id
        }
    }

    static func insertResult(_ db: Database, run: Int64, _ r: RecordResult, texts: inout TextIDs) throws {
        // A cached prepared statement bound through SQLite's own calls: results are written by the
        // thousand, and GRDB's argument array cost more than the insert (perf, 100,000 records).
        let statement = try db.cachedStatement(sql: """
            INSERT OR REPLACE INTO outcome (run, record, batch, outcome, user, warnings, error_reason, error_message, error_json,
                                            possibly_created_at, recorded_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let warnings = try texts.id(db, encodeWarnings(r.warnings)), reason = try texts.id(db, r.errorReason)
        let message = try texts.id(db, r.errorMessage), json = try texts.id(db, r.errorJSON)
        let s = statement.sqliteStatement
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)  // SQLITE_TRANSIENT: SQLite copies the bytes
        sqlite3_reset(s)
        func bind(_ column: Int32, _ value: Int64?) {
            if let value { sqlite3_bind_int64(s, column, value) } else { sqlite3_bind_null(s, column) }
        }
        bind(1, run)
        bind(2, Int64(r.record))
        bind(3, r.batchID)
        switch r.outcome {
        case .inserted: bind(4, 0)
        case .updated: bind(4, 1)
        case .skipped: bind(4, 2)
        case .failed: bind(4, 3)
        case .other(let text): sqlite3_bind_text(s, 4, text, -1, transient)
        }
        // The user id: a canonical lower-case UUID as its 16 bytes, any other spelling as its text.
        if let id = r.userID {
            if let ref = UserRef(uuid: id) {
                var bytes = (ref.hi.bigEndian, ref.lo.bigEndian)
                withUnsafeBytes(of: &bytes) { _ = sqlite3_bind_blob(s, 5, $0.baseAddress, 16, transient) }
            } else {
                sqlite3_bind_text(s, 5, id, -1, transient)
            }
        } else {
            sqlite3_bind_null(s, 5)
        }
        bind(6, warnings)
        bind(7, reason)
        bind(8, message)
        bind(9, json)
        if let at = r.possiblyCreatedAt { sqlite3_bind_double(s, 10, at.timeIntervalSince1970) } else { sqlite3_bind_null(s, 10) }
        sqlite3_bind_double(s, 11, r.recordedAt.timeIntervalSince1970)
        let rc = sqlite3_step(s)
        sqlite3_reset(s)
        guard rc == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection)))
        }
    }

    // MARK: - Codec

    static func outcomeCode(_ outcome: Outcome) -> DatabaseValue {
        switch outcome {
        case .inserted: return 0.databaseValue
        case .updated: return 1.databaseValue
        case .skipped: return 2.databaseValue
        case .failed: return 3.databaseValue
        case .other(let text): return text.databaseValue
        }
    }

    /// An `outcome` column value as the outcome it stores.
    static func outcome(_ value: DatabaseValue) -> Outcome {
        switch value.storage {
        case .int64(0): return .inserted
        case .int64(1): return .updated
        case .int64(2): return .skipped
        case .int64(3): return .failed
        case .string(let text): return Outcome(text)
        case .int64(let n): return Outcome(String(n))
        default: return Outcome("")
        }
    }

    /// A `user` column value as the id it stores.
    static func userID(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .blob(let data) where data.count == 16:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            var out = [UInt8]()
            out.reserveCapacity(36)
            for (k, b) in data.enumerated() {
                if k == 4 || k == 6 || k == 8 || k == 10 { out.append(UInt8(ascii: "-")) }
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0x0F)])
            }
            return String(decoding: out, as: UTF8.self)
        case .string(let text): return text
        default: return nil
        }
    }
}
