import AuthgearAPI
import Foundation
import GRDB
import MigrationCore

extension Journal {
    static func insertBatches(_ db: Database, runID: String, purpose: BatchPurpose, _ batches: [PlannedBatch],
                              interruptedAt: Date? = nil) throws {
        let now = Date().timeIntervalSince1970
        let statement = try db.makeStatement(sql: """
            INSERT INTO batch (run_id, purpose, upsert, records, body_sha256, body_size, state, created_at, interrupted_at)
            VALUES (?, ?, ?, ?, ?, ?, 'planned', ?, ?)
            """)
        for b in batches {
            try statement.execute(arguments: [runID, purpose.rawValue, b.upsert, encodeRecords(b.records), "" /* hashed at the first send */, b.bodySize, now,
                                              interruptedAt?.timeIntervalSince1970])
        }
    }

    static func insertEvent(_ db: Database, runID: String, kind: String, detail: String) throws {
        try db.execute(sql: "INSERT INTO event (run_id, at, kind, detail) VALUES (?, ?, ?, ?)",
                       arguments: [runID, Date().timeIntervalSince1970, kind, detail])
    }

    /// Warnings as a JSON array of strings (NULL when none); read back by `decodeWarnings`, the same codec.
    static func encodeWarnings(_ warnings: [String]) -> String? {
        warnings.isEmpty ? nil : JSONValue.array(warnings.map(JSONValue.string)).jsonText
    }

    static func decodeWarnings(_ text: String?) -> [String] {
        guard let text, case .array(let items)? = try? JSONParser.parse(text) else { return [] }
        return items.compactMap(\.stringValue)
    }

    /// Record numbers as little-endian 32-bit integers (compact for 1,000-record batches).
    static func encodeRecords(_ records: [Int]) -> Data {
        var data = Data(capacity: records.count * 4)
        for r in records {
            var v = UInt32(truncatingIfNeeded: r).littleEndian
            withUnsafeBytes(of: &v) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func decodeRecords(_ data: Data) -> [Int] {
        var out: [Int] = []
        out.reserveCapacity(data.count / 4)
        data.withUnsafeBytes { raw in
            for i in stride(from: 0, to: raw.count - 3, by: 4) {
                out.append(Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))))
            }
        }
        return out
    }

    static func run(from row: Row) -> RunRecord {
        RunRecord(id: row["id"], createdAt: Date(timeIntervalSince1970: row["created_at"]), sourcePath: row["source_path"],
                  sourceSize: row["source_size"], sourceFingerprint: row["source_fingerprint"], sourceFormat: row["source_format"],
                  mappingPath: row["mapping_path"], editsPath: row["edits_path"], identifier: row["identifier"], upsert: row["upsert"],
                  endpoint: row["endpoint"], projectID: row["project_id"], recordCount: row["record_count"],
                  state: RunRecord.State(rawValue: row["state"]) ?? .active, pausedReason: row["paused_reason"],
                  keyField: row["key_field"], passwordsPath: row["passwords_path"])
    }

    static func batch(from row: Row) -> BatchRecord {
        BatchRecord(id: row["id"], runID: row["run_id"], purpose: BatchPurpose(rawValue: row["purpose"]) ?? .initial,
                    upsert: row["upsert"], records: decodeRecords(row["records"]),
                    bodySHA256: (row["body_sha256"] as String?).flatMap { $0.isEmpty ? nil : $0 },
                    bodySize: row["body_size"], state: BatchRecord.State(rawValue: row["state"]) ?? .planned, jobID: row["job_id"],
                    attempts: row["attempts"], interruptedAt: (row["interrupted_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
                    lastAttemptAt: (row["last_attempt_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
                    sentAt: (row["sent_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
                    completedAt: (row["completed_at"] as Double?).map { Date(timeIntervalSince1970: $0) }, lastError: row["last_error"])
    }

    static func result(from row: Row) -> RecordResult {
        return RecordResult(record: row["record"], batchID: row["batch_id"], outcome: Outcome(row["outcome"] as String), userID: row["user_id"],
                            warnings: decodeWarnings(row["warnings"]), errorReason: row["error_reason"], errorMessage: row["error_message"],
                            errorJSON: row["error_json"],
                            possiblyCreatedAt: (row["possibly_created_at"] as Double?).map { Date(timeIntervalSince1970: $0) },
                            recordedAt: Date(timeIntervalSince1970: row["recorded_at"]))
    }
}
