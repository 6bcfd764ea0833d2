import AuthgearAPI
import Foundation
import GRDB

/// What a rollback did with one user the run inserted.
public enum RollbackDisposition: String, Sendable {
    /// Deleted by this tool.
    case deleted
    /// Not in the project any more when the rollback looked (deleted elsewhere, or by a
    /// rollback killed between the server's commit and the journal write).
    case gone
    /// Kept, and why (``RollbackCandidate/reason``): it no longer has the login ID it was
    /// created with, or the record's identifier cannot be read. A later rollback does not look
    /// at it again; it lists it.
    case leftAlone = "left_alone"
}

/// One user a run inserted, as the rollback considers it.
public struct RollbackCandidate: Sendable, Equatable {
    public var record: Int
    public var userID: String
    /// Set once the journal holds what happened to it.
    public var disposition: RollbackDisposition?
    /// Why it was left alone (``RollbackDisposition/leftAlone`` only).
    public var reason: String?
    /// When a rollback settled it.
    public var settledAt: Date?

    public init(record: Int, userID: String, disposition: RollbackDisposition? = nil, reason: String? = nil, settledAt: Date? = nil) {
        self.record = record
        self.userID = userID
        self.disposition = disposition
        self.reason = reason
        self.settledAt = settledAt
    }
}

extension Journal {
    /// Migration `v2-rollback`: the `rollback` table (one row per user a rollback settled).
    static func registerRollbackMigration(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-rollback") { db in
            try db.execute(sql: """
                CREATE TABLE rollback (
                    run_id TEXT NOT NULL REFERENCES run(id), user_id TEXT NOT NULL, record INTEGER NOT NULL,
                    disposition TEXT NOT NULL, at REAL NOT NULL,
                    PRIMARY KEY (run_id, user_id));
                """)
        }
        // Users left alone are journaled too, with why, so that a second rollback has nothing to do.
        migrator.registerMigration("v3-rollback-reason") { db in
            try db.execute(sql: "ALTER TABLE rollback ADD COLUMN reason TEXT")
        }
    }

    /// The users `run` inserted (any attempt whose outcome was `inserted`), one per user_id in
    /// record order, with what a rollback already did to them.
    public func rollbackCandidates(run id: String) throws -> [RollbackCandidate] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT r.record AS record, r.user_id AS user_id, b.disposition AS disposition, b.reason AS reason, b.at AS at
                FROM (SELECT user_id, MIN(record) AS record FROM result
                      WHERE run_id = ? AND outcome = 'inserted' AND user_id IS NOT NULL GROUP BY user_id) r
                LEFT JOIN rollback b ON b.run_id = ? AND b.user_id = r.user_id
                ORDER BY r.record
                """, arguments: [id, id])
            return rows.map { row in
                RollbackCandidate(record: row["record"], userID: row["user_id"],
                                  disposition: (row["disposition"] as String?).flatMap(RollbackDisposition.init(rawValue:)),
                                  reason: row["reason"], settledAt: (row["at"] as Double?).map(Date.init(timeIntervalSince1970:)))
            }
        }
    }

    /// Records what a rollback did to these users, in one transaction, with an audit event.
    public func recordRollback(run id: String, _ settled: [(record: Int, userID: String, disposition: RollbackDisposition)]) throws {
        try recordRollback(run: id, settled.map { RollbackCandidate(record: $0.record, userID: $0.userID, disposition: $0.disposition) })
    }

    /// Records what a rollback did to these users (their `disposition`, and `reason` for users
    /// left alone), in one transaction, with an audit event.
    public func recordRollback(run id: String, _ settled: [RollbackCandidate]) throws {
        guard !settled.isEmpty else { return }
        try write { db in
            let now = Date().timeIntervalSince1970
            for s in settled {
                try db.execute(sql: "INSERT OR REPLACE INTO rollback (run_id, user_id, record, disposition, at, reason) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [id, s.userID, s.record, (s.disposition ?? .leftAlone).rawValue, now, s.reason])
            }
            let deleted = settled.filter { $0.disposition == .deleted }.count
            let leftAlone = settled.filter { $0.disposition == .leftAlone }.count
            try Journal.insertEvent(db, runID: id, kind: "rollback",
                                    detail: "\(deleted) deleted, \(settled.count - deleted - leftAlone) already gone, \(leftAlone) left alone: "
                                        + settled.map(\.userID).joined(separator: " "))
        }
    }
}
