import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import XCTest

/// Runs the real `authgear-migrate` binary as a child process.
enum CLIProcess {
    /// The executable next to the test bundle in the products directory.
    static var binary: URL {
        var dir = Bundle(for: EngineRunTests.self).bundleURL
        while dir.pathExtension == "xctest" || dir.lastPathComponent == "Contents" { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("authgear-migrate")
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
        /// stdout and stderr bytes together, for greps.
        var bytes: Data
    }

    /// The inherited environment plus `env`, with a private XDG state directory.
    static func environment(_ env: [String: String], stateDir: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_STATE_HOME"] = stateDir
        for (k, v) in env { environment[k] = v }
        return environment
    }

    /// Starts `args`; stdout and stderr go to the given files.
    static func spawn(_ args: [String], env: [String: String], stdout: FileHandle, stderr: FileHandle) throws -> Process {
        let p = Process()
        p.executableURL = binary
        p.arguments = args
        p.environment = env
        p.standardOutput = stdout
        p.standardError = stderr
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Runs `args` to completion, capturing both streams (through files, so a chatty child never blocks).
    static func run(_ args: [String], env: [String: String], in dir: String) throws -> Output {
        let id = UUID().uuidString
        let outPath = dir + "/out-" + id, errPath = dir + "/err-" + id
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
        let p = try spawn(args, env: env, stdout: out, stderr: err)
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
    static func readEnvFile(_ path: String) throws -> [String: String] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    /// One NDJSON line per element, parsed.
    static func ndjsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], String(line))
        }
    }
}

/// A child `authgear-migrate sandbox` process.
final class SandboxProcess {
    let process: Process
    let dir: String
    let endpoint: String
    let env: [String: String]

    /// Starts it (`recordLatencyMs` per record in its worker) and waits for its `sandbox listening on` line.
    init(dir: String, stateDir: String, recordLatencyMs: Int = 0) throws {
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
    }

    /// GET on the control API, parsed.
    func get(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: request("GET", path))
    }

    /// POST a JSON body to the control API (seeding users, say); fails on an error status.
    func post(_ path: String, _ body: String) throws {
        _ = try request("POST", path, body: body)
    }

    /// PUT a JSON body to the control API (pausing the worker, say); fails on an error status.
    func put(_ path: String, _ body: String) throws {
        _ = try request("PUT", path, body: body)
    }

    private func request(_ method: String, _ path: String, body: String? = nil) throws -> Data {
        var r = URLRequest(url: URL(string: endpoint + path)!)
        r.httpMethod = method
        if let body {
            r.httpBody = Data(body.utf8)
            r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let semaphore = DispatchSemaphore(value: 0)
        let box = ResultBox()
        URLSession.shared.dataTask(with: r) { data, response, error in
            box.data = data
            box.error = error
            box.status = (response as? HTTPURLResponse)?.statusCode ?? 0
            semaphore.signal()
        }.resume()
        semaphore.wait()
        if let error = box.error { throw error }
        guard box.status < 300 else {
            throw NSError(domain: "SandboxProcess", code: box.status,
                          userInfo: [NSLocalizedDescriptionKey: "\(method) \(path): \(String(decoding: box.data ?? Data(), as: UTF8.self))"])
        }
        return box.data ?? Data()
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }

    /// Every sandbox user as (email, id), following the listing's pages.
    func users() throws -> [(email: String, id: String)] {
        var out: [(email: String, id: String)] = []
        var after: String?
        repeat {
            let doc = try XCTUnwrap(get("/_sandbox/users?limit=10000" + (after.map { "&after=" + $0 } ?? "")) as? [String: Any])
            for u in try XCTUnwrap(doc["users"] as? [[String: Any]]) {
                let identities = u["identities"] as? [[String: Any]] ?? []
                let email = identities.first { $0["key"] as? String == "email" }?["value"] as? String ?? ""
                out.append((email, u["id"] as? String ?? ""))
            }
            after = doc["next"] as? String
        } while after != nil
        return out
    }
}

/// Hands a URLSession answer to the waiting thread.
private final class ResultBox: @unchecked Sendable {
    // @unchecked: written by the URLSession callback before `signal()`, read after `wait()`.
    var data: Data?
    var error: Error?
    var status = 0
}
