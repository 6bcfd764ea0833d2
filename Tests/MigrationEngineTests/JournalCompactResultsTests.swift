import AuthgearAPI
import Foundation
import GRDB
@testable import MigrationEngine
import MigrationCore
import TestSupport
import XCTest

/// Migration "v3-compact-results" on a real SQLite file: a journal written with the earlier
/// `result` table opens and reads the same, and new results are stored compactly.
final class JournalCompactResultsTests: XCTestCase {
    let upperUUID = "0A1B2C3D-4E5F-4A6B-8C7D-9E0F1A2B3C4D"

    /// A journal as the build before v3 left it: every migration up to v2-rollback, two runs, and
    /// results written with that build's INSERT (run ids, outcomes and user ids as text).
    func writeOldJournal(_ path: String) throws -> (runs: [String], batches: [Int64]) {
        let queue = try DatabaseQueue(path: path)
        try Journal.migrator.migrate(queue, upTo: "v2-rollback")
        let runs = [UUID().uuidString.lowercased(), UUID().uuidString.lowercased()]
        var batches: [Int64] = []
        try queue.write { db in
            for (k, id) in runs.enumerated() {
                try db.execute(sql: """
                    INSERT INTO run (id, created_at, source_path, source_size, source_fingerprint, source_format, mapping_path, edits_path,
                                     identifier, upsert, endpoint, project_id, record_count, state, paused_reason, updated_at)
                    VALUES (?, ?, '/data/users.json', 10, 'f', 'ndjson', NULL, '/data/edits', 'email', 0, 'https://x', 'p', 4, 'finished', NULL, ?)
                    """, arguments: [id, 1_700_000_000.0 + Double(k), 1_700_000_000.0])
                for purpose in ["initial", "retry_failed"] {
                    try db.execute(sql: """
                        INSERT INTO batch (run_id, purpose, upsert, records, body_sha256, body_size, state, created_at)
                        VALUES (?, ?, 0, ?, 'abc', 100, 'completed', 1700000000.5)
                        """, arguments: [id, purpose, Journal.encodeRecords(purpose == "initial" ? [0, 1, 2, 3] : [3])])
                    batches.append(db.lastInsertedRowID)
                }
            }
            func insert(_ run: String, _ record: Int, _ batch: Int64, _ outcome: String, _ user: String?, warnings: String? = nil,
                        reason: String? = nil, message: String? = nil, json: String? = nil, possibly: Double? = nil) throws {
                try db.execute(sql: """
                    INSERT OR REPLACE INTO result (run_id, record, batch_id, outcome, user_id, warnings, error_reason, error_message, error_json,
                                                   possibly_created_at, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [run, record, batch, outcome, user, warnings, reason, message, json, possibly, 1_700_000_001.25 + Double(record)])
            }
            let clash = #"{"name":"AlreadyExists","reason":"DuplicatedIdentity","message":"identity already exists","code":409}"#
            try insert(runs[0], 0, batches[0], "inserted", "3f2504e0-4f89-41d3-9a0c-0305e82c3301", warnings: #"["name \"trimmed\""]"#)
            try insert(runs[0], 1, batches[0], "skipped", upperUUID, possibly: 1_700_000_000.75)
            try insert(runs[0], 2, batches[0], "merged", "u2")
            try insert(runs[0], 3, batches[0], "failed", nil, reason: "DuplicatedIdentity", message: "identity already exists", json: clash)
            try insert(runs[0], 3, batches[1], "updated", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")
            try insert(runs[1], 0, batches[2], "failed", nil, reason: "DuplicatedIdentity", message: "identity already exists", json: clash)
            try insert(runs[1], 1, batches[2], "inserted", "6ba7b811-9dad-11d1-80b4-00c04fd430c8", warnings: #"["name \"trimmed\""]"#)
        }
        return (runs, batches)
    }

    func everyResult(_ path: String) throws -> [String: [RecordResult]] {
        let queue = try DatabaseQueue(path: path)
        return try queue.read { db in
            var out: [String: [RecordResult]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT * FROM result ORDER BY run_id, record, batch_id") {
                out[row["run_id"], default: []].append(Journal.result(from: row))
            }
            return out
        }
    }

    func testAnOldJournalOpensAndReadsTheSame() throws {
        let path = makeTempDirectory(prefix: "journal-v3").path + "/journal.sqlite"
        let (runs, _) = try writeOldJournal(path)
        let before = try everyResult(path)
        XCTAssertEqual(before.values.map(\.count).reduce(0, +), 7)

        let journal = try Journal(path: path)
        XCTAssertEqual(try everyResult(path), before, "the view shows every earlier row exactly")
        for run in runs {
            let latest = try journal.latestResults(run: run)
            var expected: [Int: RecordResult] = [:]
            for r in before[run]! { expected[r.record] = r }
            XCTAssertEqual(latest, expected)
            var seen: [Int: Outcome] = [:]
            try journal.forEachLatestOutcome(run: run) { seen[$0] = $1 }
            XCTAssertEqual(seen, expected.mapValues(\.outcome))
            var users: [Int: String?] = [:]
            try journal.forEachLatestResult(run: run) { users[$0] = $2 }
            XCTAssertEqual(users, expected.mapValues(\.userID))
            var counts = OutcomeCounts()
            for r in expected.values { counts.add(r.outcome) }
            XCTAssertEqual(try journal.outcomeCounts(run: run), counts)
            XCTAssertEqual(try journal.recordsWithoutOutcome(run: run), run == runs[1] ? [2, 3] : [])
        }
        let first = try journal.latestResults(run: runs[0])
        XCTAssertEqual(first[0]?.warnings, [#"name "trimmed""#])
        XCTAssertEqual(first[1]?.userID, upperUUID, "an id in another spelling reads back as it was")
        XCTAssertEqual(first[1]?.possiblyCreatedAt, Date(timeIntervalSince1970: 1_700_000_000.75))
        XCTAssertEqual(first[2]?.outcome, .other("merged"))
        XCTAssertEqual(try journal.history(run: runs[0], record: 3).map(\.outcome), [.failed, .updated])
        XCTAssertEqual(try journal.rollbackCandidates(run: runs[1]).map(\.userID), ["6ba7b811-9dad-11d1-80b4-00c04fd430c8"])
        let totals = try journal.progressTotals(run: runs[1])
        XCTAssertEqual(totals.failedByReason, [RunProgressTotals.ReasonCount(reason: "DuplicatedIdentity", count: 1)])
        XCTAssertEqual(totals.recentFailures.map(\.message), ["identity already exists"])

        // Opening it again runs nothing twice; a new result of an old run goes to the same rows.
        let again = try Journal(path: path)
        try again.complete(2, results: [RecordResult(record: 3, batchID: 2, outcome: .skipped, userID: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
                                                     warnings: [], errorReason: nil, errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)],
                           runID: runs[0])
        XCTAssertEqual(try again.latestResults(run: runs[0])[3]?.outcome, .skipped)
    }

    func testResultsAreStoredOnceEachWithUserIDsAsSixteenBytes() throws {
        let path = makeTempDirectory(prefix: "journal-v3").path + "/journal.sqlite"
        let journal = try Journal(path: path)
        let run = RunRecord(sourcePath: "/data/users.json", sourceSize: 10, sourceFingerprint: "f", sourceFormat: "ndjson", mappingPath: nil,
                            editsPath: "/data/edits", identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: 100)
        try journal.createRun(run, batches: [PlannedBatch(records: Array(0..<100), upsert: false, bodySize: 10)])
        let batch = try XCTUnwrap(journal.batches(run: run.id).first)
        let ids = (0..<100).map { _ in UUID().uuidString.lowercased() }
        let results = (0..<100).map { n in
            RecordResult(record: n, batchID: batch.id, outcome: n % 10 == 0 ? .failed : .inserted, userID: n % 10 == 0 ? nil : ids[n],
                         warnings: n % 2 == 0 ? ["a warning"] : [], errorReason: n % 10 == 0 ? "DuplicatedIdentity" : nil,
                         errorMessage: n % 10 == 0 ? "identity already exists" : nil, errorJSON: nil, possiblyCreatedAt: nil)
        }
        try journal.complete(batch.id, results: results, runID: run.id)
        let latest = try journal.latestResults(run: run.id)
        // The journal keeps times as seconds since 1970 (a Double), as it always did.
        let stored = results.map { r in var r = r; r.recordedAt = Date(timeIntervalSince1970: r.recordedAt.timeIntervalSince1970); return r }
        XCTAssertEqual((0..<100).map { latest[$0] }, stored, "read back exactly")
        let queue = try DatabaseQueue(path: path)
        try queue.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM outcome WHERE typeof(user) = 'blob' AND length(user) = 16"), 90)
            XCTAssertEqual(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM journal_text"), 3, "each repeated text stored once")
            XCTAssertEqual(try String.fetchAll(db, sql: "SELECT user_id FROM result WHERE user_id IS NOT NULL ORDER BY record"),
                           results.compactMap(\.userID), "the view spells ids as the server did")
        }
    }
}
