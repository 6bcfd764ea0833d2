import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import Synchronization
import XCTest

/// A real sandbox on 127.0.0.1 and the real client stack in front of it
/// (`ImportClient` + `TokenProvider(AdminTokenSigner(keyFile:))` + `CurlTransport`).
final class SandboxClientHarness: Sendable {
    let server: SandboxServer
    /// Temporary directory of this test (sandbox key, extra keys, certificates).
    let dir: String
    /// Transport for the control API only.
    private let controlTransport = CurlTransport(userAgent: "sandbox-client-tests/control")
    /// Seconds the test moved its token clock forward (see ``now``).
    private let clockOffset = Mutex<Double>(0)

    private init(server: SandboxServer, dir: String) {
        self.server = server
        self.dir = dir
    }

    static func start() async throws -> SandboxClientHarness {
        let dir = NSTemporaryDirectory() + "sandbox-client-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let server = try await SandboxServer.start(port: 0, dir: dir + "/sandbox", recordLatency: 0)
        return SandboxClientHarness(server: server, dir: dir)
    }

    func shutdown() async {
        await server.shutdown()
        controlTransport.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    // MARK: - Control API

    /// Calls `/_sandbox/…` and returns the JSON answer; fails the test on a non-2xx status.
    @discardableResult
    func control(_ method: String, _ path: String, _ body: String? = nil,
                 file: StaticString = #filePath, line: UInt = #line) async throws -> JSONValue {
        let request = HTTPRequest(method: method, url: server.endpoint + path,
                                  headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
                                  body: body.map { Array($0.utf8) }, timeout: 15)
        let response = try await controlTransport.send(request)
        let text = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue((200..<300).contains(response.status), "\(method) \(path): \(response.status) \(text)", file: file, line: line)
        return try JSONParser.parse(response.body)
    }

    func setFaults(_ json: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await control("PUT", "/_sandbox/faults", json, file: file, line: line)
    }

    func setWorkerPaused(_ paused: Bool) async throws {
        try await control("PUT", "/_sandbox/worker", #"{"paused": \#(paused)}"#)
    }

    /// How many jobs the sandbox holds (whether a failed POST was acted on).
    func jobCount() async throws -> Int {
        try await control("GET", "/_sandbox/jobs")["jobs"]?.arrayValue?.count ?? -1
    }

    /// The id of the oldest job the sandbox holds ("" when none).
    func firstJobID() async throws -> String {
        try await control("GET", "/_sandbox/jobs")["jobs"]?.arrayValue?.first?["id"]?.stringValue ?? ""
    }

    /// Advances the sandbox clock and the clock ``now`` reads by the same amount.
    func advanceClock(_ seconds: Double) async throws {
        try await control("POST", "/_sandbox/clock", #"{"advance_seconds": \#(seconds)}"#)
        clockOffset.withLock { $0 += seconds }
    }

    /// The wall clock plus every ``advanceClock(_:)`` so far.
    var now: @Sendable () -> Date {
        { [self] in Date().addingTimeInterval(clockOffset.withLock { $0 }) }
    }

    // MARK: - Client stack

    /// A signer over the sandbox's key file (or `keyFile`), kid `test-kid`, project `myapp` by default.
    func signer(keyFile: String? = nil, keyID: String = SandboxInfo.defaultKeyID, projectID: String = SandboxInfo.defaultProjectID,
                lifetime: Int = 300) throws -> AdminTokenSigner {
        try AdminTokenSigner(keyFile: keyFile ?? server.keyFilePath, keyID: keyID, projectID: projectID, lifetime: lifetime)
    }

    /// The real client over `transport` (a new `CurlTransport` by default) at `endpoint`
    /// (the sandbox by default); tokens from `tokens` (a provider over ``signer(keyFile:keyID:projectID:lifetime:)``).
    func client(tokens: TokenProvider? = nil, endpoint: String? = nil, transport: (any HTTPTransport)? = nil,
                clock: (@Sendable () -> Date)? = nil) throws -> ImportClient {
        let clock = clock ?? now
        return ImportClient(endpoint: endpoint ?? server.endpoint, projectID: SandboxInfo.defaultProjectID,
                            tokens: try tokens ?? TokenProvider(minter: signer(), clock: clock),
                            transport: transport ?? CurlTransport(userAgent: "sandbox-client-tests"),
                            userAgent: "sandbox-client-tests", timeout: 15, clock: clock)
    }

    /// Polls `id` until it is completed (at most `seconds`).
    func waitForCompletion(_ client: ImportClient, id: String, seconds: Double = 10,
                           file: StaticString = #filePath, line: UInt = #line) async throws -> ImportJob {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let job = try await client.getJob(id: id)
            if job.status == .completed { return job }
            if Date() > deadline {
                XCTFail("job \(id) still pending after \(seconds) s", file: file, line: line)
                return job
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// A fresh 2048-bit RSA key (PKCS#8, mode 0600) in the test directory, made with the `openssl` CLI.
    func freshKeyFile() throws -> String {
        let path = dir + "/other-key-\(UUID().uuidString.prefix(8)).pem"
        let status = try SandboxClientProcess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                                                   "-out", path])
        XCTAssertEqual(status, 0, "openssl genpkey")
        chmod(path, 0o600)
        return path
    }

    /// Email records `user<i>@example.com` for `range`.
    static func records(_ range: Range<Int>) -> [JSONValue] {
        range.map { .obj(["email": .string("user\($0)@example.com")]) }
    }
}

/// The error a call throws, or `nil` (and a test failure) when it succeeds.
func sandboxClientFailure<T>(_ call: () async throws(ImportAPIError) -> T,
                             file: StaticString = #filePath, line: UInt = #line) async -> ImportAPIError? {
    do {
        let value = try await call()
        XCTFail("expected an ImportAPIError, got \(value)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}

/// Runs external programs for the tests (`openssl`, `socat`).
enum SandboxClientProcess {
    /// A tool the tests need is missing or did not start.
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    /// Runs `arguments` through `/usr/bin/env` in `directory`; returns the exit status.
    @discardableResult
    static func run(_ arguments: [String], in directory: String? = nil) throws -> Int32 {
        let process = try start(arguments, in: directory)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Starts `arguments` through `/usr/bin/env` with output discarded.
    static func start(_ arguments: [String], in directory: String? = nil) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// The absolute path of `program` on `PATH`, or `nil`.
    static func which(_ program: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") + ["/usr/bin", "/usr/local/bin"] {
            let candidate = "\(dir)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port` (at most `seconds`).
    static func waitUntilListening(port: UInt16, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            close(fd)
            if connected == 0 { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
