import Foundation

/// Client-side cost of a whole run (a benchmark, not a test): the real `authgear-migrate import`
/// against a real `authgear-migrate sandbox --record-latency 0`, each in its own process. Prints
/// end-to-end records/s, the importer's own CPU time (user + sys, from wait4) per record, its
/// peak memory and the journal's size.
enum EngineBench {
    static func run(records: Int, dir: String) throws {
        let bin = BenchSandbox.binary
        let source = try BenchData.file(count: records, format: "ndjson", dir: dir)
        let work = NSTemporaryDirectory() + "engine-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)

        let sandbox = try BenchSandbox(work: work)
        defer { sandbox.stop() }
        var env = ProcessInfo.processInfo.environment.merging(sandbox.env) { $1 }
        env["XDG_STATE_HOME"] = work + "/state"
        let journal = work + "/journal.sqlite"
        let args = [bin, "import", source, "--yes", "--skip-invalid", "--journal", journal, "--concurrency", "4"]
        let start = Date()
        let (status, usage) = try spawnAndWait(args, env: env)
        let wall = Date().timeIntervalSince(start)
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        var journalBytes = 0
        for suffix in ["", "-wal", "-shm"] {
            journalBytes += (try? FileManager.default.attributesOfItem(atPath: journal + suffix)[.size] as? Int) ?? 0
        }
        print("| records | exit | wall s | records/s end to end | importer CPU s | µs CPU/record | records per CPU-second | importer peak MB | journal MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(String(format: "| %d | %d | %.1f | %.0f | %.2f | %.1f | %.0f | %.0f | %.1f |", records, status, wall, Double(records) / wall, cpu,
                     cpu / Double(records) * 1e6, Double(records) / cpu, Double(usage.ru_maxrss) / 1024, Double(journalBytes) / 1e6))
        try? FileManager.default.removeItem(atPath: work)
    }

    /// posix_spawn + wait4, so the child's own rusage is known.
    static func spawnAndWait(_ args: [String], env: [String: String]) throws -> (Int32, rusage) {
        var pid: pid_t = 0
        let argv = args.map { strdup($0) } + [nil]
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { argv.forEach { free($0) }; envp.forEach { free($0) } }
        let rc = posix_spawn(&pid, args[0], nil, nil, argv, envp)
        guard rc == 0 else { throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "posix_spawn \(args[0]): \(rc)"]) }
        var status: Int32 = 0
        var usage = rusage()
        _ = wait4(pid, &status, 0, &usage)
        return ((status >> 8) & 0xFF, usage)
    }
}
