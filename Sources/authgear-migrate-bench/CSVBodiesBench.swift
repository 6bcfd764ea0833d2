import Foundation

/// `--csv-bodies [RECORDS]`: what a run costs the client before the first POST, for a CSV source
/// against the NDJSON one of the same records — index + validate + plan, then the same plus
/// building every request body (`RequestBodies.body`: a CSV row is written to request bytes by
/// `CSVRowWriter`, a JSON record is compacted). Each row a fresh process; median of 3 by wall.
enum CSVBodiesBench {
    static func run(arguments: [String]) throws {
        let records = arguments.first.flatMap { Int($0) } ?? 1_000_000
        let dir = arguments.count > 1 ? arguments[1] : "bench-data"
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; each run a fresh process; median of 3 by wall; peak = max RSS")
        print("| records | format | phase | wall s | CPU s | records/s | peak MB |")
        print("|---:|---|---|---:|---:|---:|---:|")
        for format in ["ndjson", "csv"] {
            let path = try BenchData.file(count: records, format: format, dir: dir)
            for phase in ["plan", "bodies"] {
                var results: [[String]] = []
                for _ in 0..<3 {
                    results.append(try Bench.runChild(path: path, format: format, phase: phase)
                        .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
                }
                results.sort { (Double($0[0]) ?? 0) < (Double($1[0]) ?? 0) }
                let m = results[1]
                let name = phase == "plan" ? "index + validate + plan" : "index + validate + plan + build every body"
                print("| \(records) | \(format) | \(name) | \(m[0]) | \(m[1]) | \(m[2]) | \(m[3]) |")
                fflush(nil)
            }
        }
    }
}
