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
        rows += p.entries.map { ($0.name + ($0.isDirectory ? "/" : ""), $0.isDirectory ? "" : Format.bytes($0.size), $0.format ?? ($0.isDirectory ? "" : "?"), $0.isDirectory) }
        let start = max(0, min(p.selected - inner.height / 2, rows.count - inner.height))
        for (i, row) in rows.dropFirst(start).prefix(inner.height).enumerated() {
            let y = inner.y + i
            let style: Style = row.3 ? Theme.key : (row.2 == "?" || row.2 == SourceKind.notASource ? Theme.dim : .plain)
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
}
