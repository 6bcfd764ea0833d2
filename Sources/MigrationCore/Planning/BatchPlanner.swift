/// One import request: which source records it carries, in order.
public struct Batch: Sendable, Equatable {
    /// 0-based batch number within the plan.
    public var number: Int
    /// Source record numbers; position `k` here is `details[].index == k` in the server's answer.
    public var records: [Int]
    /// Exact byte length of the request body.
    public var bodySize: Int

    public init(number: Int, records: [Int], bodySize: Int) {
        self.number = number
        self.records = records
        self.bodySize = bodySize
    }
}

/// Batches for a whole run, plus the records that cannot fit in any request.
public struct BatchPlan: Sendable, Equatable {
    public var identifier: ImportIdentifier
    public var upsert: Bool
    public var batches: [Batch]
    /// Records whose body alone would exceed the limit.
    public var oversized: [Int]

    public var recordCount: Int { batches.reduce(0) { $0 + $1.records.count } }
}

/// Packs records into request bodies the server accepts: at most `maxBodyBytes` bytes
/// (500,000: spec §11, measured on the exact bytes sent) and at most `maxRecords` records,
/// keeping source order.
public struct BatchPlanner: Sendable {
    public static let serverBodyLimit = 500_000

    public var identifier: ImportIdentifier
    public var upsert: Bool
    public var maxBodyBytes: Int
    public var maxRecords: Int

    public init(identifier: ImportIdentifier, upsert: Bool, maxBodyBytes: Int = BatchPlanner.serverBodyLimit, maxRecords: Int = 1000) {
        precondition(maxRecords >= 1 && maxBodyBytes >= 1)
        self.identifier = identifier
        self.upsert = upsert
        self.maxBodyBytes = min(maxBodyBytes, BatchPlanner.serverBodyLimit)
        self.maxRecords = maxRecords
    }

    /// What surrounds the records of every body of this plan.
    public var envelope: RequestEnvelope { RequestEnvelope(identifier: identifier, upsert: upsert) }

    /// Plans batches for `records` (source numbers, in order) whose compact sizes `size(n)` gives.
    public func plan(records: some Sequence<Int>, size: (Int) -> Int) -> BatchPlan {
        let overhead = envelope.overhead
        var batches: [Batch] = []
        var oversized: [Int] = []
        var current: [Int] = []
        var currentSize = overhead
        func flush() {
            guard !current.isEmpty else { return }
            batches.append(Batch(number: batches.count, records: current, bodySize: currentSize))
            current = []
            currentSize = overhead
        }
        for n in records {
            let s = size(n)
            if overhead + s > maxBodyBytes {
                oversized.append(n)
                continue
            }
            let added = s + (current.isEmpty ? 0 : 1)
            if current.count >= maxRecords || currentSize + added > maxBodyBytes { flush() }
            currentSize += s + (current.isEmpty ? 0 : 1)
            current.append(n)
        }
        flush()
        return BatchPlan(identifier: identifier, upsert: upsert, batches: batches, oversized: oversized)
    }
}
