import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore
import MigrationEngine
import Synchronization
import XCTest

/// What an in-process engine test needs on top of ``SandboxHarness``: the real import client
/// stack (its tokens minted at the sandbox clock, so the tests hold whichever clock the sandbox
/// checks tokens against), source files and journals.
extension SandboxHarness {
    /// The real client stack: RS256 tokens from the sandbox key, libcurl over loopback.
    public func service() throws -> ClientImportService {
        let signer = try AdminTokenSigner(keyFile: server.keyFilePath, keyID: "test-kid", projectID: "myapp")
        let now = self.now
        let client = ImportClient(endpoint: server.endpoint, projectID: "myapp", tokens: TokenProvider(minter: signer, clock: now),
                                  transport: CurlTransport(userAgent: "engine-tests"), userAgent: "engine-tests", timeout: 15, clock: now)
        return ClientImportService(client: client)
    }

    /// Writes an NDJSON source of `count` users `user00000@example.com`…; `extra(i)` adds members.
    public func writeSource(_ name: String = "users.ndjson", count: Int, extra: (Int) -> String = { _ in "" }) -> String {
        let path = dir + "/" + name
        var text = ""
        for i in 0..<count {
            let more = extra(i)
            text += #"{"email":"\#(Self.email(i))"\#(more.isEmpty ? "" : "," + more)}"# + "\n"
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }
    /// Opens and validates a source like `import` does.
    public func workspace(_ path: String) throws -> SourceWorkspace {
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email, upsert: false))
        workspace.validate()
        return workspace
    }

    public func journal(_ name: String = "journal.sqlite") throws -> Journal { try Journal(path: dir + "/" + name) }

    /// A new run of `source` in `journal`, batches of at most `maxRecords`.
    public func startRun(_ source: String, journal: Journal, maxRecords: Int = 50) throws -> (RunRecord, SourceWorkspace) {
        let workspace = try workspace(source)
        let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: server.endpoint, projectID: "myapp",
                                              mappingPath: nil, editsPath: dir + "/edits-" + UUID().uuidString + ".json",
                                              maxRecords: maxRecords)
        return (run, workspace)
    }

    /// A runner with fast polls and back-offs.
    public func runner(_ run: RunRecord, _ workspace: SourceWorkspace, journal: Journal, events: EventLog? = nil,
                concurrency: Int = 2) throws -> MigrationRunner {
        MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace), service: try service(),
                        options: Self.fastOptions(concurrency: concurrency), emit: { event in events?.append(event) })
    }

    public static func fastOptions(concurrency: Int = 2) -> MigrationRunner.Options {
        var o = MigrationRunner.Options()
        o.concurrency = concurrency
        o.firstPoll = 0.05
        o.maxPoll = 0.3
        o.backoffBase = 0.05
        o.backoffCap = 0.5
        o.maxAttempts = 12
        return o
    }
}

/// Collects engine events from any task.
public final class EventLog: Sendable {
    public init() {}
    private let events = Mutex<[EngineEvent]>([])
    public func append(_ e: EngineEvent) { events.withLock { $0.append(e) } }
    public var all: [EngineEvent] { events.withLock { $0 } }

    public var recoveries: Int {
        all.reduce(0) { n, e in if case .recoveryPlanned = e { return n + 1 } else { return n } }
    }
    public var retries: [String] {
        all.compactMap { e in if case .retrying(_, _, let reason) = e { return reason } else { return nil } }
    }
}

/// Assertions shared by the engine tests.
public enum RunChecks {
    /// Why `runner` stopped, or nil when it finished.
    public static func stop(of runner: MigrationRunner) async -> RunStop? {
        do throws(RunStop) {
            _ = try await runner.run()
            return nil
        } catch {
            return error
        }
    }

    /// Every record 0..<count has exactly one latest result, inserted or skipped, with a user_id
    /// that is the sandbox user of its email; the sandbox holds exactly one user per email.
    public static func assertComplete(journal: Journal, runID: String, count: Int, users: [String: String],
                               file: StaticString = #filePath, line: UInt = #line) throws -> [Int: RecordResult] {
        let latest = try journal.latestResults(run: runID)
        XCTAssertEqual(latest.count, count, "records with a result", file: file, line: line)
        XCTAssertEqual(users.count, count, "sandbox users", file: file, line: line)
        for i in 0..<count {
            guard let r = latest[i] else { XCTFail("record \(i) has no result", file: file, line: line); continue }
            XCTAssertTrue(r.outcome == .inserted || r.outcome == .skipped,
                          "record \(i): \(r.outcome) \(r.errorReason ?? "") \(r.errorMessage ?? "")", file: file, line: line)
            XCTAssertNotNil(r.userID, "record \(i) has no user_id", file: file, line: line)
            XCTAssertEqual(r.userID, users[SandboxHarness.email(i)], "record \(i) user_id", file: file, line: line)
        }
        XCTAssertEqual(try journal.run(id: runID)?.state, .finished, file: file, line: line)
        return latest
    }

    /// How many times each record has an `inserted` result across all its attempts (never more than one).
    public static func assertInsertedAtMostOnce(journal: Journal, runID: String, count: Int,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        for i in 0..<count {
            let inserted = try journal.history(run: runID, record: i).filter { $0.outcome == .inserted }.count
            XCTAssertLessThanOrEqual(inserted, 1, "record \(i) inserted \(inserted) times", file: file, line: line)
        }
    }
}
