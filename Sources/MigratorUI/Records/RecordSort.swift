import Foundation
import MigrationCore

/// The order of the records table: by record number (the source's order), by identifier, or by
/// status and first issue; either way round. Sorting a million records reads each one's
/// identifier, so it runs off the UI thread (`Effect.sortRows`) and answers with `sortResult`.
public struct RecordSort: Equatable, Sendable {
    public enum Key: String, Equatable, Sendable, CaseIterable {
        case number, identifier, status
    }
    public var key: Key = .number
    public var descending = false
    public init(key: Key = .number, descending: Bool = false) {
        self.key = key
        self.descending = descending
    }

    /// The source's order: no sorting needed.
    public var isDefault: Bool { key == .number && !descending }

    public var arrow: String { descending ? "▼" : "▲" }

    /// "identifier ▲" for the menu and the status line.
    public func label(identifierField: String) -> String {
        switch key {
        case .number: return "record number \(arrow)"
        case .identifier: return "identifier (\(identifierField)) \(arrow)"
        case .status: return "status / first issue \(arrow)"
        }
    }

    /// Rank of a status: the records that need attention first.
    static func rank(_ status: ValidationReport.Status) -> Int {
        switch status {
        case .errors: return 0
        case .warnings: return 1
        case .valid: return 2
        case .excluded: return 3
        }
    }

    /// `rows` (record numbers) in this order; ties keep record order. Nil when `shouldContinue`
    /// said stop (a newer sort or filter superseded this one).
    public func sorted(_ rows: [Int], identifier: (Int) -> String?, status: (Int) -> ValidationReport.Status?,
                       firstRule: (Int) -> String?, shouldContinue: () -> Bool = { true }) -> [Int]? {
        var out: [Int]
        switch key {
        case .number:
            out = rows.sorted()
        case .identifier:
            var keyed: [(String?, Int)] = []
            keyed.reserveCapacity(rows.count)
            for (i, n) in rows.enumerated() {
                if i % 16_384 == 0, !shouldContinue() { return nil }
                keyed.append((identifier(n)?.lowercased(), n))
            }
            // Records without an identifier go last (either way round), in record order.
            keyed.sort { a, b in
                switch (a.0, b.0) {
                case (nil, nil): return a.1 < b.1
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?): return x != y ? (descending ? x > y : x < y) : a.1 < b.1
                }
            }
            return shouldContinue() ? keyed.map(\.1) : nil
        case .status:
            var keyed: [(Int, String, Int)] = []
            keyed.reserveCapacity(rows.count)
            for (i, n) in rows.enumerated() {
                if i % 16_384 == 0, !shouldContinue() { return nil }
                keyed.append((status(n).map(Self.rank) ?? 4, firstRule(n) ?? "", n))
            }
            keyed.sort { a, b in
                if a.0 != b.0 { return descending ? a.0 > b.0 : a.0 < b.0 }
                if a.1 != b.1 { return descending ? a.1 > b.1 : a.1 < b.1 }
                return a.2 < b.2
            }
            return shouldContinue() ? keyed.map(\.2) : nil
        }
        if descending { out.reverse() }
        return shouldContinue() ? out : nil
    }

    /// Sorts `rows` (nil: every record) of an open source: identifiers as they will be sent
    /// (edits applied), status and first issue from `report`.
    public func sorted(_ rows: [Int]?, index: RecordIndex, edits: EditOverlay, report: ValidationReport?, identifierField: String,
                       shouldContinue: () -> Bool = { true }) -> [Int]? {
        let all = rows ?? Array(0..<index.count)
        return sorted(all, identifier: { n in
            if case .replaced(let v)? = edits[n] { return v[identifierField]?.stringValue }
            guard n < index.count, case .success(let v) = index.loadRecord(n) else { return nil }
            return v[identifierField]?.stringValue
        }, status: { n in
            guard let report, n < report.recordCount else { return nil }
            return report.status[n]
        }, firstRule: { n in
            guard let report, n < report.recordCount else { return nil }
            return report.issues[n]?.first?.rule
        }, shouldContinue: shouldContinue)
    }
}

/// Which value columns the records table shows (by field name, so the choice holds for every
/// file opened in this session).
public struct ColumnChoice: Equatable, Sendable {
    public var hidden: Set<String> = []
    public init() {}

    /// The columns of `names` that are shown.
    public func shown(_ names: [String]) -> [String] { names.filter { !hidden.contains($0) } }
}
