import Foundation

/// Client-side cost of a whole run (a benchmark, not a test): the real `authgear-migrate import`
/// against a real `authgear-migrate sandbox --record-latency 0`, each in its own process. Prints
/// end-to-end records/s, the importer's own CPU time (user + sys, from wait4) per record, its
/// peak memory, the sandbox's peak memory (VmHWM) and the journal's size, also per 1,000,000 records.
///
///     authgear-migrate-bench --engine [RECORDS[,RECORDS…]] [DIR] [--keep]
///
/// The source is NDJSON from `ImportBenchData` (generated under DIR if missing; a file of more than
/// 5,000,000 records, ~355 bytes each, is deleted afterwards unless `--keep`).
enum EngineBench {
    struct Row {
        var records: Int
        var status: Int32
        var wall: Double
        var cpu: Double
        var peakMB: Double
        var sandboxPeakMB: Int
        var journalMB: Double
    }

    static func run(arguments: [String]) throws {
        var sizes = [100_000], dir = "bench-data", keep = false
        var positional: [String] = []
        for a in arguments { if a == "--keep" { keep = true } else { positional.append(a) } }
        if let s = positional.first { sizes = s.split(separator: ",").compactMap { Int($0) } }
        if positional.count > 1 { dir = positional[1] }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; importer and sandbox are separate processes on them")
        print("| records | exit | wall s | records/s end to end | importer CPU s | µs CPU/record | records per CPU-second | importer peak MB | sandbox peak MB | journal MB | journal MB per 1M records |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for records in sizes {
            let source = try ImportBenchData.file(count: records, dir: dir)
            let row = try measure(records: records, source: source)
            print(String(format: "| %d | %d | %.1f | %.0f | %.2f | %.1f | %.0f | %.0f | %d | %.1f | %.1f |", row.records, row.status, row.wall,
                         Double(records) / row.wall, row.cpu, row.cpu / Double(records) * 1e6, Double(records) / row.cpu, row.peakMB,
                         row.sandboxPeakMB, row.journalMB, row.journalMB / Double(records) * 1e6))
            fflush(nil)
            if records > 5_000_000 && !keep { try? FileManager.default.removeItem(atPath: source) }
        }
    }

    /// One import of `source` into a fresh sandbox.
    static func measure(records: Int, source: String) throws -> Row {
        let bin = BenchSandbox.binary
        let work = NSTemporaryDirectory() + "engine-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
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
        return Row(records: records, status: status, wall: wall, cpu: cpu, peakMB: Double(usage.ru_maxrss) / 1024,
                   sandboxPeakMB: SandboxMemoryBench.memory(sandbox.pid).hwm, journalMB: Double(journalBytes) / 1e6)
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
