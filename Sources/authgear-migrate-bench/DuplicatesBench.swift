import Foundation
import MigrationCore

/// `--duplicates`: validation of files whose phone numbers repeat, against the clean file of
/// the same size (issue "Scale": duplicates in linear time and bounded memory).
///
///     authgear-migrate-bench --duplicates [--runs 3] [--ten-million] [--tui] [--scaling N,N,…] [--dir bench-data] [--keep]
///
/// Rows: 1,000,000 records with every login ID unique; 1,000,000 with ~6 % of the records
/// sharing a phone number with another; 400,000 drawing their numbers from a pool of 100,000;
/// 1,000,000 whose numbers repeat after 500,000 (the 10,000,000 row's generator at a tenth of
/// the size: its like-for-like baseline); and with `--ten-million`, 10,000,000 records whose
/// numbers repeat after 5,000,000 (every record in a pair; ~3.5 GB written). `--scaling` adds
/// rows of that same generator at the given sizes (numbers repeating after half the file), to
/// see the slope. Each run is a fresh child process (`--measure … duplicates`: index +
/// validation on all cores, as `validate` and the TUI do it); a row is the median of the runs by
/// wall time. The ratios printed after the table are of those medians. `--tui` (with
/// `--ten-million`) also opens the 10,000,000-record file in the real binary in tmux
/// (`DuplicatesTUIBench`). Generated files are deleted afterwards unless `--keep`.
enum DuplicatesBench {
    struct Row {
        let name: String
        let count: Int
        let phones: BenchData.Phones
        var wall = 0.0, cpu = 0.0, peak = 0.0
    }

    static func run(arguments: [String]) throws {
        var runs = 3, tenMillion = false, keep = false, tui = false, dir = "bench-data"
        var scaling: [Int] = []
        var i = 0
        while i < arguments.count {
            switch arguments[i] {
            case "--runs": runs = max(1, Int(arguments[i + 1]) ?? 3); i += 2
            case "--ten-million": tenMillion = true; i += 1
            case "--tui": tui = true; i += 1
            case "--scaling": scaling = arguments[i + 1].split(separator: ",").compactMap { Int($0) }; i += 2
            case "--keep": keep = true; i += 1
            case "--dir": dir = arguments[i + 1]; i += 2
            default: FileHandle.standardError.write(Data("unknown argument \(arguments[i])\n".utf8)); exit(2)
            }
        }
        var rows: [Row] = [
            Row(name: "every login ID unique", count: 1_000_000, phones: .unique),
            Row(name: "~6 % share a phone number", count: 1_000_000, phones: .duplicates(percent: 6)),
            Row(name: "phone numbers from a pool of 100,000", count: 400_000, phones: .pool(size: 100_000)),
            Row(name: "phone numbers repeat after 500,000", count: 1_000_000, phones: .repeating(period: 500_000)),
        ]
        for n in scaling where n != 1_000_000 && n != 10_000_000 {
            rows.append(Row(name: "phone numbers repeat after \(n / 2)", count: n, phones: .repeating(period: n / 2)))
        }
        if tenMillion { rows.append(Row(name: "phone numbers repeat after 5,000,000", count: 10_000_000, phones: .repeating(period: 5_000_000))) }
        let command = (["authgear-migrate-bench", "--duplicates"] + arguments).joined(separator: " ")
        TUIBench.emit("command: \(command)")
        TUIBench.emit("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, load average \(loadAverage()) at the start; index + validate, each run a fresh process; median of \(runs) by wall; peak = max RSS")
        TUIBench.emit("| records | file | MB | records in duplicate groups | errors | wall s | CPU s | records/s | µs wall/record | peak MB |")
        TUIBench.emit("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
        for k in rows.indices {
            let row = rows[k]
            let path = try BenchData.file(count: row.count, format: "authgear", dir: dir, phones: row.phones)
            let mb = Double((try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1e6
            var results: [[String]] = []
            for _ in 0..<runs {
                results.append(try Bench.runChild(path: path, format: "authgear", phase: "duplicates")
                    .split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) })
            }
            results.sort { (Double($0[0]) ?? 0) < (Double($1[0]) ?? 0) }
            let m = results[results.count / 2]
            rows[k].wall = Double(m[0]) ?? 0
            rows[k].cpu = Double(m[1]) ?? 0
            rows[k].peak = Double(m[3]) ?? 0
            let perRecord = rows[k].wall / Double(row.count) * 1e6
            TUIBench.emit("| \(row.count.groupedDigits) | \(row.name) | \(String(format: "%.0f", mb)) | \(Int(m[5])?.groupedDigits ?? m[5]) | \(Int(m[6])?.groupedDigits ?? m[6]) | \(m[0]) | \(m[1]) | \(Int(m[2])?.groupedDigits ?? m[2]) | \(String(format: "%.2f", perRecord)) | \(m[3]) |")
            if row.count == 10_000_000, tui { DuplicatesTUIBench.run(path: path) }
            if !keep { try? FileManager.default.removeItem(atPath: path) }
        }
        printRatios(rows)
    }

    /// The issue's targets as ratios of the medians above.
    static func printRatios(_ rows: [Row]) {
        func find(_ count: Int, _ name: String) -> Row? { rows.first { $0.count == count && $0.name.hasPrefix(name) && $0.wall > 0 } }
        TUIBench.emit("")
        if let clean = find(1_000_000, "every"), let six = find(1_000_000, "~6") {
            TUIBench.emit(String(format: "~6 %% duplicates / clean, 1,000,000 records: %.2f× wall (target ≤ 1.6×), peak %.0f MB (target < 300)", six.wall / clean.wall, six.peak))
        }
        guard let ten = find(10_000_000, "phone numbers repeat") else { return }
        if let same = find(1_000_000, "phone numbers repeat") {
            TUIBench.emit(String(format: "10,000,000 / 1,000,000 with the same generator (numbers repeat after half the file): %.1f× wall (target ≤ 15×), %.1f× CPU; peak %.0f MB (target < 1,500)",
                                 ten.wall / same.wall, ten.cpu / max(0.01, same.cpu), ten.peak))
        }
        if let clean = find(1_000_000, "every") {
            TUIBench.emit(String(format: "10,000,000 (all in pairs) / 1,000,000 clean (no duplicates): %.1f× wall", ten.wall / clean.wall))
        }
    }

    /// The 1-minute load average, to say how busy the machine was.
    static func loadAverage() -> String {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return "unknown" }
        return String(text.split(separator: " ").first ?? "unknown")
    }
}
