import ArgumentParser
import Foundation
import MigrationCore
import MigrationEngine
import XCTest
@testable import authgear_migrate

/// The pure mappings behind the CLI's contract: usage errors exit 2, what a confirmation
/// answer means, counts in one format with the right plural.
final class CLIContractTests: XCTestCase {
    func testUsageErrorsExitTwoAndOtherStatusesAreKept() throws {
        XCTAssertEqual(AuthgearMigrate.contractStatus(ExitCode.validationFailure.rawValue), 2)
        for status: Int32 in [0, 1, 2, 130] { XCTAssertEqual(AuthgearMigrate.contractStatus(status), status) }
        do {
            _ = try AuthgearMigrate.parseAsRoot(["check", "--no-such-option"])
            XCTFail("an unknown option parsed")
        } catch {
            XCTAssertEqual(AuthgearMigrate.contractStatus(AuthgearMigrate.exitCode(for: error).rawValue), 2)
        }
    }

    func testOnlyYesConfirmsAndEveryOtherAnswerSaysNothingWasSent() {
        for yes in ["yes", "YES", " Yes "] { XCTAssertNil(Confirmation.refusal(yes), yes) }
        XCTAssertEqual(Confirmation.refusal("no"), #"nothing sent: the answer was "no", not yes"#)
        XCTAssertEqual(Confirmation.refusal("y"), #"nothing sent: the answer was "y", not yes"#)
        XCTAssertEqual(Confirmation.refusal(""), "nothing sent: the answer was empty, not yes")
        XCTAssertEqual(Confirmation.refusal(nil), "nothing sent: the input ended before an answer (type yes to continue, or pass --yes)")
    }

    func testCountsAreGroupedAndPluralised() {
        XCTAssertEqual(1.counted("row"), "1 row")
        XCTAssertEqual(0.counted("row"), "0 rows")
        XCTAssertEqual(49_473.counted("record"), "49,473 records")
        XCTAssertEqual(2.counted("batch", "batches"), "2 batches")
    }

    func testTheProgressLineUsesGroupedDigitsAndNamesTheJobItWaitsFor() {
        var counts = OutcomeCounts()
        counts.inserted = 12_345
        let snapshot = ProgressSnapshot(counts: counts, toSend: 49_473, done: 12_345, inFlightBatches: 1, recordsPerSecond: 1_250, eta: nil)
        XCTAssertEqual(RunReporter.progressLine(snapshot, inFlight: 1),
                       "progress: 12,345/49,473 records, inserted 12,345, updated 0, skipped 0, failed 0, 1,250 records/s")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let job = InFlightBatches.Job(batch: 1, jobID: "userimport_1", since: now.addingTimeInterval(-25.7))
        XCTAssertEqual(RunReporter.progressLine(nil, inFlight: 1, waiting: job, now: now),
                       "progress: no record completed yet, 1 batch in flight; waiting for job userimport_1 (25 s)")
    }
}
