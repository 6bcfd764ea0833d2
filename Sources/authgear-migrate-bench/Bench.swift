import Foundation
import MigrationCore
import MigrationEngine

/// `authgear-migrate-bench`: measures the record pipeline (a benchmark, not a test).
///
///     swift run -c release authgear-migrate-bench [--sizes 10000,100000,1000000] [--formats authgear,ndjson,csv,json-array] [--dir bench-data]
///
/// Each measurement runs in a fresh child process so that its peak memory is its own.
@main
struct Bench {
    static func printUsage() {
        print("""
        usage: authgear-migrate-bench [--sizes 10000,100000,1000000] [--formats authgear,json-array,ndjson,csv] [--dir bench-data]
                                      [--phases index,validate,plan]
                                      (--formats also takes firebase, auth0, supabase: other systems' exports of the same
                                      users, read through their presets: detect + index + map + validate + plan;
                                      with authgear among them, each row's wall and CPU are also said as a ratio to authgear's)
               authgear-migrate-bench --sandbox [REQUESTS] [CONCURRENCY]    load test of the sandbox (1,000-record POSTs)
               authgear-migrate-bench --sandbox-memory [USERS] [BINARY]     sandbox RSS: seeded users, the paged listing, a user export, after a reset
               authgear-migrate-bench --engine [RECORDS[,RECORDS…]] [DIR] [--keep]
                                                                            whole imports into the sandbox: importer CPU per record, importer
                                                                            and sandbox peak, journal size (10000000: ~3.5 GB generated, deleted after)
               authgear-migrate-bench --csv-bodies [RECORDS] [DIR]          CSV vs NDJSON: index + validate + plan, and + building every request body
               authgear-migrate-bench --json-parse [N,N,…]                  JSONParser on arrays of N small objects: MB/s (linear or not)
               authgear-migrate-bench --verify [RECORDS] [DIR]              verify over one user export: the download alone, then verify's CPU and peak
               authgear-migrate-bench --tui [RECORDS] [DIR]                 TUI responsiveness: first frame, key → frame, filters, live import
               authgear-migrate-bench --duplicates [--runs N] [--ten-million] [--tui] [--scaling N,N,…] [--dir DIR] [--keep]
                                                                            validation of files with repeated phone numbers vs a clean one
                                                                            --runs N: runs per row, median by wall (default 3)
                                                                            --ten-million: adds 10,000,000 records (~3.5 GB, deleted after)
                                                                            --tui: with --ten-million, the real binary opens that file in tmux
                                                                            --scaling N,N,…: rows of the repeating generator at these sizes
                                                                            --keep: keep the generated files
               authgear-migrate-bench --measure PATH FORMAT PHASE          (internal) one row's measurement in this process;
                                                                            PHASE: index, validate, plan, bodies, duplicates
               authgear-migrate-bench -h | --help                           this text
        RECORDS defaults: --engine 100000, --csv-bodies 1000000, --verify 100000, --tui 1000000; REQUESTS 100 at CONCURRENCY 8;
        --sandbox-memory USERS 1000000 (BINARY: the authgear-migrate next to this benchmark); DIR: bench-data.
        (build both products in release first: swift build -c release)
        """)
    }

    static func main() throws {
        var args = Array(CommandLine.arguments.dropFirst())
        // Help wherever it is asked for (`--duplicates --help` too), before any benchmark starts.
        if args.contains("-h") || args.contains("--help") { printUsage(); return }
        if args.first == "--sandbox" {
            let requests = args.count > 1 ? Int(args[1]) ?? 100 : 100
            let concurrency = args.count > 2 ? Int(args[2]) ?? 8 : 8
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                do { try await SandboxBench.run(requests: requests, concurrency: concurrency) } catch { print("sandbox bench failed: \(error)") }
                done.signal()
            }
            done.wait()
            return
        }
        if args.first == "--sandbox-memory" {
            let users = args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000
            let binary = args.count > 2 ? args[2] : nil
            let done = DispatchSemaphore(value: 0)
            Task.detached {
                do { try await SandboxMemoryBench.run(users: users, binary: binary) } catch { print("sandbox memory bench failed: \(error)") }
                done.signal()
            }
            done.wait()
            return
        }
        if args.first == "--json-parse" {
            let sizes = (args.count > 1 ? args[1] : "10000,100000,1000000").split(separator: ",").compactMap { Int($0) }
            JSONParseBench.run(elements: sizes)
            return
        }
        if args.first == "--engine" {
            try EngineBench.run(arguments: Array(args.dropFirst()))
            return
        }
        if args.first == "--csv-bodies" {
            try CSVBodiesBench.run(arguments: Array(args.dropFirst()))
            return
        }
        if args.first == "--verify" {
            try VerifyBench.run(records: args.count > 1 ? Int(args[1]) ?? 100_000 : 100_000, dir: args.count > 2 ? args[2] : "bench-data")
            return
        }
        if args.first == "--tui" {
            try TUIBench.run(records: args.count > 1 ? Int(args[1]) ?? 1_000_000 : 1_000_000, dir: args.count > 2 ? args[2] : "bench-data")
            return
        }
        if args.first == "--duplicates" {
            try DuplicatesBench.run(arguments: Array(args.dropFirst()))
            return
        }
        if args.first == "--measure" {
            args.removeFirst()
            try measure(path: args[0], format: args[1], phase: args[2])
            return
        }
        var sizes = [10_000, 100_000, 1_000_000]
        var formats = BenchData.formats
        var dir = "bench-data"
        var phases = ["index", "validate", "plan"]
        var i = 0
        while i < args.count {
            switch args[i] {
            case "--sizes": sizes = args[i + 1].split(separator: ",").compactMap { Int($0) }; i += 2
            case "--formats": formats = args[i + 1].split(separator: ",").map(String.init); i += 2
            case "--dir": dir = args[i + 1]; i += 2
            case "--phases": phases = args[i + 1].split(separator: ",").map(String.init); i += 2
            case "-h", "--help": printUsage(); return
            default: FileHandle.standardError.write(Data("unknown argument \(args[i])\n".utf8)); exit(2)
            }
        }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; each row is a fresh process; peak = max RSS")
        print("| records | format | file MB | phase | wall s | CPU s | records/s | peak MB | first 100 records ms |")
        print("|---:|---|---:|---|---:|---:|---:|---:|---:|")
        var rows: [BenchRatios.Row] = []
        for size in sizes {
            for format in formats {
                let path = try BenchData.file(count: size, format: format, dir: dir)
                let mb = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
                for phase in phases {
                    let line = try runChild(path: path, format: format, phase: phase)
                    print("| \(size) | \(format) | \(String(format: "%.0f", mb)) | \(phase) | \(line)")
                    if let row = BenchRatios.Row(size: size, format: format, phase: phase, line: line) { rows.append(row) }
                }
            }
        }
        BenchRatios.print(rows)
    }

    static func runChild(path: String, format: String, phase: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["--measure", path, format, phase]
        let pipe = Pipe()
        p.standardOutput = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// One measurement in this process: prints "wall | records/s | peak MB | first-100 ms |".
    static func measure(path: String, format: String, phase: String) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let index = try RecordIndex.open(path: path, format: SourceFormat(rawValue: format))
        // First 100 records readable: wait for them to be indexed, then parse them.
        while index.count < 100 && !index.isComplete { usleep(100) }
        for n in 0..<min(100, index.count) { _ = index.loadRecord(n) }
        let first = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        if phase == "index" { try index.waitUntilComplete() }
        var count = index.count
        var duplicates = ""
        if phase != "index" {
            // Validation runs alongside the index scan, as in the TUI.
            let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
            let report = workspace.validate()
            try index.waitUntilComplete()
            count = report.recordCount
            precondition(count == index.count)
            if phase == "duplicates" {
                let counts = report.countsByRule()
                let members = counts.filter { $0.rule.hasPrefix("duplicate_") }.reduce(0) { $0 + $1.count }
                duplicates = " \(members) | \(report.errorCount) |"
            }
            if phase == "plan" || phase == "bodies" {
                // What a run plans: every sendable record, by the engine's one planner.
                let sendable = (0..<report.recordCount).filter { report.isSendable($0) }
                let bodies = RequestBodies(workspace: workspace)
                let plan = try bodies.plan(records: sendable, upsert: false, maxRecords: 1000)
                precondition(!plan.isEmpty)
                if phase == "bodies" {
                    // Every body, as the runner builds each one when it is sent.
                    for batch in plan { precondition(bodies.body(records: batch.records, upsert: false).count == batch.bodySize) }
                }
            }
        }
        let wall = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMB = Double(usage.ru_maxrss) / 1024
        let cpu = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
        print(String(format: "%.3f | %.2f | %.0f | %.0f | %.1f |", wall, cpu, Double(count) / wall, peakMB, first) + duplicates)
    }
}
