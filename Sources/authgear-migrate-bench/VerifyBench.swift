import Foundation

/// Client-side cost of `verify` over one user export (a benchmark, not a test): the real
/// `authgear-migrate import` of `records` users into a real `authgear-migrate sandbox`, then
/// the real `authgear-migrate verify --lookup-limit 0` (one export, streamed), each in its own
/// process. Prints the verifier's wall time, CPU (user + sys, from wait4) and peak memory.
enum VerifyBench {
    static func run(records: Int, dir: String) throws {
        let bin = BenchSandbox.binary
        let source = try BenchData.file(count: records, format: "ndjson", dir: dir)
        let work = NSTemporaryDirectory() + "verify-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let sandbox = try BenchSandbox(work: work)
        defer { sandbox.stop() }
        var env = ProcessInfo.processInfo.environment.merging(sandbox.env) { $1 }
        env["XDG_STATE_HOME"] = work + "/state"
        let journal = work + "/journal.sqlite"
        let importStart = Date()
        let (importStatus, _) = try EngineBench.spawnAndWait([bin, "import", source, "--yes", "--skip-invalid", "--journal", journal,
                                                               "--concurrency", "4"], env: env)
        let importWall = Date().timeIntervalSince(importStart)
        let out = work + "/verify.out"
        let start = Date()
        let (status, usage) = try EngineBench.spawnAndWait(["/bin/sh", "-c", "exec \"$0\" verify --journal \"$1\" --json --lookup-limit 0 > \"$2\"",
                                                            bin, journal, out], env: env)
        let wall = Date().timeIntervalSince(start)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        let summary = (try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "(no output)"
        print("import of \(records) records: exit \(importStatus), \(String(format: "%.1f", importWall)) s")
        print("| users | verify exit | wall s | client CPU s | µs CPU/user | client peak MB |")
        print("|---:|---:|---:|---:|---:|---:|")
        print(String(format: "| %d | %d | %.1f | %.2f | %.1f | %.0f |", records, status, wall, cpu, cpu / Double(records) * 1e6,
                     Double(usage.ru_maxrss) / 1024))
        print("summary: \(summary)")
    }
}
