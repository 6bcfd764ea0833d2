/// The records a mapping's `skip` rules leave out of the import (Supabase's deleted and
/// anonymous users), with the reason of each: what `validate` counts and names once, and
/// what the launch confirmation says is not sent.
///
/// Skipped rows keep their record number and line (the index numbers every element the
/// mapping's `only` admits; `skip` is decided when a record is judged, and validation marks
/// it excluded), so edits, runs and reports name the same record whatever `skip` says.
public struct SkippedRows: Sendable, Equatable {
    /// The mapping's skip reasons, in its order.
    public let reasons: [String]
    /// Skipped record numbers, in record order, and the reason (index into `reasons`) of each.
    public private(set) var records: [Int] = []
    public private(set) var reasonOfRecord: [UInt16] = []

    public init(reasons: [String]) { self.reasons = reasons }

    public var total: Int { records.count }

    /// Records skipped for each reason, in `reasons` order.
    public var counts: [Int] {
        var c = [Int](repeating: 0, count: reasons.count)
        for r in reasonOfRecord { c[Int(r)] += 1 }
        return c
    }

    /// The first record skipped for each reason (nil when none is).
    public var firstRecords: [Int?] {
        var first = [Int?](repeating: nil, count: reasons.count)
        for (n, r) in zip(records, reasonOfRecord) where first[Int(r)] == nil { first[Int(r)] = n }
        return first
    }

    mutating func add(record: Int, reason: Int) {
        records.append(record)
        reasonOfRecord.append(UInt16(reason))
    }

    /// "12 rows skipped: deleted_at set (9), anonymous user (3)"; nil when none is.
    public var summary: String? {
        guard total > 0 else { return nil }
        let parts = zip(reasons, counts).filter { $0.1 > 0 }.map { "\($0.0) (\($0.1.groupedDigits))" }
        return "\(total.groupedDigits) \(total == 1 ? "row" : "rows") skipped: " + parts.joined(separator: ", ")
    }

    /// The rows `index`'s mapping skips among the records `report` found excluded and that have
    /// no edit (an operator's edit of a skipped row is judged as that edit). Reads only those
    /// records again.
    public static func find(index: RecordIndex, report: ValidationReport, edits: EditOverlay) -> SkippedRows {
        guard let mapping = index.recordMapping, !mapping.skip.isEmpty else { return SkippedRows(reasons: []) }
        var rows = SkippedRows(reasons: mapping.skip.map(\.reason))
        for n in 0..<min(report.recordCount, index.count) where report.status[n] == .excluded && edits[n] == nil {
            if let reason = index.skipReason(span: index.span(n)) { rows.add(record: n, reason: reason) }
        }
        return rows
    }
}

extension RecordIndex {
    /// The mapping's `skip` reason (index into `recordMapping.skip`) for the record at `span`, if it is skipped.
    public func skipReason(span: RecordSpan) -> Int? {
        guard let recordMapping, !recordMapping.skip.isEmpty, case .success(let source) = loadSource(span: span) else { return nil }
        return recordMapping.skipReason(source)
    }
}
