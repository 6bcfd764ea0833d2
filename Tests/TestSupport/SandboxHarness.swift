import Foundation
import MigrationCore
import Sandbox
import Synchronization
import XCTest

/// A real sandbox server started in-process on 127.0.0.1, port 0, in a temporary directory of
/// its own (`dir`; the server keeps its files in `dir/sandbox`), with the control API client.
public final class SandboxHarness: Sendable {
    public let server: SandboxServer
    /// Temporary directory of this test (sandbox files under `sandbox/`, and whatever the test writes).
    public let dir: String
    public let controlAPI: SandboxControl
    /// Seconds the test moved the sandbox clock forward (see ``now``).
    private let clockOffset = Mutex<Double>(0)

    private init(server: SandboxServer, dir: String) {
        self.server = server
        self.dir = dir
        controlAPI = SandboxControl(endpoint: server.endpoint)
    }

    public static func start(recordLatency: Int = 0, prefix: String = "sandbox-tests") async throws -> SandboxHarness {
        let dir = TempDirectory(prefix: prefix).path
        let server = try await SandboxServer.start(port: 0, dir: dir + "/sandbox", recordLatency: recordLatency)
        return SandboxHarness(server: server, dir: dir)
    }

    /// Stops the server and removes `dir`.
    public func shutdown() async {
        await server.shutdown()
        controlAPI.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    public var port: Int { server.port }
    public var endpoint: String { server.endpoint }

    // MARK: - Control API

    /// Calls `/_sandbox/…` and returns the JSON answer; fails the test on a non-2xx status.
    @discardableResult
    public func control(_ method: String, _ path: String, _ body: String? = nil,
                        file: StaticString = #filePath, line: UInt = #line) async throws -> JSONValue {
        try await controlAPI.call(method, path, body, file: file, line: line)
    }

    public func setFaults(_ json: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await controlAPI.setFaults(json, file: file, line: line)
    }

    public func setWorkerPaused(_ paused: Bool) async throws { try await controlAPI.setWorkerPaused(paused) }

    /// Advances the sandbox clock and the clock ``now`` reads by the same amount.
    public func advanceClock(_ seconds: Double) async throws {
        try await controlAPI.call("POST", "/_sandbox/clock", #"{"advance_seconds": \#(seconds)}"#)
        clockOffset.withLock { $0 += seconds }
    }

    /// The wall clock plus every ``advanceClock(_:)`` so far (what the sandbox checks tokens against).
    public var now: @Sendable () -> Date {
        { [self] in Date().addingTimeInterval(clockOffset.withLock { $0 }) }
    }

    /// How many jobs the sandbox holds (whether a failed POST was acted on).
    public func jobCount() async throws -> Int { try await controlAPI.jobs().count }

    /// The id of the oldest job the sandbox holds ("" when none).
    public func firstJobID() async throws -> String { try await controlAPI.jobs().first?["id"]?.stringValue ?? "" }

    /// Every sandbox user as (email login ID, user id), every page of the listing.
    public func users() async throws -> [(email: String, id: String)] { try await controlAPI.users() }

    /// email → user id; fails the test when an email appears on two users.
    public func userIDsByEmail(file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        try await controlAPI.userIDsByEmail(file: file, line: line)
    }

    /// `user00000@example.com`, … : the email of record `i` in the tests' generated sources.
    public static func email(_ i: Int) -> String { "user" + String(format: "%05d", i) + "@example.com" }
}

/// A test case with a fresh in-process sandbox for every test.
open class SandboxTestCase: XCTestCase {
    public var sandbox: SandboxHarness!

    open override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
    }

    open override func tearDown() async throws {
        await sandbox.shutdown()
        sandbox = nil
    }
}
