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

    struct Column {
        var title: String
        var width: Int
        var alignRight = false
    }

    static func columns(_ session: SourceSession, width: Int, withResult: Bool) -> [Column] {
        let digits = max(3, String(max(0, session.count - 1)).count)
        var cols = [Column(title: "#", width: digits, alignRight: true), Column(title: "chk", width: 4)]
        var used = digits + 1 + 4 + 1
        if withResult {
            cols.append(Column(title: "result", width: 6))
            used += 7
        }
        let fixed = cols.count
        for (i, name) in session.columns.enumerated() {
            let want = i == 0 ? 28 : (name.contains("name") ? 18 : 14)
            let w = min(want, width - used)
            if w < 6 { break }
            cols.append(Column(title: name, width: w))
            used += w + 1
        }
        // Give the spare room to the identifier column.
        if cols.count > fixed, used < width { cols[fixed].width += width - used }
        return cols
    }

    static func drawTable(_ buffer: inout ScreenBuffer, _ rect: Rect, _ state: AppState, _ session: SourceSession) {
        let outcomes = state.records.outcomes
        let cols = columns(session, width: rect.width, withResult: outcomes != nil)
        let fixed = outcomes == nil ? 2 : 3
        var x = rect.x
        for c in cols {
            buffer.putFitted(c.title, x: x, y: rect.y, width: c.width, style: Theme.header, alignRight: c.alignRight)
            x += c.width + 1
        }
        let rows = state.records.rowCount(total: session.count)
        let height = rect.height - 1
        if rows == 0 {
            let text = state.records.filtering ? "filtering…" : (state.records.rows != nil ? "no records \(state.records.filter.label)" : "no records yet")
            buffer.put(text, x: rect.x + 1, y: rect.y + 2, style: Theme.dim)
            return
        }
        for i in 0..<height {
            let row = state.records.top + i
            guard row < rows else { break }
            let n = state.records.record(atRow: row)
            let y = rect.y + 1 + i
            let status = session.status(n)
            let edited = session.isEdited(n) && status != .excluded
            let value = session.record(n)
            x = rect.x
            for (k, c) in cols.enumerated() {
                let text: String
                var style = Style.plain
                switch k {
                case 0: text = String(n)
                case 1:
                    switch status {
                    case .valid: text = edited ? "ok*" : "ok"; style = Theme.ok
                    case .warnings: text = edited ? "wrn*" : "warn"; style = Theme.warning
                    case .errors: text = edited ? "err*" : "err"; style = Theme.error
                    case .excluded: text = "excl"; style = Theme.dim
                    }
                case 2 where outcomes != nil:
                    text = outcomes!.label(n)
                    style = text == "FAIL" ? Theme.error : (text == "skip" ? Theme.warning : Theme.ok)
                default:
                    let field = session.columns[k - fixed]
                    text = Secrets.isSecretField(field) ? Secrets.mask : Widgets.cellText(value?[field])
                    if status == .excluded { style = Theme.dim }
                }
                buffer.putFitted(text, x: x, y: y, width: c.width, style: style, alignRight: c.alignRight)
                x += c.width + 1
            }
            if value == nil, let problem = session.loadProblem(n) {
                buffer.put("unreadable: " + problem.message, x: rect.x + cols[0].width + 6, y: y, style: Theme.error, maxWidth: rect.width - cols[0].width - 6)
            }
            if row == state.records.cursor {
                buffer.restyle(Rect(x: rect.x, y: y, width: rect.width, height: 1)) { $0.reverse = true }
            }
        }
    }
}
