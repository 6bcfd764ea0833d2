import ArgumentParser
import Dispatch
import Foundation
import MigrationCore
import Sandbox

/// `authgear-migrate sandbox`: runs the local emulator of Authgear's User Import API.
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Run a local emulator of Authgear's User Import and User Export APIs and Admin GraphQL for rehearsals and tests.",
        discussion: """
        Serves POST /_api/admin/users/import and GET /_api/admin/users/import/{id} with the \
        server's checks (JWT, content type, 500,000-byte limit, request schema, usage quota), \
        100-record tasks processed by one background worker, and 24-hour job expiry. Also \
        POST /_api/admin/users/export and GET /_api/admin/users/export/{id} (NDJSON or CSV of \
        every user, a signed download_url under /_sandbox/objects/ valid 60 s, 24-hour \
        retention) and POST /_api/admin/graphql (getUserByLoginID, getUsersByStandardAttribute, \
        node, nodes, deleteUser; at most 5 mutation fields; any error rolls the request back). \
        The project is served on any Host header (project ID `myapp` unless changed).

        Once ready it prints exactly one line, `sandbox listening on http://HOST:PORT`.

        On first start in DIR it generates an RSA-2048 admin key: DIR/admin-key.pem \
        (unencrypted PKCS#8, mode 0600, key ID `test-kid`) and writes DIR/sandbox.env with \
        AUTHGEAR_ENDPOINT, AUTHGEAR_PROJECT_ID, AUTHGEAR_KEY_ID and AUTHGEAR_KEY_FILE. A restart \
        reuses the key. Only the key persists in DIR: users, jobs, usage, faults and the clock \
        live in memory and start afresh.

        Control API (no auth; 400 {"error":{"message","path"}} on a bad body):
          POST /_sandbox/reset         back to defaults, clock offset 0 (memory is released)
          GET|PUT /_sandbox/project    project config (omitted keys = defaults); export keys:
                                       "user_export_enabled": false (500 UserExportDisabled),
                                       "usage_limits": {"user_export": [{"quota","period"}]}
          GET|POST /_sandbox/users     list / seed existing users; GET pages: ?limit=N (default
                                       1000, at most 10000) &after=NEXT answers {"users", "next"
                                       (the last user's id, null at the end), "total"};
                                       ?login_id=VALUE the users with that stored login ID
          GET|POST /_sandbox/clock     {"advance_seconds": N}
          GET|PUT /_sandbox/faults     HTTP, task and export faults, one seeded PRNG; "exports":
                                       [{"kind": "fail"|"hang"|"page_edge", "share",
                                       "users" and "page_size" for page_edge}]
          GET|PUT /_sandbox/worker     {"paused": bool} (exports also wait while paused)
          POST /_sandbox/worker/step   {"tasks": N}, only while paused
          GET /_sandbox/jobs[/{id}]    jobs and their tasks

        SIGINT or SIGTERM stops the server.
        """
    )

    @Option(help: "Address to listen on (loopback by default).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0 picks a free port).")
    var port = 0

    @Option(help: "Directory for admin-key.pem and sandbox.env (a new temporary directory when omitted).")
    var dir: String?

    @Option(name: .customLong("record-latency"), help: "Milliseconds the worker spends per record.")
    var recordLatency = 5

    @Option(help: "Initial faults: a JSON object as for PUT /_sandbox/faults, or @FILE to read it from a file.")
    var faults: String?

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard recordLatency >= 0 else { throw ValidationError("--record-latency must be ≥ 0") }
    }

    func run() throws {
        let plan = try faultPlan()
        let directory = try dir ?? makeTemporaryDirectory()
        let outcome = SandboxRun()
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let server = try await SandboxServer.start(host: host, port: port, dir: directory,
                                                           recordLatency: recordLatency, faults: plan)
                try writeEnvironment(server: server, directory: directory)
                // Unbuffered write: the line is visible at once, even when stdout is a pipe.
                FileHandle.standardOutput.write(Data("sandbox listening on \(server.endpoint)\n".utf8))
                let signals = SignalWatcher { Task { await server.shutdown() } }
                await server.waitUntilStopped()
                signals.cancel()
            } catch {
                outcome.fail(String(describing: error))
            }
            done.signal()
        }
        done.wait()
        if let message = outcome.failure {
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            throw ExitCode(2)
        }
    }

    private func faultPlan() throws -> FaultPlan {
        guard let faults else { return .none }
        var text = faults
        if faults.hasPrefix("@") {
            let path = String(faults.dropFirst())
            guard let contents = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ValidationError("--faults: cannot read \(path)")
            }
            text = contents
        }
        do {
            return try FaultPlan(json: try JSONParser.parse(text))
        } catch let error as ControlError {
            throw ValidationError("--faults: \(error.message) at \(error.path.isEmpty ? "the top level" : error.path)")
        } catch {
            throw ValidationError("--faults: not valid JSON (\(error))")
        }
    }

    private func makeTemporaryDirectory() throws -> String {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("authgear-sandbox-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    private func writeEnvironment(server: SandboxServer, directory: String) throws {
        let text = """
        AUTHGEAR_ENDPOINT=\(server.endpoint)
        AUTHGEAR_PROJECT_ID=\(SandboxInfo.defaultProjectID)
        AUTHGEAR_KEY_ID=\(SandboxInfo.defaultKeyID)
        AUTHGEAR_KEY_FILE=\(server.keyFilePath)

        """
        try text.write(toFile: (directory as NSString).appendingPathComponent("sandbox.env"), atomically: true, encoding: .utf8)
    }
}

/// The failure of the server task, handed back to the blocked main thread.
private final class SandboxRun: @unchecked Sendable {
    // @unchecked: written once by the server task before `done.signal()`, read after `done.wait()`;
    // the semaphore orders the two accesses.
    private(set) var failure: String?
    func fail(_ message: String) { failure = message }
}

/// Calls `handler` once on SIGINT or SIGTERM.
private struct SignalWatcher {
    private let sources: [DispatchSourceSignal]

    init(_ handler: @escaping @Sendable () -> Void) {
        sources = [SIGINT, SIGTERM].map { signo in
            signal(signo, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signo, queue: .global())
            source.setEventHandler(handler: handler)
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}
