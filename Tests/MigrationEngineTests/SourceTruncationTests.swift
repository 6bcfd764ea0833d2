import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// A source truncated in the middle of a run: the run stops with a message naming the file,
/// stays resumable, and resume finishes it once the file is restored.
final class SourceTruncationTests: SandboxTestCase {
    func testSourceTruncatedDuringARunStopsItAndResumeFinishesOnceRestored() async throws {
        let count = 2000
        let source = sandbox.writeSource(count: count)
        let original = try XCTUnwrap(FileManager.default.contents(atPath: source))
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 50)
        // Planned from the whole file; cut after the first batch's records, before anything is sent.
        XCTAssertEqual(truncate(source, 3000), 0)
        let stop = await RunChecks.stop(of: try sandbox.runner(run, workspace, journal: journal, concurrency: 1))
        guard case .sourceChanged(let message)? = stop else { return XCTFail("stopped with \(String(describing: stop))") }
        XCTAssertTrue(message.contains(source), message)
        XCTAssertTrue(message.contains("changed while being read"), message)
        XCTAssertEqual(try journal.run(id: run.id)?.state, .paused)

        // Restored, the run resumes from its journal and finishes.
        try original.write(to: URL(fileURLWithPath: source))
        let reopened = try RunCoordinator.openSource(for: run)
        let counts = try await sandbox.runner(run, reopened, journal: journal).run()
        XCTAssertEqual(counts.total, count)
        let users = try await sandbox.userIDsByEmail()
        _ = try RunChecks.assertComplete(journal: journal, runID: run.id, count: count, users: users)
        try RunChecks.assertInsertedAtMostOnce(journal: journal, runID: run.id, count: count)
    }
}
