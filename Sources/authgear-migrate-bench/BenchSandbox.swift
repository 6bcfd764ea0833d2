import Foundation

/// A real `authgear-migrate sandbox` process (zero record latency) for the benchmarks that import
/// into it, with the connection settings it wrote (`AUTHGEAR_ENDPOINT`, key file, …).
final class BenchSandbox {
    /// The `authgear-migrate` binary next to this benchmark.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("authgear-migrate").path
    }

    private let process = Process()
    /// The variables of `sandbox.env`.
    let env: [String: String]
    /// The binary it runs.
    let binary: String
    var pid: Int32 { process.processIdentifier }

    /// Starts the sandbox (`binary`, by default the one next to this benchmark) in `work/sandbox`
    /// and waits until it listens.
    init(work: String, binary: String? = nil) throws {
        self.binary = binary ?? Self.binary
        process.executableURL = URL(fileURLWithPath: self.binary)
        process.arguments = ["sandbox", "--dir", work + "/sandbox", "--record-latency", "0"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        _ = pipe.fileHandleForReading.availableData   // the "listening" line
        var env: [String: String] = [:]
        for line in try String(contentsOfFile: work + "/sandbox/sandbox.env", encoding: .utf8).split(separator: "\n") {
            let kv = line.split(separator: "=", maxSplits: 1).map(String.init)
            env[kv[0]] = kv[1]
        }
        self.env = env
    }

    /// A variable of `sandbox.env`.
    static func require(_ env: [String: String], _ name: String) throws -> String {
        guard let value = env[name] else { throw BenchError("sandbox.env has no \(name)") }
        return value
    }

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
