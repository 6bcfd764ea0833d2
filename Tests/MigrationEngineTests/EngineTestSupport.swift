import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore
import MigrationEngine
import Sandbox
import Synchronization
import XCTest

/// A real sandbox on a loopback port plus everything an in-process engine test needs:
/// the control API, the real import client stack (its tokens minted at the sandbox clock, so the
/// tests hold whichever clock the sandbox checks tokens against), source files and journals.
final class EngineSandbox: Sendable {
    let server: SandboxServer
    /// Temporary directory of this test (sandbox key, sources, journals).
    let dir: String
    private let transport = CurlTransport(userAgent: "engine-tests")

    private init(server: SandboxServer, dir: String) {
        self.server = server
        self.dir = dir
    }

    static func start(recordLatency: Int = 0) async throws -> EngineSandbox {
        let dir = NSTemporaryDirectory() + "engine-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let server = try await SandboxServer.start(port: 0, dir: dir + "/sandbox", recordLatency: recordLatency)
        return EngineSandbox(server: server, dir: dir)
    }

    func shutdown() async {
        await server.shutdown()
        transport.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: - Control API

    /// Calls `/_sandbox/…` and returns the JSON answer; fails the test on a non-2xx status.
    @discardableResult
    func control(_ method: String, _ path: String, _ body: String? = nil,
                 file: StaticString = #filePath, line: UInt = #line) async throws -> JSONValue {
        let request = HTTPRequest(method: method, url: server.endpoint + path,
                                  headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
                                  body: body.map { Array($0.utf8) }, timeout: 30)
        let response = try await transport.send(request)
        let text = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue((200..<300).contains(response.status), "\(method) \(path): \(response.status) \(text)", file: file, line: line)
        return try JSONParser.parse(response.body)
    }

    func setFaults(_ json: String) async throws { try await control("PUT", "/_sandbox/faults", json) }

    /// Seconds the sandbox clock was advanced; tokens are minted at wall clock + this offset.
    private let clockOffset = Mutex<Double>(0)

    /// Advances the sandbox clock and the clock the test's tokens are minted with.
    func advanceClock(_ seconds: Double) async throws {
        try await control("POST", "/_sandbox/clock", #"{"advance_seconds": \#(seconds)}"#)
        clockOffset.withLock { $0 += seconds }
    }

    func setWorkerPaused(_ paused: Bool) async throws {
        try await control("PUT", "/_sandbox/worker", #"{"paused": \#(paused)}"#)
    }

    /// Every sandbox user as (email login ID, user id), in store order (every page of the listing).
    func users() async throws -> [(email: String, id: String)] {
        var out: [(email: String, id: String)] = []
        var after: String?
        repeat {
            let doc = try await control("GET", "/_sandbox/users?limit=10000" + (after.map { "&after=" + $0 } ?? ""))
            for user in doc["users"]?.arrayValue ?? [] {
                let email = (user["identities"]?.arrayValue ?? [])
                    .first { $0["key"]?.stringValue == "email" }?["value"]?.stringValue ?? ""
                out.append((email, user["id"]?.stringValue ?? ""))
            }
            after = doc["next"]?.stringValue
        } while after != nil
        return out
    }

    /// email → user id; fails the test when an email appears on two users.
    func userIDsByEmail(file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        var out: [String: String] = [:]
        for u in try await users() {
            XCTAssertNil(out[u.email], "two sandbox users with email \(u.email)", file: file, line: line)
            out[u.email] = u.id
        }
        return out
    }

    // MARK: - Engine pieces

    /// The real client stack: RS256 tokens from the sandbox key, libcurl over loopback.
    func service() throws -> ClientImportService {
        let signer = try AdminTokenSigner(keyFile: server.keyFilePath, keyID: "test-kid", projectID: "myapp")
        let now: @Sendable () -> Date = { [self] in Date().addingTimeInterval(clockOffset.withLock { $0 }) }
        let client = ImportClient(endpoint: server.endpoint, projectID: "myapp", tokens: TokenProvider(minter: signer, clock: now),
                                  transport: CurlTransport(userAgent: "engine-tests"), userAgent: "engine-tests", timeout: 15, clock: now)
        return ClientImportService(client: client)
    }

    /// Writes an NDJSON source of `count` users `user00000@example.com`…; `extra(i)` adds members.
    func writeSource(_ name: String = "users.ndjson", count: Int, extra: (Int) -> String = { _ in "" }) -> String {
        let path = dir + "/" + name
        var text = ""
        for i in 0..<count {
            let more = extra(i)
            text += #"{"email":"\#(Self.email(i))"\#(more.isEmpty ? "" : "," + more)}"# + "\n"
        }
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    static func email(_ i: Int) -> String { "user" + String(format: "%05d", i) + "@example.com" }

    /// Opens and validates a source like `import` does.
    func workspace(_ path: String) throws -> SourceWorkspace {
        let index = try RecordIndex.open(path: path)
        try index.waitUntilComplete()
        let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email, upsert: false))
        workspace.validate()
        return workspace
    }

    func journal(_ name: String = "journal.sqlite") throws -> Journal { try Journal(path: dir + "/" + name) }

    /// A new run of `source` in `journal`, batches of at most `maxRecords`.
    func startRun(_ source: String, journal: Journal, maxRecords: Int = 50) throws -> (RunRecord, SourceWorkspace) {
        let workspace = try workspace(source)
        let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: server.endpoint, projectID: "myapp",
                                              mappingPath: nil, editsPath: dir + "/edits-" + UUID().uuidString + ".json",
                                              maxRecords: maxRecords)
        return (run, workspace)
    }

    /// A runner with fast polls and back-offs.
    func runner(_ run: RunRecord, _ workspace: SourceWorkspace, journal: Journal, events: EventLog? = nil,
                concurrency: Int = 2) throws -> MigrationRunner {
        MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace), service: try service(),
                        options: Self.fastOptions(concurrency: concurrency), emit: { event in events?.append(event) })
    }

    static func fastOptions(concurrency: Int = 2) -> MigrationRunner.Options {
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
final class EventLog: Sendable {
    private let events = Mutex<[EngineEvent]>([])
    func append(_ e: EngineEvent) { events.withLock { $0.append(e) } }
    var all: [EngineEvent] { events.withLock { $0 } }

    var recoveries: Int {
        all.reduce(0) { n, e in if case .recoveryPlanned = e { return n + 1 } else { return n } }
    }
    var retries: [String] {
        all.compactMap { e in if case .retrying(_, _, let reason) = e { return reason } else { return nil } }
    }
}

/// Assertions shared by the engine tests.
enum RunChecks {
    /// Why `runner` stopped, or nil when it finished.
    static func stop(of runner: MigrationRunner) async -> RunStop? {
        do throws(RunStop) {
            _ = try await runner.run()
            return nil
        } catch {
            return error
        }
    }

    /// Every record 0..<count has exactly one latest result, inserted or skipped, with a user_id
    /// that is the sandbox user of its email; the sandbox holds exactly one user per email.
    static func assertComplete(journal: Journal, runID: String, count: Int, users: [String: String],
                               file: StaticString = #filePath, line: UInt = #line) throws -> [Int: RecordResult] {
        let latest = try journal.latestResults(run: runID)
        XCTAssertEqual(latest.count, count, "records with a result", file: file, line: line)
        XCTAssertEqual(users.count, count, "sandbox users", file: file, line: line)
        for i in 0..<count {
            guard let r = latest[i] else { XCTFail("record \(i) has no result", file: file, line: line); continue }
            XCTAssertTrue(r.outcome == .inserted || r.outcome == .skipped,
                          "record \(i): \(r.outcome) \(r.errorReason ?? "") \(r.errorMessage ?? "")", file: file, line: line)
            XCTAssertNotNil(r.userID, "record \(i) has no user_id", file: file, line: line)
            XCTAssertEqual(r.userID, users[EngineSandbox.email(i)], "record \(i) user_id", file: file, line: line)
        }
        XCTAssertEqual(try journal.run(id: runID)?.state, .finished, file: file, line: line)
        return latest
    }

    /// How many times each record has an `inserted` result across all its attempts (never more than one).
    static func assertInsertedAtMostOnce(journal: Journal, runID: String, count: Int,
                                         file: StaticString = #filePath, line: UInt = #line) throws {
        for i in 0..<count {
            let inserted = try journal.history(run: runID, record: i).filter { $0.outcome == .inserted }.count
            XCTAssertLessThanOrEqual(inserted, 1, "record \(i) inserted \(inserted) times", file: file, line: line)
        }
    }
}

/// A test case with a fresh in-process sandbox for every test.
class EngineSandboxTestCase: XCTestCase {
    var sandbox: EngineSandbox!

    override func setUp() async throws {
        sandbox = try await EngineSandbox.start()
    }

    override func tearDown() async throws {
        await sandbox.shutdown()
        sandbox = nil
    }
}
