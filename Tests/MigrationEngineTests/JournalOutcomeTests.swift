import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// `Journal.forEachLatestOutcome` against a real SQLite file: one call per record, the latest attempt wins.
final class JournalOutcomeTests: XCTestCase {
    func testLatestOutcomePerRecordInRecordOrder() throws {
        let dir = makeTempDirectory(prefix: "journal-outcomes").path
        let journal = try Journal(path: dir + "/journal.sqlite")
        let run = RunRecord(sourcePath: "/data/users.json", sourceSize: 10, sourceFingerprint: "f", sourceFormat: "json-array", mappingPath: nil,
                            editsPath: dir + "/edits", identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: 3)
        try journal.createRun(run, batches: [PlannedBatch(records: [0, 1, 2], upsert: false, bodySize: 10)])
        let first = try XCTUnwrap(journal.batches(run: run.id).first)
        func result(_ n: Int, _ batch: Int64, _ outcome: Outcome) -> RecordResult {
            RecordResult(record: n, batchID: batch, outcome: outcome, userID: outcome == .failed ? nil : "u\(n)", warnings: [],
                         errorReason: nil, errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
        }
        try journal.complete(first.id, results: [result(0, first.id, .failed), result(1, first.id, .skipped), result(2, first.id, .inserted)],
                             runID: run.id)
        let retry = try journal.addBatches(run: run.id, purpose: .retryFailed, [PlannedBatch(records: [0], upsert: false, bodySize: 5)])
        try journal.complete(retry[0].id, results: [result(0, retry[0].id, .inserted)], runID: run.id)
        var seen: [(Int, Outcome)] = []
        try journal.forEachLatestOutcome(run: run.id) { seen.append(($0, $1)) }
        XCTAssertEqual(seen.map(\.0), [0, 1, 2])
        XCTAssertEqual(seen.map(\.1), [.inserted, .skipped, .inserted], "the retry's result replaces the failure")
        let latest = try journal.latestResults(run: run.id)
        XCTAssertEqual(seen.map(\.1), [0, 1, 2].map { latest[$0]!.outcome })
    }

    /// An outcome the client does not know is kept verbatim and counted as not imported (never as a success).
    func testAnUnknownOutcomeIsKeptAndCountedWithTheFailures() throws {
        let dir = NSTemporaryDirectory() + "journal-outcomes-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let journal = try Journal(path: dir + "/journal.sqlite")
        let run = RunRecord(sourcePath: "/data/users.json", sourceSize: 10, sourceFingerprint: "f", sourceFormat: "json-array", mappingPath: nil,
                            editsPath: dir + "/edits", identifier: "email", upsert: false, endpoint: "https://x", projectID: "p", recordCount: 2)
        try journal.createRun(run, batches: [PlannedBatch(records: [0, 1], upsert: false, bodySize: 10)])
        let batch = try XCTUnwrap(journal.batches(run: run.id).first)
        XCTAssertNil(batch.bodySHA256, "not sent yet")
        let results = [Outcome.inserted, Outcome("merged")].enumerated().map {
            RecordResult(record: $0.offset, batchID: batch.id, outcome: $0.element, userID: "u", warnings: ["w \"1\""], errorReason: nil,
                         errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
        }
        try journal.complete(batch.id, results: results, runID: run.id)
        let latest = try journal.latestResults(run: run.id)
        XCTAssertEqual(latest[1]?.outcome, .other("merged"))
        XCTAssertEqual(latest[1]?.warnings, ["w \"1\""], "warnings written and read by the same codec")
        var expected = OutcomeCounts()
        expected.inserted = 1
        expected.failed = 1
        XCTAssertEqual(try journal.outcomeCounts(run: run.id), expected)
    }
}
