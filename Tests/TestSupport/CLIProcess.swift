import Foundation
import XCTest

/// Runs the real `authgear-migrate` binary (``ProductBinary/authgearMigrate``) as a child process.
public enum CLIProcess {
    /// The executable next to the test bundle in the products directory.
    public static var binary: URL { ProductBinary.authgearMigrate }

    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// stdout and stderr bytes together, for greps.
        public var bytes: Data
    }

    /// The inherited environment plus `env`, with a private XDG state directory.
    public static func environment(_ env: [String: String], stateDir: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = stateDir
        for (k, v) in env { environment[k] = v }
        return environment
    }

    /// Starts `args`; stdout and stderr go to the given files.
    public static func spawn(_ args: [String], env: [String: String], stdout: FileHandle, stderr: FileHandle,
                             currentDirectory: URL? = nil) throws -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.environment = env
        p.standardOutput = stdout
        p.standardError = stderr
        p.standardInput = FileHandle.nullDevice
        if let currentDirectory { p.currentDirectoryURL = currentDirectory }
        try p.run()
        return p
    }

    /// Runs `args` to completion, capturing both streams (through files in `dir`, so a chatty child never blocks).
    public static func run(_ args: [String], env: [String: String], in dir: String, currentDirectory: URL? = nil) throws -> Output {
        let id = UUID().uuidString
        let outPath = dir + "/out-" + id, errPath = dir + "/err-" + id
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = try spawn(args, env: env, stdout: out, stderr: err, currentDirectory: currentDirectory)
        p.waitUntilExit()
        try out.close()
        try err.close()
        let o = FileManager.default.contents(atPath: outPath) ?? Data()
        let e = FileManager.default.contents(atPath: errPath) ?? Data()
        try? FileManager.default.removeItem(atPath: outPath)
        try? FileManager.default.removeItem(atPath: errPath)
        return Output(status: p.terminationStatus, stdout: String(decoding: o, as: UTF8.self),
                      stderr: String(decoding: e, as: UTF8.self), bytes: o + e)
    }

    /// `KEY=VALUE` lines of a sandbox.env file.
    public static func readEnvFile(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    /// One NDJSON line per element, parsed.
    public static func ndjsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }
}

/// A child `authgear-migrate sandbox` process, its env file and the control API client.
public final class SandboxProcess {
    public let process: Process
    public let dir: String
    public let endpoint: String
    /// The `KEY=VALUE` pairs of its `sandbox.env` (endpoint, project, key file, key id).
    public let env: [String: String]
    public let controlAPI: SandboxControl

    /// Starts it (`recordLatencyMs` per record in its worker) and waits for its `sandbox listening on` line.
    public init(dir: String, stateDir: String, recordLatencyMs: Int = 0) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let pipe = Pipe()
        let p = Process()
        p.executableURL = CLIProcess.binary
        p.arguments = ["sandbox", "--dir", dir, "--record-latency", String(recordLatencyMs)]
        p.environment = CLIProcess.environment([:], stateDir: stateDir)
        p.standardOutput = pipe
        p.standardError = FileHandle.standardError
        try p.run()
        process = p
        self.dir = dir
        var seen = Data()
        let reader = pipe.fileHandleForReading
        while !seen.contains(0x0A) {
            let chunk = reader.availableData
            if chunk.isEmpty { break }
            seen.append(chunk)
        }
        let line = String(decoding: seen, as: UTF8.self)
        guard let range = line.range(of: "sandbox listening on ") else {
            p.terminate()
            throw NSError(domain: "SandboxProcess", code: 1, userInfo: [NSLocalizedDescriptionKey: "sandbox did not start: \(line)"])
        }
        endpoint = line[range.upperBound...].trimmingCharacters(in: .whitespacesAndNewlines)
        env = try CLIProcess.readEnvFile(dir + "/sandbox.env")
        controlAPI = SandboxControl(endpoint: endpoint)
    }

    /// GET on the control API, parsed (JSONSerialization).
    public func get(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(request("GET", path)))
    }

    /// POST a JSON body to the control API (seeding users, say); fails on an error status.
    public func post(_ path: String, _ body: String) throws {
        _ = try request("POST", path, body: body)
    }

    /// PUT a JSON body to the control API (pausing the worker, say); fails on an error status.
    public func put(_ path: String, _ body: String) throws {
        _ = try request("PUT", path, body: body)
    }

    private func request(_ method: String, _ path: String, body: String? = nil) throws -> [UInt8] {
        let control = controlAPI
        let response = try blockingAwait { try await control.send(method, path, body) }
        guard response.status < 300 else {
            throw NSError(domain: "SandboxProcess", code: response.status,
                          userInfo: [NSLocalizedDescriptionKey: "\(method) \(path): \(String(decoding: response.body, as: UTF8.self))"])
        }
        return response.body
    }

    public func stop() {
        process.terminate()
        process.waitUntilExit()
        controlAPI.close()
    }

    /// Every sandbox user as (email, id), following the listing's pages.
    public func users() throws -> [(email: String, id: String)] {
        let control = controlAPI
        return try blockingAwait { try await control.users() }
    }
}

extension SandboxHarness {
    /// The environment of a child `authgear-migrate` that imports into this in-process sandbox
    /// (its endpoint and key file, project `myapp`, kid `test-kid`; XDG state under `dir/state`).
    public var cliEnvironment: [String: String] {
        CLIProcess.environment([
            "AUTHGEAR_ENDPOINT": server.endpoint, "AUTHGEAR_PROJECT_ID": "myapp",
            "AUTHGEAR_KEY_ID": "test-kid", "AUTHGEAR_KEY_FILE": server.keyFilePath,
        ], stateDir: dir + "/state")
    }
}

/// Waits until `condition` holds (polling every 50 ms, at most `seconds`); fails the test otherwise.
public func waitUntil(_ what: String, seconds: Double = 20, file: StaticString = #filePath, line: UInt = #line,
                      _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        usleep(50_000)
    }
    XCTFail("timed out waiting for \(what)", file: file, line: line)
}

/// The same for async tests: sleeps with `Task.sleep`, so that the cooperative thread it runs on
/// stays free for an in-process sandbox (blocking it with `usleep` can starve the sandbox on a
/// 2-core machine, where the pool has two threads).
public func waitUntil(_ what: String, seconds: Double = 20, file: StaticString = #filePath, line: UInt = #line,
                      _ condition: () throws -> Bool) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try condition() { return }
        try await Task.sleep(nanoseconds: 50_000_000)
    }
    XCTFail("timed out waiting for \(what)", file: file, line: line)
}
