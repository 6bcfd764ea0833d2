import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// Many runs of one migration against a real sandbox: a canary pass that stops after its records,
/// and delta launches that send only what earlier runs did not import.
final class EngineRunsTests: SandboxTestCase {
    func testACanaryRunnerStopsAfterItsRecordsAndAnotherRunnerSendsTheRest() async throws {
        let source = sandbox.writeSource(count: 40)
        let journal = try sandbox.journal()
        let workspace = try sandbox.workspace(source)
        let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: sandbox.server.endpoint, projectID: "myapp",
                                              mappingPath: nil, editsPath: sandbox.dir + "/edits.json", maxRecords: 10, canary: 7)
        let batches = try journal.batches(run: run.id)
        XCTAssertEqual(batches.filter { $0.purpose == .canary }.flatMap(\.records), Array(0..<7))
        XCTAssertEqual(batches.filter { $0.purpose == .initial }.flatMap(\.records), Array(7..<40))

        var options = SandboxHarness.fastOptions()
        options.stopAfterCanary = true
        let canary = MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace),
                                     service: try sandbox.service(), options: options)
        do {
            _ = try await canary.run()
            XCTFail("the canary runner finished the run")
        } catch {
            guard case .canary(let c) = error else { return XCTFail("stopped with \(error)") }
            XCTAssertEqual(c.inserted, 7)
        }
        let users = try await sandbox.userIDsByEmail()
        XCTAssertEqual(users.count, 7)
        let paused = try XCTUnwrap(journal.run(id: run.id))
        XCTAssertEqual(paused.pausedReason, "canary")
        XCTAssertEqual(RunStatus.of(paused, journalPath: journal.path), .paused(reason: "canary"))
        XCTAssertEqual(try Canary.results(run: run.id, journal: journal).map(\.record), Array(0..<7))
        XCTAssertEqual(try Canary.remaining(run: run.id, journal: journal), 33)

        let counts = try await sandbox.runner(run, workspace, journal: journal).run()
        XCTAssertEqual(counts.inserted, 40)
        let all = try await sandbox.userIDsByEmail()
        XCTAssertEqual(all.count, 40)
    }

    func testADeltaOfAReExportMatchesByIdentifierAndSendsFailedRecordsAgain() async throws {
        // Record 3 of the first file clashes with a user that has its phone number: it fails.
        try await sandbox.control("POST", "/_sandbox/users",
                                  #"{"users":[{"ref":"P","identities":[{"type":"login_id","key":"phone","value":"+6591234567"}]}]}"#)
        let extra: (Int) -> String = { $0 == 3 ? #""phone_number":"+6591234567""# : "" }
        let a = sandbox.writeSource("a.ndjson", count: 20, extra: extra)
        let journal = try sandbox.journal()
        let (first, ws) = try sandbox.startRun(a, journal: journal, maxRecords: 10)
        let firstCounts = try await sandbox.runner(first, ws, journal: journal).run()
        XCTAssertEqual(firstCounts.failed, 1)

        let target = RunTarget(endpoint: sandbox.server.endpoint, projectID: "myapp")
        let same = try DeltaPlan.compute(workspace: ws, journal: journal, target: target)
        XCTAssertEqual(same.done, Set(0..<20).subtracting([3]))
        XCTAssertEqual(same.matchedByNumber, 19)

        // A re-export: users reordered (the first two swapped) and five appended.
        let swapped = sandbox.writeSource("a-prime.ndjson", count: 25, extra: extra)
        var lines = try String(contentsOfFile: swapped, encoding: .utf8).split(separator: "\n").map(String.init)
        lines.swapAt(0, 1)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: swapped))
        let ws2 = try sandbox.workspace(swapped)
        let delta = try DeltaPlan.compute(workspace: ws2, journal: journal, target: target)
        XCTAssertEqual(delta.matchedByIdentifier, 19)
        XCTAssertEqual(delta.matchedByNumber, 0)
        XCTAssertEqual(Set(0..<25).subtracting(delta.done), Set([3] + Array(20..<25)), "the failed record and the new ones")
        XCTAssertEqual(delta.remaining, 6)
        XCTAssertTrue(delta.describe(upsert: false, sendingAll: false).contains("Sending only the 6 others"))
        let other = RunTarget(endpoint: sandbox.server.endpoint, projectID: "another")
        XCTAssertTrue(try DeltaPlan.compute(workspace: ws2, journal: journal, target: other).done.isEmpty, "another project is another migration")

        let only = Set(0..<25).subtracting(delta.done)
        let second = try RunCoordinator.startRun(workspace: ws2, journal: journal, endpoint: sandbox.server.endpoint, projectID: "myapp",
                                                 mappingPath: nil, editsPath: sandbox.dir + "/edits2.json", maxRecords: 10, only: only)
        let counts = try await sandbox.runner(second, ws2, journal: journal).run()
        XCTAssertEqual(counts.inserted, 5)
        XCTAssertEqual(counts.failed, 1, "record 3 still clashes")
        XCTAssertEqual(Set(try journal.latestResults(run: second.id).keys), only)
        let users = try await sandbox.userIDsByEmail()
        let expected = Set((0..<25).filter { $0 != 3 }.map(SandboxHarness.email))
        XCTAssertEqual(Set(users.keys).intersection(expected), expected)
        XCTAssertNil(users[SandboxHarness.email(3)])
    }
}
