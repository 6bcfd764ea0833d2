import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// RunVerifier and RunRollback over a journal and an in-memory project (FakeAdminProject).
final class VerifyRollbackTests: XCTestCase {
    struct Fixture {
        var run: RunRecord
        var workspace: SourceWorkspace
        var journal: Journal
        var project: FakeAdminProject
        var connection: AdminAPIConnection
    }

    /// A run of `lines` (NDJSON records) whose records ended with `outcomes` (user ids `u0`, `u1`…).
    func fixture(_ lines: [String], _ outcomes: [Outcome]) throws -> Fixture {
        let dir = makeTempDirectory(prefix: "verify").path
        let source = dir + "/users.ndjson"
        _ = FileManager.default.createFile(atPath: source, contents: Data((lines.joined(separator: "\n") + "\n").utf8))
        let index = try RecordIndex.open(path: source)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email, upsert: false))
        workspace.validate()
        let journal = try Journal(path: dir + "/journal.sqlite")
        let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: "https://myapp.test", projectID: "myapp",
                                              mappingPath: nil, editsPath: dir + "/edits.json")
        let batch = try XCTUnwrap(journal.batches(run: run.id).first)
        let results = batch.records.map { n in
            RecordResult(record: n, batchID: batch.id, outcome: outcomes[n], userID: outcomes[n] == .failed ? nil : "u\(n)", warnings: [],
                         errorReason: outcomes[n] == .failed ? "DuplicatedIdentity" : nil, errorMessage: nil, errorJSON: nil, possiblyCreatedAt: nil)
        }
        try journal.complete(batch.id, results: results, runID: run.id)
        let project = FakeAdminProject()
        let connection = AdminAPIConnection(endpoint: "https://myapp.test", tokens: TokenProvider(minter: StaticMinter()),
                                            transport: project, userAgent: "tests")
        return Fixture(run: run, workspace: workspace, journal: journal, project: project, connection: connection)
    }

    let lines = [#"{"email":"ada@example.com","name":"Ada","password":{"type":"bcrypt","password_hash":"$2a$10$abcdefghijklmnopqrstuuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ01"}}"#,
                 #"{"email":"bob@example.com","name":"Bob"}"#, #"{"email":"cy@example.com","name":"Cy"}"#, #"{"email":"dee@example.com"}"#]

    func standardProject(_ f: Fixture) {
        f.project.add(id: "u0", email: "ada@example.com", name: "Ada")
        f.project.add(id: "u1", email: "bob@example.com", name: "Bob")
        f.project.add(id: "u2", email: "cy@example.com", name: "Someone else")  // skipped: only the identifier counts
        f.project.add(id: "u9", email: "dee@example.com")  // existed before; the run's record failed
    }

    func verify(_ f: Fixture, export: Bool = false) async throws -> (VerifySummary, [VerifyProblem], [VerifyEvent]) {
        let problems = Collected<VerifyProblem>()
        let events = Collected<VerifyEvent>()
        let verifier = RunVerifier(run: f.run, workspace: f.workspace, graphQL: AdminGraphQLClient(connection: f.connection),
                                   export: UserExportClient(connection: f.connection), onProblem: { problems.add($0) }, onEvent: { events.add($0) })
        verifier.alwaysExport = export
        let summary = try await verifier.verify(journal: f.journal)
        return (summary, problems.all, events.all)
    }

    func testACleanRunVerifiesByLookupsAndByExport() async throws {
        for export in [false, true] {
            let f = try fixture(lines, [.inserted, .updated, .skipped, .failed])
            standardProject(f)
            let (summary, problems, _) = try await verify(f, export: export)
            XCTAssertEqual(summary.checked, 3)
            XCTAssertEqual(summary.verified, 3, "\(problems)")
            XCTAssertTrue(summary.allVerified)
            XCTAssertEqual(summary.method, export ? "export" : "lookups")
            XCTAssertEqual(summary.uncheckable, ["password": 1])
            XCTAssertEqual(problems.map(\.kind), [.existsAlthoughFailed])
            XCTAssertEqual(problems.first?.record, 3)
            XCTAssertEqual(problems.first?.userID, "u9")
            XCTAssertEqual(f.project.exportsCreated, export ? 1 : 0)
        }
    }

    func testARenamedUserIsAMismatchNamingTheFieldAndAMissingUserIsMissing() async throws {
        let f = try fixture(lines, [.inserted, .updated, .skipped, .failed])
        standardProject(f)
        f.project.rename(id: "u1", name: "Robert")
        _ = try await f.project.send(HTTPRequest(method: "POST", url: "https://myapp.test/_api/admin/graphql",
            body: Array(#"{"query":"mutation($u0:ID!){d0:deleteUser(input:{userID:$u0}){deletedUserID}}","variables":{"u0":"\#(AdminGraphQLClient.nodeID(userID: "u0"))"}}"#.utf8)))
        let (summary, problems, _) = try await verify(f)
        XCTAssertEqual(summary.missing, 1)
        XCTAssertEqual(summary.mismatched, 1)
        XCTAssertFalse(summary.allVerified)
        let mismatch = try XCTUnwrap(problems.first { $0.kind == .mismatched })
        XCTAssertEqual(mismatch.record, 1)
        XCTAssertEqual(mismatch.differences, [FieldDifference(field: "name", sent: #""Bob""#, found: #""Robert""#)])
        XCTAssertEqual(problems.first { $0.kind == .missing }?.record, 0)
    }

    func testTheExportsPageEdgeSkipsAreLookedUpAndAnExpiredURLIsRenewed() async throws {
        let f = try fixture(lines, [.inserted, .updated, .skipped, .failed])
        standardProject(f)
        f.project.exportSkips = ["u1"]
        f.project.expiredDownloads = 1
        let (summary, problems, events) = try await verify(f, export: true)
        XCTAssertEqual(summary.exportMissed, 1)
        XCTAssertEqual(summary.verified, 3, "\(problems)")
        XCTAssertTrue(events.contains { if case .notice(let t) = $0 { return t.contains("fresh one") } else { return false } })
    }

    func testADisabledExportFallsBackToLookupsWithAnEstimate() async throws {
        let f = try fixture(lines, [.inserted, .updated, .skipped, .failed])
        standardProject(f)
        f.project.exportDisabled = true
        let (summary, _, events) = try await verify(f, export: true)
        XCTAssertEqual(summary.method, "lookups")
        XCTAssertEqual(summary.verified, 3)
        XCTAssertTrue(events.contains { if case .notice(let t) = $0 { return t.contains("UserExportDisabled") } else { return false } })
    }

    func testRollbackDeletesOnlyInsertedUsersFiveAtATimeAndTwiceIsANoOp() async throws {
        let emails = (0..<10).map { #"{"email":"user\#($0)@example.com"}"# }
        var outcomes = [Outcome](repeating: .inserted, count: 10)
        outcomes[8] = .skipped
        outcomes[9] = .updated
        let f = try fixture(emails, outcomes)
        for k in 0..<10 { f.project.add(id: "u\(k)", email: "user\(k)@example.com") }
        f.project.add(id: "other", email: "before@example.com")
        // u6 was renamed since: its login ID is not the one it was created with.
        f.project.changeEmail(id: "u6", to: "renamed6@example.com")
        let graphQL = AdminGraphQLClient(connection: f.connection)
        // Simulate a rollback killed after the server deleted u0 but before the journal heard of it.
        _ = try await graphQL.deleteUsers(["u0"])
        let summary = try await RunRollback(run: f.run, workspace: f.workspace, journal: f.journal, graphQL: graphQL).execute()
        XCTAssertEqual(summary.alreadyGone, 1)
        XCTAssertEqual(summary.deleted, 6)
        XCTAssertEqual(Array(f.project.mutationRequests.dropFirst()), [5, 1])
        XCTAssertEqual(Set(f.project.userIDs), ["u6", "u8", "u9", "other"])
        XCTAssertEqual(summary.leftAlone.map(\.userID), ["u6"])
        let again = try await RunRollback(run: f.run, workspace: f.workspace, journal: f.journal, graphQL: graphQL).execute()
        XCTAssertEqual(again.deleted, 0)
        XCTAssertEqual(again.settledEarlier, 8, "the user left alone is settled in the journal too")
        XCTAssertEqual(again.leftAlone, [], "nothing new is left alone")
        XCTAssertEqual(again.leftAloneEarlier.map(\.userID), ["u6"])
        XCTAssertEqual(f.project.mutationRequests.count, 3, "a second rollback deletes nothing")
    }

    func testRollbackLeavesAloneAUserWithoutItsLoginIDAndRetriesARefusedGroupOneByOne() async throws {
        let emails = (0..<3).map { #"{"email":"user\#($0)@example.com"}"# }
        let f = try fixture(emails, [.inserted, .inserted, .inserted])
        f.project.add(id: "u0", email: "changed@example.com")
        f.project.add(id: "u1", email: "user1@example.com")
        f.project.add(id: "u2", email: "user2@example.com")
        f.project.refuseDeletion = ["u2"]
        let summary = try await RunRollback(run: f.run, workspace: f.workspace, journal: f.journal,
                                            graphQL: AdminGraphQLClient(connection: f.connection)).execute()
        XCTAssertEqual(summary.leftAlone.map(\.userID), ["u0"])
        XCTAssertEqual(summary.deleted, 1)
        XCTAssertEqual(summary.failed.map(\.userID), ["u2"])
        XCTAssertEqual(f.project.mutationRequests, [2, 1, 1], "the refused pair is retried one by one")
        XCTAssertEqual(Set(f.project.userIDs), ["u0", "u2"])
    }

    /// UpsertPreview: the skipped users' current values against the records.
    func testCountsChangingUsersPerFieldWithAnExampleAndWhatUpsertIgnores() async throws {
        let f = try fixture(lines, [.skipped, .skipped, .skipped, .failed])
        f.project.add(id: "u0", email: "ada@example.com", name: "Ada Old")
        f.project.add(id: "u1", email: "bob@example.com", name: "Bob")
        f.project.add(id: "u2", email: "cy@example.com", name: "Cyril")
        let preview = try await UpsertPreview.compute(run: f.run, records: [0, 1, 2], workspace: f.workspace, journal: f.journal,
                                                      graphQL: AdminGraphQLClient(connection: f.connection))
        XCTAssertEqual(preview.changing, 2)
        XCTAssertEqual(preview.unchanged, 1)
        XCTAssertEqual(preview.changes, [UpsertPreview.FieldChange(field: "name", users: 2, exampleRecord: 0, old: #""Ada Old""#, new: #""Ada""#)])
        XCTAssertEqual(preview.ignored, ["password": 1])
        XCTAssertEqual(preview.lines.first, "2 users will change, 1 unchanged")
        XCTAssertFalse(preview.lines.joined().contains("$2a$"), "no secret in the preview")
    }

    /// Custom attributes are compared as the project defines them, learnt from its users: one a
    /// user holds is defined (so a user lacking it changes), one no user holds is said undecided.
    func testUpsertPreviewLearnsTheProjectsCustomAttributesFromItsUsers() async throws {
        let f = try fixture([#"{"email":"ada@example.com","custom_attributes":{"tier":"gold"}}"#,
                             #"{"email":"bob@example.com","custom_attributes":{"tier":"silver","nickname":"b"}}"#,
                             #"{"email":"cy@example.com","custom_attributes":{"nickname":"c"}}"#], [.skipped, .skipped, .skipped])
        f.project.add(id: "u0", email: "ada@example.com")
        f.project.add(id: "u1", email: "bob@example.com", extra: [JSONMember("custom_attributes", .obj(["tier": .string("bronze")]))])
        f.project.add(id: "u2", email: "cy@example.com")
        let preview = try await UpsertPreview.compute(run: f.run, records: [0, 1, 2], workspace: f.workspace, journal: f.journal,
                                                      graphQL: AdminGraphQLClient(connection: f.connection))
        XCTAssertEqual(preview.changes, [UpsertPreview.FieldChange(field: "custom_attributes.tier", users: 2, exampleRecord: 1,
                                                                   old: #""bronze""#, new: #""silver""#)],
                       "record 0's user gains tier once bob's user shows the project defines it")
        XCTAssertEqual(preview.changing, 2)
        XCTAssertEqual(preview.unchanged, 1, "cy's user: nothing but an attribute no user holds")
        XCTAssertEqual(preview.undecidedAttributes, ["nickname": 2])
        XCTAssertTrue(preview.lines.contains { $0.contains("not known whether the project defines") && $0.contains("custom_attributes.nickname (2)") },
                      "\(preview.lines)")
    }
}

struct StaticMinter: AdminTokenMinting {
    func mint(at now: Date) throws(TokenSigningError) -> MintedToken {
        let t = Int(now.timeIntervalSince1970)
        return MintedToken(value: "eyJ.test.token", issuedAt: t, expiresAt: t + 300)
    }
}

final class Collected<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [T] = []
    func add(_ item: T) { lock.withLock { items.append(item) } }
    var all: [T] { lock.withLock { items } }
}
