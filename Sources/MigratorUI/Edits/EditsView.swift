import Foundation
import MigrationCore
import TerminalKit

/// The edits view: a summary line, then one row per changed field: record, line, field, the
/// source's value → the edited value (secrets masked unless revealed).
enum EditsView {
    /// Table rows on screen (the title bar, the summary line, the table header and the two bottom lines take the rest).
    static func visibleRows(_ state: AppState) -> Int { max(1, state.size.height - 5) }

    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let e = state.edits
        var summary = "\(Format.count(e.rows.count)) change\(e.rows.count == 1 ? "" : "s") in \(Format.count(e.recordCount)) edited record\(e.recordCount == 1 ? "" : "s")"
        if !e.filter.isEmpty { summary += " · \(Format.count(e.count)) containing \"\(e.filter)\"" }
        summary += " · diffs against the source's records; w exports them for a reviewer (--edits FILE)"
        buffer.put(summary, x: body.x + 1, y: body.y, style: Theme.key, maxWidth: body.width - 2)
        let area = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        if e.count == 0 {
            let text = e.rows.isEmpty ? "No edits yet: edit a record (Enter on the records screen), or mark records (m, M) and apply an operation (b)."
                                      : "No edit contains \"\(e.filter)\" (Esc clears the filter)."
            buffer.put(text, x: area.x + 2, y: area.y + 1, style: Theme.dim, maxWidth: area.width - 4)
            return
        }
        let largest = e.rows.last?.record ?? 0
        let digits = RecordsView.numberWidth(largest: largest, minimum: 6)
        let lineDigits = RecordsView.numberWidth(largest: e.rows.map(\.line).max() ?? 0, minimum: 4)
        let fieldWidth = min(28, max(10, area.width / 5))
        let rest = max(10, area.width - digits - lineDigits - fieldWidth - 4)
        let oldWidth = rest / 2, newWidth = rest - oldWidth
        let cols = [Table.Column("record", width: digits, alignRight: true), Table.Column("line", width: lineDigits, alignRight: true),
                    Table.Column("field", width: fieldWidth), Table.Column("source", width: oldWidth), Table.Column("→ edited", width: newWidth)]
        let reveal = e.revealSecrets
        let table = Table(columns: cols, rowCount: e.count, top: e.top, selected: e.cursor, headerStyle: Theme.header) { i in
            let row = e.row(at: i)
            let (old, new) = row.texts(reveal: reveal)
            let secret = SecretFields.isSecret(row.pointer) && row.kind != .excluded
            let valueStyle: Style = secret && !reveal ? Theme.secret : .plain
            return [Table.Cell(String(row.record)), Table.Cell(String(row.line)), Table.Cell(row.fieldText, style: Theme.edited),
                    Table.Cell(old, style: row.kind == .added ? Theme.dim : valueStyle),
                    Table.Cell(new, style: row.kind == .excluded || row.kind == .deleted ? Theme.warning : valueStyle)]
        }
        table.render(into: &buffer, area: area)
    }
}
