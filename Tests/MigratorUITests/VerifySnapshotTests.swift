import XCTest
import MigrationCore
@testable import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// Snapshots of the Verify screen and the rollback confirmation at 80×24 and 120×40.
extension RenderSnapshotTests {
    func testVerifyRunning() throws {
        try assertSnapshot("verify-running") { w, h in
            var s = try VerifyScreenTests.verifying(width: w, height: h)
            _ = Update.update(&s, .verifyProgress(runID: VerifyScreenTests.runID, .init(phase: "looking up users", done: 300, total: 1_000)))
            _ = Update.update(&s, .verifyProblems(runID: VerifyScreenTests.runID, Array(VerifyScreenTests.problems.prefix(1))))
            return s
        }
    }

    func testVerifyResults() throws {
        try assertSnapshot("verify-results") { w, h in
            var s = try VerifyScreenTests.verified(width: w, height: h)
            press(&s, .down, .down, .enter)
            return s
        }
    }

    func testRollbackConfirmation() throws {
        try assertSnapshot("rollback-confirm") { w, h in
            var s = try RollbackFlowTests.confirming(width: w, height: h)
            type(&s, "mya")
            return s
        }
    }
}
