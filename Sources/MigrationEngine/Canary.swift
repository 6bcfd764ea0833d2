import AuthgearAPI
import Foundation

/// The canary of a run (`--canary N`, the launch dialog's first pass): its records' results, for
/// the go / no-go before the rest is sent.
public enum Canary {
    /// The latest result of each record of the run's canary batches, in record order (records
    /// still without one are left out).
    public static func results(run id: String, journal: Journal) throws -> [RecordResult] {
        let records = Set(try journal.batches(run: id).filter { $0.purpose == .canary }.flatMap(\.records))
        return try journal.latestResults(run: id).values.filter { records.contains($0.record) }.sorted { $0.record < $1.record }
    }

    /// Records the run still has to send after its canary (those of its first-pass batches).
    public static func remaining(run id: String, journal: Journal) throws -> Int {
        try journal.batches(run: id).filter { $0.purpose == .initial && $0.state != .completed }.reduce(0) { $0 + $1.records.count }
    }
}
