import Foundation
import TerminalKit

/// Marking records for a bulk operation: one at a time, every record of the filter, or none.
enum RecordMarks {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        guard let session = state.session else { return [] }
        let rows = state.records.rowCount(total: session.count)
        switch action {
        case .mark:
            guard rows > 0, state.records.cursor < rows else { return [] }
            let n = state.records.record(atRow: state.records.cursor)
            if state.records.marks.contains(n) { state.records.marks.remove(n) } else { state.records.marks.insert(n) }
            if state.records.cursor < rows - 1 {
                state.records.cursor += 1
                Update.clampRecords(&state)
            }
        case .markAll:
            if state.records.filtering {
                state.status = .info("the filter is still finding records: M marks them once it has finished")
                return []
            }
            let before = state.records.marks.count
            if let shown = state.records.rows {
                state.records.marks.formUnion(IndexSet(shown))
            } else {
                state.records.marks.insert(integersIn: 0..<session.count)
            }
            let added = state.records.marks.count - before
            state.status = .info("marked \(Format.count(added)) more record\(added == 1 ? "" : "s") (\(state.records.filter.label)): \(Format.count(state.records.marks.count)) marked — b applies an operation to them")
        case .clearMarks:
            let count = state.records.marks.count
            state.records.marks = IndexSet()
            state.status = .info("cleared \(Format.count(count)) mark\(count == 1 ? "" : "s")")
        default:
            break
        }
        return []
    }
}

extension RecordsView {
    /// A `●` between the record number and the status of every marked row on screen.
    static func drawMarks(_ buffer: inout ScreenBuffer, _ rect: Rect, _ records: RecordsState, table: Table, numberWidth: Int) {
        guard !records.marks.isEmpty else { return }
        let rows = records.rows?.count
        for row in records.top..<(records.top + rect.height) {
            if let rows, row >= rows { break }
            guard records.marks.contains(records.record(atRow: row)), let line = table.rowRect(row, in: rect) else { continue }
            var style = Theme.key.bolded
            if row == records.cursor { style = style.reversed }
            buffer.put("●", x: rect.x + numberWidth, y: line.y, style: style)
        }
    }
}
