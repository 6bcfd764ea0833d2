import Foundation
import MigrationCore

/// `--json-parse N,N,…`: `JSONParser.parse` of one array of N small objects (a job's details, a
/// users listing, an edits file), best of 3: if time per element grows with N, parsing is not linear.
enum JSONParseBench {
    static func run(elements sizes: [Int]) {
        print("| elements | MB | best of 3 s | MB/s | µs per element |")
        print("|---:|---:|---:|---:|---:|")
        for n in sizes {
            var text = "["
            text.reserveCapacity(n * 64)
            for i in 0..<n {
                if i > 0 { text += "," }
                text += #"{"index":\#(i),"outcome":"inserted","user_id":"u-\#(i)","warnings":[]}"#
            }
            text += "]"
            let bytes = Array(text.utf8)
            var best = Double.infinity
            for _ in 0..<3 {
                let start = DispatchTime.now().uptimeNanoseconds
                let value = try? JSONParser.parse(bytes)
                let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
                precondition(value?.arrayValue?.count == n)
                best = min(best, seconds)
            }
            let mb = Double(bytes.count) / 1e6
            print(String(format: "| %d | %.1f | %.3f | %.1f | %.2f |", n, mb, best, mb / best, best * 1e6 / Double(n)))
        }
    }
}
