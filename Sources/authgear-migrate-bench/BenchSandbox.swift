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

    /// Starts the sandbox in `work/sandbox` and waits until it listens.
    init(work: String) throws {
        process.executableURL = URL(fileURLWithPath: Self.binary)
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

    func stop() {
        process.terminate()
        process.waitUntilExit()
    }
}
