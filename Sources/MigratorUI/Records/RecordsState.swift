import Foundation
import MigrationCore
import MigrationEngine

/// What the records table shows.
public enum RecordFilter: Equatable, Sendable {
    case all, problems, errors, warnings, excluded, edited
    case rule(String)
    case text(String)

    public var label: String {
        switch self {
        case .all: return "all records"
        case .problems: return "with problems"
        case .errors: return "with errors"
        case .warnings: return "with warnings"
        case .excluded: return "excluded"
        case .edited: return "edited"
        case .rule(let r): return "rule \(r)"
        case .text(let t): return "containing \"\(t)\""
        }
    }
}

/// The records table and its inspector.
public struct RecordsState: Equatable, Sendable {
    public var filter: RecordFilter = .all
    /// Record numbers shown when filtered (nil = every record in order).
    public var rows: [Int]?
    /// A filter still scanning in the background.
    public var filtering = false
    public var filterGeneration = 0
    /// Position in the (filtered) row list.
    public var cursor = 0
    public var top = 0
    public var inspector = true
    public var revealSecrets = false
    public var search: String?
    public var searching = false
    /// Latest outcomes of the run, once one has ended in this session (the result column).
    public var outcomes: RecordOutcomes?
    /// The table's order (`s`), and whether a sort is being computed in the background.
    public var sort = RecordSort()
    public var sorting = false
    public var sortGeneration = 0
    /// Value columns scrolled off to the left (← →): the record number and status stay.
    public var columnOffset = 0
    /// Marked records (m, M): what a bulk operation (b) applies to. Ranges, so "every record" is cheap.
    public var marks = IndexSet()
    public init() {}

    public func rowCount(total: Int) -> Int { rows?.count ?? total }
    public func record(atRow i: Int) -> Int { rows.map { $0[i] } ?? i }
}
