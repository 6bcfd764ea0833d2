import Foundation
import TerminalKit

/// The file browser, recent files, and the CSV mapping step.
enum PickerView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let p = state.picker
        let recentHeight = p.recent.isEmpty ? 0 : min(p.recent.count + 2, 7)
        let (listRect, recentRect) = body.splitBottom(recentHeight)
        buffer.box(listRect, title: p.directory, style: p.recentFocused ? Theme.dim : Theme.key)
        let inner = listRect.inset(1)
        var rows: [(String, String, String, Bool)] = [("..", "", "parent directory", true)]
        rows += p.entries.map { ($0.name + ($0.isDirectory ? "/" : ""), $0.isDirectory ? "" : Widgets.bytes($0.size), $0.format ?? ($0.isDirectory ? "" : "?"), $0.isDirectory) }
        let start = max(0, min(p.selected - inner.height / 2, rows.count - inner.height))
        for (i, row) in rows.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + i
            let style: Style = row.3 ? Theme.key : (row.2 == "?" ? Theme.dim : .plain)
            buffer.putFitted(row.0, x: inner.x, y: y, width: max(10, inner.width - 24), style: style)
            buffer.putFitted(row.1, x: inner.maxX - 23, y: y, width: 9, alignRight: true)
            buffer.putFitted(row.2, x: inner.maxX - 12, y: y, width: 12, style: Theme.dim)
            if !p.recentFocused, start + i == p.selected { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.reverse = true } }
        }
        if p.entries.isEmpty {
            buffer.put(p.error ?? "(no files here)", x: inner.x + 2, y: inner.y + 1, style: Theme.dim)
        }
        if recentHeight > 0 {
            buffer.box(recentRect, title: "Recent", style: p.recentFocused ? Theme.key : Theme.dim)
            let ri = recentRect.inset(1)
            for (i, path) in p.recent.prefix(ri.height).enumerated() {
                buffer.put(path, x: ri.x, y: ri.y + i, maxWidth: ri.width)
                if p.recentFocused, i == p.selected { buffer.restyle(Rect(x: ri.x, y: ri.y + i, width: ri.width, height: 1)) { $0.reverse = true } }
            }
        }
    }

    static func drawMapping(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let m = state.mapping
        let (top, previewRect) = body.splitTop(max(4, min(m.columns.count + 3, body.height / 2)))
        buffer.box(top, title: "Columns of \((m.path as NSString).lastPathComponent) → record fields", style: Theme.key)
        let inner = top.inset(1)
        buffer.put("CSV header".fitted(toWidth: 28) + "  field", x: inner.x, y: inner.y, style: Theme.header)
        let start = max(0, m.selected - (inner.height - 2))
        for (i, col) in m.columns.dropFirst(start).prefix(inner.height - 1).enumerated() {
            let y = inner.y + 1 + i
            buffer.putFitted(col.header, x: inner.x, y: y, width: 28)
            buffer.put("→ " + (col.field ?? "(skipped)"), x: inner.x + 30, y: y, style: col.field == nil ? Theme.dim : Theme.ok, maxWidth: inner.width - 30)
            if start + i == m.selected { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.reverse = true } }
        }
        buffer.box(previewRect, title: "The first records as they will be sent", style: Theme.dim)
        let pi = previewRect.inset(1)
        var y = pi.y
        for line in m.preview {
            for part in Widgets.wrap(line, width: pi.width) where y < pi.maxY {
                buffer.put(part, x: pi.x, y: y, style: line.hasPrefix("line ") ? Theme.error : .plain)
                y += 1
            }
        }
    }
}

/// Help, confirmations and menus, drawn over the screen.
enum OverlayView {
    static func help(_ buffer: inout ScreenBuffer, _ state: AppState) {
        let bindings = KeyMap.bindings(for: state.screen)
        var lines: [(String, String, Bool)] = bindings.map { ($0.keyLabel, $0.help, $0.isEnabled(state)) }
        lines.append(("Esc", "Close a prompt or a dialog; back", true))
        if !bindings.contains(where: { $0.keys.contains(.char(":")) }) {
            lines.append((":", "Commands: a record number to jump to, :export FILE, :open FILE, :q", true))
        }
        let keyWidth = min(22, (lines.map { $0.0.cellWidth }.max() ?? 8) + 2)
        let width = min(buffer.width - 4, 116)
        let height = min(buffer.height - 2, lines.count + 5)
        let rect = buffer.bounds.centered(width: width, height: height)
        buffer.fill(rect)
        let inner = rect.inset(1)
        let rows = inner.height - 2
        let offset = min(state.helpOffset, max(0, lines.count - rows))
        let scrolls = lines.count > rows
        buffer.box(rect, title: "Keys — \(state.screen.rawValue) (\(scrolls ? "↑↓ scroll, other keys close" : "any key closes"))", style: Theme.key)
        if scrolls {
            let more = "\(offset + 1)–\(min(lines.count, offset + rows)) of \(lines.count)"
            buffer.put(" \(more) ", x: rect.maxX - more.cellWidth - 4, y: rect.maxY - 1, style: Theme.key)
        }
        for (i, l) in lines.dropFirst(offset).prefix(rows).enumerated() {
            let style: Style = l.2 ? .plain : Theme.dim
            buffer.putFitted(l.0, x: inner.x + 1, y: inner.y + i, width: keyWidth, style: l.2 ? Theme.key : Theme.dim)
            buffer.put(l.1 + (l.2 ? "" : " (not now)"), x: inner.x + 1 + keyWidth, y: inner.y + i, style: style, maxWidth: inner.width - keyWidth - 2)
        }
        if !state.logPath.isEmpty {
            buffer.put("Log file: \(state.logPath)", x: inner.x + 1, y: inner.maxY - 1, style: Theme.dim, maxWidth: inner.width - 2)
        }
    }

    static func confirm(_ buffer: inout ScreenBuffer, _ c: Confirmation) {
        let wrapWidth = min(buffer.width - 8, 84)
        let lines = c.lines.flatMap { Widgets.wrap($0, width: wrapWidth) }
        let width = min(buffer.width - 2, max(c.title.cellWidth, lines.map(\.cellWidth).max() ?? 0) + 6)
        let rect = buffer.bounds.centered(width: max(40, width), height: min(buffer.height - 2, lines.count + 5))
        buffer.fill(rect)
        buffer.box(rect, title: c.title, style: Theme.warning.bolded)
        let inner = rect.inset(1)
        for (i, l) in lines.prefix(inner.height - 2).enumerated() {
            buffer.put(l, x: inner.x + 2, y: inner.y + 1 + i, maxWidth: inner.width - 3)
        }
        let keys = "[\(c.key)] confirm    [Esc] cancel"
        buffer.put(keys, x: inner.x + max(1, (inner.width - keys.cellWidth) / 2), y: inner.maxY - 1, style: Theme.key)
    }

    static func menu(_ buffer: inout ScreenBuffer, _ m: Menu) {
        let width = min(buffer.width - 4, max(30, (m.items.map(\.cellWidth).max() ?? 0) + 6))
        let rect = buffer.bounds.centered(width: width, height: min(buffer.height - 2, m.items.count + 2))
        buffer.fill(rect)
        buffer.box(rect, title: m.title, style: Theme.key)
        let inner = rect.inset(1)
        let start = max(0, m.selected - inner.height + 1)
        for (i, item) in m.items.dropFirst(start).prefix(inner.height).enumerated() {
            buffer.putFitted(" " + item, x: inner.x, y: inner.y + i, width: inner.width, style: start + i == m.selected ? Theme.selected : .plain)
        }
    }
}
