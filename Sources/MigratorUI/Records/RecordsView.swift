import Foundation
import MigrationCore
import TerminalKit

/// The records table (virtualised: only visible rows are read) and the inspector pane.
enum RecordsView {
    static func layout(_ body: Rect, _ state: AppState) -> (table: Rect, inspector: Rect?) {
        guard state.records.inspector else { return (body, nil) }
        if body.width >= 110 {
            let (left, right) = body.splitLeft(body.width * 11 / 20)
            return (left, right)
        }
        let (top, bottom) = body.splitTop(max(4, body.height / 2))
        return (top, bottom)
    }

    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        guard let session = state.session else {
            buffer.put("No source open. Press o to open a file.", x: body.x + 2, y: body.y + 1)
            return
        }
        let (tableRect, inspectorRect) = layout(body, state)
        drawTable(&buffer, tableRect, state, session)
        if let inspectorRect {
            let total = state.records.rowCount(total: session.count)
            if total > 0, state.records.cursor < total {
                InspectorView.draw(&buffer, inspectorRect, session: session, record: state.records.record(atRow: state.records.cursor),
                                   reveal: state.records.revealSecrets)
            } else {
                buffer.box(inspectorRect, title: "Inspector", style: Theme.dim)
            }
        }
    }

    /// Columns a record-number column needs to show `largest` whole (10,000,000 rows: 7 digits).
    static func numberWidth(largest: Int, minimum: Int = 3) -> Int { max(minimum, String(max(0, largest)).count) }

    /// The value columns drawn: the chosen ones (`c`), from the horizontal scroll position on.
    static func valueNames(_ state: AppState, _ session: SourceSession) -> (names: [String], hiddenLeft: Int) {
        let shown = state.columnChoice.shown(session.columns)
        let offset = min(state.records.columnOffset, max(0, shown.count - 1))
        return (Array(shown.dropFirst(offset)), offset)
    }

    /// The table's columns for `count` records with value columns `names`, in `width` cells.
    static func columns(count: Int, names: [String], width: Int, withResult: Bool) -> [Table.Column] {
        let digits = numberWidth(largest: count - 1)
        var cols = [Table.Column("#", width: digits, alignRight: true), Table.Column("chk", width: 4)]
        var used = digits + 1 + 4 + 1
        if withResult {
            cols.append(Table.Column("result", width: 6))
            used += 7
        }
        let fixed = cols.count
        for (i, name) in names.enumerated() {
            let want = i == 0 ? 28 : (name.contains("name") ? 18 : 14)
            let w = min(want, width - used)
            if w < 6 { break }
            cols.append(Table.Column(name, width: w))
            used += w + 1
        }
        // Give the spare room to the identifier column.
        if cols.count > fixed, used < width { cols[fixed].width += width - used }
        return cols
    }

    static func drawTable(_ buffer: inout ScreenBuffer, _ rect: Rect, _ state: AppState, _ session: SourceSession) {
        let outcomes = state.records.outcomes
        let (names, hiddenLeft) = valueNames(state, session)
        var cols = columns(count: session.count, names: names, width: rect.width, withResult: outcomes != nil)
        let fixed = outcomes == nil ? 2 : 3
        let hiddenRight = names.count - (cols.count - fixed)
        markHeaders(&cols, fixed: fixed, names: names, sort: state.records.sort, identifierField: session.identifier.field,
                    hiddenLeft: hiddenLeft, hiddenRight: hiddenRight)
        let records = state.records
        let rows = records.rowCount(total: session.count)
        let unreadable = Unreadable()
        let table = Table(columns: cols, rowCount: rows, top: records.top, selected: records.cursor, headerStyle: Theme.header) { row in
            let n = records.record(atRow: row)
            let status = session.status(n)
            let edited = session.isEdited(n) && status != .excluded
            let value = session.record(n)
            if value == nil, let problem = session.loadProblem(n) { unreadable.rows.append((row, problem.message)) }
            return cols.indices.map { k -> Table.Cell in
                switch k {
                case 0: return Table.Cell(String(n))
                case 1:
                    switch status {
                    case .valid: return Table.Cell(edited ? "ok*" : "ok", style: Theme.ok)
                    case .warnings: return Table.Cell(edited ? "wrn*" : "warn", style: Theme.warning)
                    case .errors: return Table.Cell(edited ? "err*" : "err", style: Theme.error)
                    case .excluded: return Table.Cell("excl", style: Theme.dim)
                    }
                case 2 where outcomes != nil:
                    let text = outcomes!.label(n)
                    // No result yet (never sent, invalid): a plain cell, not a green block on the selected row.
                    return Table.Cell(text, style: text.isEmpty ? .plain : text == "FAIL" ? Theme.error : (text == "skip" ? Theme.warning : Theme.ok))
                default:
                    let field = names[k - fixed]
                    let text = Secrets.isSecretField(field) ? Secrets.mask : JSONText.cellText(value?[field])
                    return Table.Cell(text, style: status == .excluded ? Theme.dim : .plain)
                }
            }
        }
        table.render(into: &buffer, area: rect)
        if hiddenRight > 0, rect.width > 20 {
            // More value columns to the right (→ scrolls).
            let more = " +\(hiddenRight) ▸"
            buffer.put(more, x: rect.maxX - more.cellWidth, y: rect.y, style: Theme.header)
        }
        if records.sorting, rect.width > 30 {
            buffer.put(" sorting… ", x: rect.maxX - 18, y: rect.y, style: Theme.key)
        }
        drawMarks(&buffer, rect, records, table: table, numberWidth: cols[0].width)
        highlightMatches(&buffer, rect, records, dataX: rect.x + cols.prefix(fixed).reduce(0) { $0 + $1.width + table.gap })
        if rows == 0 {
            let text = records.filtering ? "filtering…" : (records.rows != nil ? "no records \(records.filter.label)" : "no records yet")
            buffer.put(text, x: rect.x + 1, y: rect.y + 2, style: Theme.dim)
            return
        }
        // A record that could not be read says why across its row (still highlighted when selected).
        for (row, message) in unreadable.rows {
            guard let line = table.rowRect(row, in: rect) else { continue }
            buffer.put("unreadable: " + message, x: rect.x + cols[0].width + 6, y: line.y, style: Theme.error, maxWidth: rect.width - cols[0].width - 6)
            if row == records.cursor { buffer.restyle(line) { $0.reverse = true } }
        }
    }
}

extension RecordsView {
    /// Header marks: the sort column's arrow, and ◂ / ▸ where value columns are scrolled off.
    static func markHeaders(_ cols: inout [Table.Column], fixed: Int, names: [String], sort: RecordSort, identifierField: String,
                            hiddenLeft: Int, hiddenRight: Int) {
        switch sort.key {
        case _ where sort.isDefault: break   // the source's order needs no mark
        case .number: cols[0].title += sort.arrow
        case .status: cols[1].title += sort.arrow
        case .identifier:
            if let i = names.prefix(cols.count - fixed).firstIndex(of: identifierField) { cols[fixed + i].title += " " + sort.arrow }
        }
        guard cols.count > fixed else { return }
        if hiddenLeft > 0 { cols[fixed].title = "◂\(hiddenLeft) " + cols[fixed].title }
    }

    /// The text being searched for (the last `/` search, else a "containing" filter), if any.
    static func matchText(_ records: RecordsState) -> String? {
        if let s = records.search, !s.isEmpty { return s }
        let t = records.filter.searchText
        return t.isEmpty ? nil : t
    }

    /// Marks where the searched text shows in the value columns of the visible rows.
    static func highlightMatches(_ buffer: inout ScreenBuffer, _ rect: Rect, _ records: RecordsState, dataX: Int) {
        guard let term = matchText(records), dataX < rect.maxX, rect.height > 1 else { return }
        let area = Rect(x: dataX, y: rect.y + 1, width: rect.maxX - dataX, height: rect.height - 1)
        buffer.highlight(term, in: area) { $0 = $0.reverse ? Theme.match.reversed : Theme.match }
    }
}

/// Rows found unreadable while the table drew them.
private final class Unreadable {
    var rows: [(Int, String)] = []
}
