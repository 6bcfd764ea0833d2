import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// One builder, one size rule: planning sizes batches without building them, every body is built
/// when it is sent and must have its planned size, and a re-send must be the first send's bytes.
final class RequestBodiesTests: SandboxTestCase {
    func testPlannedSizesAreTheBuiltSizesAndTheHashIsTakenAtTheFirstSend() async throws {
        let source = sandbox.writeSource(count: 45, extra: { #""name":"Ünïcødé \#($0)","custom_attributes":{}"# })
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 10)
        let bodies = RequestBodies(workspace: workspace)
        let planned = try journal.batches(run: run.id)
        XCTAssertEqual(planned.map(\.records.count), [10, 10, 10, 10, 5])
        for batch in planned {
            XCTAssertNil(batch.bodySHA256, "planning builds no body")
            let (body, sha) = try bodies.request(for: batch)
            XCTAssertEqual(body.count, batch.bodySize)
            XCTAssertEqual(sha, RequestBodies.sha256(bodies.body(records: batch.records, upsert: batch.upsert)), "the same bytes every time")
        }
        _ = try await sandbox.runner(run, workspace, journal: journal).run()
        for batch in try journal.batches(run: run.id) {
            let (_, sha) = try bodies.request(for: batch)
            XCTAssertEqual(batch.bodySHA256, sha, "the first send's hash is journalled")
        }
    }

    func testABodyThatNoLongerHasItsPlannedSizeOrHashIsRefused() throws {
        let source = sandbox.writeSource(count: 3)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal)
        var batch = try XCTUnwrap(journal.batches(run: run.id).first)
        // An edit made after planning changes the bytes (and here the size).
        workspace.edit { $0.replace(1, with: .obj(["email": .string("someone.else@example.com")])) }
        XCTAssertThrowsError(try RequestBodies(workspace: workspace).request(for: batch)) { error in
            XCTAssertTrue("\(error)".contains("no longer builds the bytes that were planned"), "\(error)")
        }
        // Same size, other bytes: refused once a first send's hash is known.
        workspace.edit { $0.revert(1) }
        let (_, sha) = try RequestBodies(workspace: workspace).request(for: batch)
        batch.bodySHA256 = String(sha.reversed())
        XCTAssertThrowsError(try RequestBodies(workspace: workspace).request(for: batch))
    }
}
