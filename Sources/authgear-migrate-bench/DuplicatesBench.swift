import Foundation

/// `--duplicates`: validation of files whose phone numbers repeat, against the clean file of
/// the same size (issue "Scale": duplicates in linear time and bounded memory).
///
///     authgear-migrate-bench --duplicates [--runs 3] [--ten-million] [--dir bench-data] [--keep]
///
/// Rows: 1,000,000 records with every login ID unique; 1,000,000 with ~6 % of the records
/// sharing a phone number with another; 400,000 drawing their numbers from a pool of 100,000;
/// and with `--ten-million`, 10,000,000 records whose numbers repeat after 5,000,000 (every
/// record in a pair; ~3.5 GB written). Each run is a fresh child process (`--measure … validate`:
/// index + validation on all cores, as `validate` and the TUI do it); the row is the median of
/// the runs by wall time. Generated files are deleted afterwards unless `--keep`.
enum DuplicatesBench {
    static func run(arguments: [String]) throws {
        var runs = 3, tenMillion = false, keep = false, dir = "bench-data"
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--runs": runs = max(1, Int(arguments[i + 1]) ?? 3); i += 2
            case "--ten-million": tenMillion = true; i += 1
            case "--keep": keep = true; i += 1
            case "--dir": dir = arguments[i + 1]; i += 2
            default: FileHandle.standardError.write(Data("unknown argument \(arguments[i])\n".utf8)); exit(2)
            }
        }
        var rows: [(String, Int, BenchData.Phones)] = [
            ("every login ID unique", 1_000_000, .unique),
            ("~6 % share a phone number", 1_000_000, .duplicates(percent: 6)),
            ("phone numbers from a pool of 100,000", 400_000, .pool(size: 100_000)),
        ]
        if tenMillion { rows.append(("phone numbers repeat after 5,000,000", 10_000_000, .repeating(period: 5_000_000))) }
        print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; index + validate, each run a fresh process; median of \(runs) by wall; peak = max RSS")
        print("| records | file | MB | records in duplicate groups | errors | wall s | CPU s | records/s | peak MB |")
        print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
        for (name, count, phones) in rows {
            let path = try BenchData.file(count: count, format: "authgear", dir: dir, phones: phones)
            let mb = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
            var results: [[String]] = []
            for _ in 0..<runs {
                results.append(try Bench.runChild(path: path, format: "authgear", phase: "duplicates")
                    .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
            }
            results.sort { (Double($0[0]) ?? 0) < (Double($1[0]) ?? 0) }
            let m = results[results.count / 2]
            print("| \(count) | \(name) | \(String(format: "%.0f", mb)) | \(m[5]) | \(m[6]) | \(m[0]) | \(m[1]) | \(m[2]) | \(m[3]) |")
            if !keep { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}
