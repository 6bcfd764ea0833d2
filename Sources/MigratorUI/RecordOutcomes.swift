import AuthgearAPI
/// Each record's latest outcome in the current run, one byte per record, for the records
/// table's result column (a million records cost a megabyte).
public struct RecordOutcomes: Sendable, Equatable {
    public private(set) var codes: [UInt8]

    public init(count: Int) { codes = [UInt8](repeating: 0, count: count) }

    public mutating func set(_ record: Int, _ outcome: Outcome) {
        guard record >= 0, record < codes.count else { return }
        switch outcome {
        case .inserted: codes[record] = 1
        case .updated: codes[record] = 2
        case .skipped: codes[record] = 3
        case .failed, .other: codes[record] = 4
        }
    }

    /// The column's text for a record: empty when it has no result yet.
    public func label(_ record: Int) -> String {
        guard record < codes.count else { return "" }
        switch codes[record] {
        case 1: return "ins"
        case 2: return "upd"
        case 3: return "skip"
        case 4: return "FAIL"
        default: return ""
        }
    }
}
