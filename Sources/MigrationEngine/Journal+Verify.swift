import AuthgearAPI
import Foundation
import GRDB
import GRDBSQLite

extension Journal {
    /// Calls `body(record, outcome, userID)` for each record's latest result, in record order,
    /// reading only those three columns (a verify of a million records).
    public func forEachLatestResult(run id: String, _ body: (Int, Outcome, String?) -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT record, outcome, user_id FROM result WHERE run_id = ? ORDER BY record, batch_id",
                                           arguments: [id])
            var pending: (Int, Outcome, String?)?
            while let row = try rows.next() {
                let record: Int = row[0]
                if let p = pending, p.0 != record { body(p.0, p.1, p.2) }
                pending = (record, Outcome(row[1] as String), row[2] as String?)
            }
            if let p = pending { body(p.0, p.1, p.2) }
        }
    }

    /// Calls `body(record)` for every record planned in one of the run's batches (a record
    /// without a result there is `pending`; one in no batch was never sent).
    public func forEachPlannedRecord(run id: String, _ body: (Int) -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT records FROM batch WHERE run_id = ?", arguments: [id])
            while let row = try rows.next() {
                let data: Data = row[0]
                data.withUnsafeBytes { raw in
                    var k = 0
                    while k + 4 <= raw.count {
                        body(Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: k, as: UInt32.self))))
                        k += 4
                    }
                }
            }
        }
    }

    /// Calls `body(record)` for each record whose latest result is `failed` because its identity
    /// already belonged to a user (cause `DuplicatedIdentity`, import spec §7.7, §9.3): such a
    /// record's login ID exists in the project by definition, so verify does not report it.
    public func forEachLatestDuplicateFailure(run id: String, _ body: (Int) -> Void) throws {
        try read { db in
            // Straight from `outcome` (3 = failed, its primary key (run, record, batch) finds the
            // latest attempt): the `result` view would spell out every row's user id and texts.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT o.record, t.value FROM outcome o JOIN journal_text t ON t.id = o.error_json
                WHERE o.run = (SELECT number FROM run_number WHERE run_id = ?) AND o.outcome = 3
                  AND t.value LIKE '%DuplicatedIdentity%'
                  AND o.batch = (SELECT MAX(l.batch) FROM outcome l WHERE l.run = o.run AND l.record = o.record)
                ORDER BY o.record
                """, arguments: [id])
            while let row = try rows.next() {
                if RecordErrorCause.parse(row[1] as String?)?.kind == "DuplicatedIdentity" { body(row[0]) }
            }
        }
    }

    /// A user id as a result row stores it (see `Journal+Results.swift`).
    enum StoredUserID {
        case none
        /// A canonical lower-case UUID, kept as its 16 bytes.
        case uuid(UserRef)
        /// Any other spelling, as its text.
        case text(String)
    }

    /// ``forEachLatestResult(run:_:)`` for a million records: `body(record, outcome, user)` read
    /// straight from `outcome` in its key order (run, record, batch) — no `result` view spelling
    /// out every user id in hex, no String per row for a UUID.
    func forEachLatestResultUser(run id: String, _ body: (Int, Outcome, StoredUserID) -> Void) throws {
        try read { db in
            let statement = try db.makeStatement(sql: """
                SELECT record, outcome, user FROM outcome WHERE run = (SELECT number FROM run_number WHERE run_id = ?) ORDER BY record, batch
                """)
            try statement.setArguments([id])
            let s = statement.sqliteStatement
            var pending: (record: Int, outcome: Outcome, user: StoredUserID)?
            while true {
                let rc = sqlite3_step(s)
                if rc == SQLITE_DONE { break }
                guard rc == SQLITE_ROW else { throw DatabaseError(resultCode: ResultCode(rawValue: rc), message: String(cString: sqlite3_errmsg(db.sqliteConnection))) }
                let record = Int(sqlite3_column_int64(s, 0))
                if let p = pending, p.record != record { body(p.record, p.outcome, p.user) }
                let outcome = Journal.outcome(sqlite3_column_type(s, 1) == SQLITE_INTEGER
                    ? sqlite3_column_int64(s, 1).databaseValue : String(cString: sqlite3_column_text(s, 1)).databaseValue)
                let user: StoredUserID
                switch sqlite3_column_type(s, 2) {
                case SQLITE_NULL: user = .none
                case SQLITE_BLOB where sqlite3_column_bytes(s, 2) == 16:
                    let raw = UnsafeRawBufferPointer(start: sqlite3_column_blob(s, 2), count: 16)
                    user = .uuid(UserRef(hi: UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)),
                                         lo: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self))))
                default: user = .text(String(cString: sqlite3_column_text(s, 2)))
                }
                pending = (record, outcome, user)
            }
            if let p = pending { body(p.record, p.outcome, p.user) }
        }
    }
}
