import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import MigrationEngine
import Synchronization
import TestSupport
import XCTest

/// RunVerifier and RunRollback against a real sandbox over loopback, with a real SQLite journal:
/// concurrent lookups under rate limiting, the custom attributes the project defines, and
/// rollbacks that journal the users they leave alone.
final class VerifySandboxTests: SandboxTestCase {
    /// The real client stack, counting the Admin API requests in flight.
    func connection(_ transport: CountingTransport) throws -> AdminAPIConnection {
        let signer = try AdminTokenSigner(keyFile: sandbox.server.keyFilePath, keyID: "test-kid", projectID: "myapp")
        return AdminAPIConnection(endpoint: sandbox.endpoint, tokens: TokenProvider(minter: signer, clock: sandbox.now),
                                  transport: transport, userAgent: "verify-tests", timeout: 15, clock: sandbox.now)
    }

    /// Imports `source` (NDJSON) as a run, identifier `identifier`.
    func importRun(_ source: String, journal: Journal, identifier: ImportIdentifier = .email, upsert: Bool = false) async throws -> (RunRecord, SourceWorkspace) {
        let index = try RecordIndex.open(path: source)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: identifier, upsert: upsert))
        workspace.validate()
        let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: sandbox.endpoint, projectID: "myapp",
                                              mappingPath: nil, editsPath: sandbox.dir + "/edits-" + UUID().uuidString + ".json")
        _ = try await sandbox.runner(run, workspace, journal: journal).run()
        return (run, workspace)
    }

    func write(_ name: String, _ lines: [String]) -> String {
        let path = sandbox.dir + "/" + name
        _ = FileManager.default.createFile(atPath: path, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        return path
    }

    func verify(_ run: RunRecord, _ workspace: SourceWorkspace, _ journal: Journal, _ connection: AdminAPIConnection,
                export: Bool = false, configure: (RunVerifier) -> Void = { _ in }) async throws -> (VerifySummary, [VerifyProblem], [VerifyEvent]) {
        let problems = Collected<VerifyProblem>()
        let events = Collected<VerifyEvent>()
        let verifier = RunVerifier(run: run, workspace: workspace, graphQL: AdminGraphQLClient(connection: connection),
                                   export: UserExportClient(connection: connection), onProblem: { problems.add($0) }, onEvent: { events.add($0) })
        verifier.alwaysExport = export
        configure(verifier)
        let summary = try await verifier.verify(journal: journal)
        return (summary, problems.all, events.all)
    }

    func testSmallRunsLookUpSeveralUsersAtATimeAndWaitOutRateLimiting() async throws {
        let journal = try sandbox.journal()
        let (run, workspace) = try await importRun(sandbox.writeSource(count: 60) { #""name":"User \#($0)""# }, journal: journal)
        try await sandbox.setFaults(#"{"seed": 7, "http": [{"kind": "latency", "latency_ms": 20, "share": 1, "methods": ["POST"]}, {"kind": "rate_limit", "retry_after_seconds": 0, "share": 0.3, "methods": ["POST"]}]}"#)
        let transport = CountingTransport(CurlTransport(userAgent: "verify-tests"))
        let (summary, problems, events) = try await verify(run, workspace, journal, try connection(transport)) { v in
            v.lookupConcurrency = 6
            v.retry = LookupRetry(maxAttempts: 30, backoffBase: 0.01, backoffCap: 0.05)
        }
        XCTAssertEqual(summary.method, "lookups")
        XCTAssertEqual(summary.checked, 60)
        XCTAssertEqual(summary.verified, 60, "\(problems)")
        XCTAssertGreaterThan(transport.rateLimited, 0, "the fault answered 429 to some lookups")
        XCTAssertTrue(events.contains { if case .notice(let t) = $0 { return t.contains("HTTP 429") } else { return false } })
        XCTAssertGreaterThan(transport.maxInFlight, 1, "lookups overlap")
        XCTAssertLessThanOrEqual(transport.maxInFlight, 6, "at most lookupConcurrency in flight")

        // One at a time when asked: the bound is the verifier's, not the transport's.
        try await sandbox.setFaults("{}")
        let serial = CountingTransport(CurlTransport(userAgent: "verify-tests"))
        let (again, _, _) = try await verify(run, workspace, journal, try connection(serial)) { $0.lookupConcurrency = 1 }
        XCTAssertEqual(again.verified, 60)
        XCTAssertEqual(serial.maxInFlight, 1)
    }

    func testProblemsOfConcurrentLookupsComeInRecordOrder() async throws {
        let journal = try sandbox.journal()
        let (run, workspace) = try await importRun(sandbox.writeSource(count: 30) { #""name":"User \#($0)""# }, journal: journal)
        let renamed = write("rename.ndjson", [3, 11, 12, 25].map { #"{"email":"\#(SandboxHarness.email($0))","name":"Renamed"}"# })
        _ = try await importRun(renamed, journal: try sandbox.journal("other.sqlite"), upsert: true)
        try await sandbox.setFaults(#"{"seed": 3, "http": [{"kind": "latency", "latency_ms": 15, "share": 0.5, "methods": ["POST"]}]}"#)
        let (summary, problems, _) = try await verify(run, workspace, journal, try connection(CountingTransport(CurlTransport(userAgent: "t"))))
        XCTAssertEqual(summary.mismatched, 4)
        XCTAssertEqual(problems.map(\.record), [3, 11, 12, 25])
        XCTAssertEqual(problems.first?.differences, [FieldDifference(field: "name", sent: #""User 3""#, found: #""Renamed""#)])
    }

    /// The sandbox's download URL expires 60 s after the GET that minted it (export spec §4.2):
    /// verify asks for a fresh one and reads the export in full.
    func testAnExpiredDownloadURLIsReplacedByAFreshOne() async throws {
        let journal = try sandbox.journal()
        let (run, workspace) = try await importRun(sandbox.writeSource(count: 12) { #""name":"User \#($0)""# }, journal: journal)
        let harness = sandbox!
        let transport = CountingTransport(CurlTransport(userAgent: "verify-tests")) { try await harness.advanceClock(61) }
        let (summary, problems, events) = try await verify(run, workspace, journal, try connection(transport), export: true)
        XCTAssertEqual(summary.method, "export")
        XCTAssertEqual(summary.verified, 12, "\(problems)")
        XCTAssertEqual(summary.exportMissed, 0, "read from the second URL, not looked up")
        XCTAssertEqual(transport.streams, 2)
        XCTAssertTrue(events.contains { if case .notice(let t) = $0 { return t.contains("asking for a fresh one") } else { return false } }, "\(events)")
    }

    /// The project defines `plan` and `tier` but not `member_id`: verify compares what it defines,
    /// learnt from its users, and names what it could not check.
    func testCustomAttributesAreComparedAsTheProjectDefinesThem() async throws {
        try await sandbox.control("PUT", "/_sandbox/project", #"{"custom_attributes": [{"name": "plan", "type": "string"}, {"name": "tier", "type": "enum", "enum": ["gold", "silver"]}]}"#)
        let journal = try sandbox.journal()
        let source = sandbox.writeSource(count: 8) { #""custom_attributes":{"plan":"pro","member_id":"M-\#($0)","tier":"gold"}"# }
        let (run, workspace) = try await importRun(source, journal: journal)
        let transport = CountingTransport(CurlTransport(userAgent: "verify-tests"))
        for export in [false, true] {
            let (summary, problems, _) = try await verify(run, workspace, journal, try connection(transport), export: export)
            XCTAssertEqual(summary.verified, 8, "\(export): \(problems)")
            XCTAssertEqual(summary.uncheckable, ["custom_attributes.member_id": 8], "\(export)")
            XCTAssertTrue(summary.uncheckableReasons["custom_attributes.member_id"]?.contains("does not define it") == true)
        }
        // Record 0's user loses `plan` (checked before any user is seen holding it), record 5's
        // `tier` changes: both are mismatches, by lookups and by export.
        let changed = write("change.ndjson", [#"{"email":"\#(SandboxHarness.email(0))","custom_attributes":{"plan":null}}"#,
                                              #"{"email":"\#(SandboxHarness.email(5))","custom_attributes":{"tier":"silver"}}"#])
        _ = try await importRun(changed, journal: try sandbox.journal("other.sqlite"), upsert: true)
        for export in [false, true] {
            let (summary, problems, _) = try await verify(run, workspace, journal, try connection(transport), export: export)
            XCTAssertEqual(summary.mismatched, 2, "\(export): \(problems)")
            XCTAssertEqual(summary.verified, 6, "\(export)")
            let byRecord = Dictionary(problems.map { ($0.record, $0.differences) }, uniquingKeysWith: +)
            XCTAssertEqual(byRecord[0], [FieldDifference(field: "custom_attributes.plan", sent: #""pro""#, found: nil)], "\(export)")
            XCTAssertEqual(byRecord[5], [FieldDifference(field: "custom_attributes.tier", sent: #""gold""#, found: #""silver""#)], "\(export)")
            XCTAssertEqual(summary.uncheckable, ["custom_attributes.member_id": 8])
        }
    }

    /// A record the server failed with DuplicatedIdentity (its login ID, sent in another casing,
    /// belongs to a user created before) is not "exists although the run failed": by lookups and by export.
    func testARecordFailedWithDuplicatedIdentityIsNotReportedAsExistingAlthoughFailed() async throws {
        _ = try await importRun(write("before.ndjson", [#"{"email":"\#(SandboxHarness.email(9))"}"#]), journal: try sandbox.journal("before.sqlite"))
        let journal = try sandbox.journal()
        let source = write("run.ndjson", (0..<3).map { #"{"email":"\#(SandboxHarness.email($0))"}"# }
                            + [#"{"email":"\#(SandboxHarness.email(9).uppercased())"}"#])
        let (run, workspace) = try await importRun(source, journal: journal)
        var failed: [Int] = []
        try journal.forEachLatestDuplicateFailure(run: run.id) { failed.append($0) }
        XCTAssertEqual(failed, [3], "the server failed record 3 with DuplicatedIdentity")
        let transport = CountingTransport(CurlTransport(userAgent: "verify-tests"))
        for export in [false, true] {
            let (summary, problems, _) = try await verify(run, workspace, journal, try connection(transport), export: export)
            XCTAssertEqual(summary.verified, 3, "\(export): \(problems)")
            XCTAssertEqual(summary.existsAlthoughFailed, 0, "\(export): \(problems)")
            XCTAssertEqual(problems, [], "\(export)")
        }
    }

    func testRollbackJournalsTheUsersItLeavesAloneAndASecondRollbackDoesNothing() async throws {
        let journal = try sandbox.journal()
        let source = write("users.ndjson", (0..<7).map { #"{"email":"\#(SandboxHarness.email($0))","preferred_username":"user\#($0)"}"# })
        let (run, workspace) = try await importRun(source, journal: journal)
        // Another journal's upsert by username changes user 2's email: it no longer has the login ID it was created with.
        let moved = write("move.ndjson", [#"{"preferred_username":"user2","email":"moved2@example.com"}"#])
        _ = try await importRun(moved, journal: try sandbox.journal("other.sqlite"), identifier: .preferredUsername, upsert: true)
        let transport = CountingTransport(CurlTransport(userAgent: "verify-tests"))
        let graphQL = AdminGraphQLClient(connection: try connection(transport))

        let first = try await RunRollback(run: run, workspace: workspace, journal: journal, graphQL: graphQL).execute()
        XCTAssertEqual(first.deleted, 6)
        XCTAssertEqual(first.leftAlone.map(\.record), [2])
        XCTAssertTrue(first.leftAlone.first?.reason.contains("moved2@example.com") == true, "\(first.leftAlone)")
        let remaining = try await sandbox.users().map(\.email)
        XCTAssertEqual(remaining, ["moved2@example.com"])
        let journaled = try RunRollback(run: run, workspace: workspace, journal: journal, graphQL: graphQL).candidates()
        XCTAssertEqual(journaled.filter { $0.disposition == .leftAlone }.map(\.record), [2])
        XCTAssertEqual(journaled.first { $0.record == 2 }?.reason, first.leftAlone.first?.reason)
        XCTAssertTrue(journaled.allSatisfy { $0.disposition != nil }, "every user is settled in the journal")

        // A second rollback (also in a fresh process: a journal reopened) sends nothing and lists the user left alone.
        let requests = transport.requests
        let reopened = try Journal(path: journal.path)
        let second = try await RunRollback(run: run, workspace: workspace, journal: reopened, graphQL: graphQL).execute()
        XCTAssertEqual(second.deleted, 0)
        XCTAssertEqual(second.leftAlone, [])
        XCTAssertEqual(second.leftAloneEarlier.map(\.record), [2])
        XCTAssertEqual(second.settledEarlier, 7)
        XCTAssertEqual(transport.requests, requests, "a second rollback sends no request")
        let still = try await sandbox.users().map(\.email)
        XCTAssertEqual(still, ["moved2@example.com"])
    }
}

/// An HTTPTransport that counts requests, the most in flight at once, and 429 answers.
final class CountingTransport: HTTPTransport {
    private let inner: any HTTPTransport
    private let state = Mutex((inFlight: 0, maxInFlight: 0, requests: 0, rateLimited: 0, streams: 0))
    /// Runs before the first download (e.g. to let its URL expire).
    private let beforeFirstStream: (@Sendable () async throws -> Void)?

    init(_ inner: any HTTPTransport, beforeFirstStream: (@Sendable () async throws -> Void)? = nil) {
        self.inner = inner
        self.beforeFirstStream = beforeFirstStream
    }

    var streams: Int { state.withLock { $0.streams } }

    var maxInFlight: Int { state.withLock { $0.maxInFlight } }
    var requests: Int { state.withLock { $0.requests } }
    var rateLimited: Int { state.withLock { $0.rateLimited } }

    func send(_ request: HTTPRequest) async throws(TransportError) -> HTTPResponse {
        state.withLock { s in
            s.inFlight += 1
            s.requests += 1
            s.maxInFlight = max(s.maxInFlight, s.inFlight)
        }
        defer { state.withLock { $0.inFlight -= 1 } }
        let response = try await inner.send(request)
        if response.status == 429 { state.withLock { $0.rateLimited += 1 } }
        return response
    }

    func stream(_ request: HTTPRequest, into sink: any HTTPBodySink) async throws(TransportError) -> HTTPResponse {
        let first = state.withLock { s in
            s.requests += 1
            s.streams += 1
            return s.streams == 1
        }
        if first, let beforeFirstStream { try? await beforeFirstStream() }
        return try await inner.stream(request, into: sink)
    }
}
