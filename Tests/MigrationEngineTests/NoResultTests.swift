import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import Synchronization
import TestSupport
import XCTest

/// A server that completes jobs but never reports one record (its task crashes every time): the
/// run does not send it forever, and it ends with an outcome the operator can act on.
final class NoResultTests: SandboxTestCase {
    /// Completes every job at once with `inserted` for every record except those whose email is `never`.
    final class ForgetfulService: ImportService, Sendable {
        let never: String
        private let jobs = Mutex<[String: ImportJob]>([:])
        let posts = Atomic<Int>(0)
        init(never: String) { self.never = never }

        func create(body: [UInt8]) async throws(ServiceError) -> ImportJob {
            guard case .array(let records)? = (try? JSONParser.parse(body))?["records"] else { throw .rejected("not a request body") }
            posts.wrappingAdd(1, ordering: .relaxed)
            let id = "userimport_\(UUID().uuidString)"
            let details = records.enumerated().compactMap { k, r -> ImportDetail? in
                r["email"]?.stringValue == never ? nil : ImportDetail(index: k, outcome: .inserted, userID: "u-\(k)")
            }
            let crash = APIErrorBody(name: "InternalError", reason: "UnexpectedError", message: "task crashed", code: 500)
            let job = ImportJob(id: id, createdAt: "2026-12-04T00:00:00Z", status: .completed, details: details,
                                error: details.count < records.count ? crash : nil)
            jobs.withLock { $0[id] = job }
            return ImportJob(id: id, createdAt: job.createdAt, status: .pending)
        }

        func get(id: String) async throws(ServiceError) -> ImportJob {
            guard let job = jobs.withLock({ $0[id] }) else { throw .notFound(id) }
            return job
        }
    }

    func testARecordTheServerNeverReportsFailsWithNoResultAfterItsRecoveries() async throws {
        let source = sandbox.writeSource(count: 30)
        let journal = try sandbox.journal()
        let (run, workspace) = try sandbox.startRun(source, journal: journal, maxRecords: 10)
        let service = ForgetfulService(never: SandboxHarness.email(13))
        let runner = MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace), service: service,
                                     options: SandboxHarness.fastOptions())
        let counts = try await runner.run()
        XCTAssertEqual(counts.inserted, 29)
        XCTAssertEqual(counts.failed, 1)
        let latest = try journal.latestResults(run: run.id)
        XCTAssertEqual(latest[13]?.outcome, .failed)
        XCTAssertEqual(latest[13]?.errorReason, "NoResult")
        XCTAssertTrue(latest[13]?.errorMessage?.contains("retry --failed") ?? false)
        let recoveries = try journal.batches(run: run.id).filter { $0.purpose == .recovery }
        XCTAssertEqual(recoveries.count, MigrationRunner.Options().maxRecoveries, "sent again a bounded number of times")
        XCTAssertEqual(service.posts.load(ordering: .relaxed), 3 + recoveries.count)
        XCTAssertEqual(try journal.recordsWithoutOutcome(run: run.id), [])
        XCTAssertEqual(try journal.run(id: run.id)?.state, .finished)
    }
}
