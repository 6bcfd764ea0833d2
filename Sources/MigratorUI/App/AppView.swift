import Foundation
import MigrationCore
import TerminalKit

/// Draws the whole screen from the state: title bar, the current screen, the status line and
/// either the hint bar or the prompt, then any overlay. Pure: the same state gives the same cells.
public enum AppView {
    public static func render(_ state: AppState) -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.size.width, height: state.size.height)
        guard buffer.width >= 20, buffer.height >= 6 else {
            buffer.put("window too small", x: 0, y: 0)
            return buffer
        }
        let (titleRow, rest) = buffer.bounds.splitTop(1)
        let (body, bottom) = rest.splitBottom(2)
        drawTitle(&buffer, titleRow, state)
        switch state.screen {
        case .picker: PickerView.draw(&buffer, body, state)
        case .mapping: PickerView.drawMapping(&buffer, body, state)
        case .records: RecordsView.draw(&buffer, body, state)
        case .editor: EditorView.draw(&buffer, body, state)
        case .settings: SettingsView.draw(&buffer, body, state)
        case .progress: ProgressView.draw(&buffer, body, state)
        case .review: ReviewView.draw(&buffer, body, state)
        case .runs: RunsView.draw(&buffer, body, state)
        case .verify: VerifyView.draw(&buffer, body, state)
        case .edits: EditsView.draw(&buffer, body, state)
        }
        drawStatus(&buffer, bottom.row(0), state)
        if let prompt = state.prompt {
            let row = bottom.row(1)
            buffer.fill(row)
            let used = buffer.put(prompt.label, x: row.x, y: row.y, style: Theme.key)
            let room = row.width - used - 1
            // Scroll the text so the cursor stays visible.
            var text = prompt.text.text
            var cursorColumn = prompt.text.cursorColumn
            while cursorColumn > room, !text.isEmpty {
                let first = text.removeFirst()
                cursorColumn -= CellWidth.of(first)
            }
            buffer.put(text, x: row.x + used, y: row.y, maxWidth: room)
            buffer.cursor = .init(x: row.x + used + cursorColumn, y: row.y)
        } else {
            drawHints(&buffer, bottom.row(1), state)
        }
        switch state.overlay {
        case .help?: OverlayView.help(&buffer, state)
        case .confirm(let c)?: OverlayView.confirm(&buffer, c)
        case .menu(let m)?: OverlayView.menu(&buffer, m)
        case .banner(let b)?: OverlayView.banner(&buffer, b)
        case .bulk(let b)?: BulkView.draw(&buffer, b)
        case nil: break
        }
        return buffer
    }

    /// Rows the records table shows at the current size (tests and scrolling use the same figure).
    public static func tableHeight(_ state: AppState) -> Int {
        RecordsView.layout(Rect(x: 0, y: 1, width: state.size.width, height: max(0, state.size.height - 3)), state).table.height - 1
    }

    static func drawTitle(_ buffer: inout ScreenBuffer, _ row: Rect, _ state: AppState) {
        buffer.fill(row, style: Theme.title)
        let names: [Screen: String] = [.picker: "Open a source", .mapping: "CSV columns", .records: "Records", .editor: "Edit record",
                                       .settings: "Import settings", .progress: "Import progress", .review: "Review", .runs: "Runs", .verify: "Verify", .edits: "Edits"]
        var left = " authgear-migrate · \(state.screen == .mapping && state.mapping.preset ? "Source mapping" : names[state.screen]!)"
        if let s = state.session { left += " · " + (s.path as NSString).lastPathComponent }
        var right = ""
        if revealing(state) { right = "◉ SECRETS SHOWN (S hides) " }
        var runText = ""
        if state.run.active { runText = "● importing " } else if state.run.pausedReason != nil, state.run.runID != nil { runText = "‖ run paused " }
        let shown = right + runText
        buffer.put(left, x: row.x, y: row.y, style: Theme.title, maxWidth: max(1, row.width - shown.cellWidth))
        let at = buffer.put(right, x: row.maxX - shown.cellWidth, y: row.y, style: Theme.revealed)
        buffer.put(runText, x: row.maxX - shown.cellWidth + at, y: row.y, style: Theme.title)
    }

    /// Whether the screen shown draws secrets in the clear (S on the records screen or in the editor).
    static func revealing(_ state: AppState) -> Bool {
        switch state.screen {
        case .records: return state.records.revealSecrets
        case .editor: return state.editor.revealSecrets
        case .edits: return state.edits.revealSecrets
        default: return false
        }
    }

    static func drawStatus(_ buffer: inout ScreenBuffer, _ row: Rect, _ state: AppState) {
        buffer.fill(row, style: Style(reverse: true))
        if let s = state.status {
            let style = s.kind == .error ? Style(foreground: .red, bold: true, reverse: true) : Style(reverse: true)
            buffer.put(" " + s.text, x: row.x, y: row.y, style: style, maxWidth: row.width)
            return
        }
        if let failure = state.loading?.readFailure {
            // Stays on screen (not a passing message): the file was not read to its end.
            buffer.put(" \(Format.count(state.session?.count ?? 0)) records · " + failure, x: row.x, y: row.y,
                       style: Style(foreground: .red, bold: true, reverse: true), maxWidth: row.width)
            return
        }
        var parts: [String] = []
        if let session = state.session {
            let total = session.count
            parts.append("\(Format.count(total)) records")
            if let l = state.loading {
                if !l.indexComplete { parts.append("indexing \(Int(l.indexFraction * 100))%") }
                if l.validationComplete, let t = session.totals {
                    parts.append("\(Format.count(t.errors)) invalid")
                    parts.append("\(Format.count(t.warnings)) with warnings")
                    if t.withoutPassword > 0 { parts.append("\(Format.count(t.withoutPassword)) without password") }
                    if t.excluded > 0 { parts.append("\(Format.count(t.excluded)) excluded") }
                } else if l.validationTotal > 0, l.indexComplete, l.validated >= l.validationTotal {
                    parts.append("finding duplicates…")   // every record judged; login IDs compared across the file
                } else if l.validationTotal > 0 {
                    parts.append("validating \(Int(Double(l.validated) / Double(max(1, l.validationTotal)) * 100))%")
                } else {
                    parts.append("validating…")
                }
            }
            let edits = session.workspace.edits.changes.count
            if edits > 0 { parts.append("\(edits) edited") }
            if !state.records.marks.isEmpty { parts.append("\(Format.count(state.records.marks.count)) marked") }
        }
        if state.run.active {
            parts.append("import \(Format.count(state.run.settledCount))/\(Format.count(state.run.plannedCount))")
        }
        var right = ""
        if state.screen == .records, let session = state.session {
            let rows = state.records.rowCount(total: session.count)
            right = "\(Format.count(rows == 0 ? 0 : state.records.cursor + 1))/\(Format.count(rows)) "
            if state.records.filter != .all { right = "[\(state.records.filter.label)\(state.records.filtering ? " …" : "")] " + right }
            if state.records.searching { right = "searching… " + right }
        }
        let rightWidth = right.cellWidth
        buffer.put(" " + parts.joined(separator: " · "), x: row.x, y: row.y, style: Style(reverse: true), maxWidth: row.width - rightWidth - 1)
        if rightWidth < row.width / 2 { buffer.put(right, x: row.maxX - rightWidth, y: row.y, style: Style(bold: true, reverse: true)) }
    }

    /// The hint bar: the bindings marked `hint`, as many as fit, from the same table as help.
    /// Keys that do nothing now are dimmed (help and the status line say why); when not all
    /// hints fit, the dimmed ones give way first.
    static func drawHints(_ buffer: inout ScreenBuffer, _ row: Rect, _ state: AppState) {
        buffer.fill(row)
        func width(_ b: KeyBinding) -> Int { b.keys.first!.description.cellWidth + 1 + b.name.cellWidth + 2 }
        var shown = KeyMap.bindings(for: state.screen).filter(\.hint)
        if shown.reduce(0, { $0 + width($1) }) > row.width { shown.removeAll { !$0.isEnabled(state) } }
        var x = row.x
        for b in shown {
            let enabled = b.isEnabled(state)
            if x + width(b) > row.maxX { break }
            x += buffer.put(b.keys.first!.description, x: x, y: row.y, style: enabled ? Theme.key : Theme.dim)
            x += buffer.put(" " + b.name + "  ", x: x, y: row.y, style: enabled ? .plain : Theme.dim)
        }
    }
}
