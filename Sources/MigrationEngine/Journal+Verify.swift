import AuthgearAPI
import GRDB

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
}
