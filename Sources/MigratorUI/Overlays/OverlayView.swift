import Foundation
import TerminalKit

/// Help, confirmations and menus, drawn over the screen.
enum OverlayView {
    static func help(_ buffer: inout ScreenBuffer, _ state: AppState) {
        let bindings = KeyMap.bindings(for: state.screen)
        // (keys, help, why not now — nil when the key works)
        var lines: [(String, String, String?)] = bindings.map { ($0.keyLabel, $0.help, $0.disabledReason(state)) }
        lines.append(("Esc", "Close a prompt or a dialog; back", nil))
        if !bindings.contains(where: { $0.keys.contains(.char(":")) }) {
            lines.append((":", "Commands: a record number to jump to, :export FILE, :open FILE, :q", nil))
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
            let enabled = l.2 == nil
            buffer.putFitted(l.0, x: inner.x + 1, y: inner.y + i, width: keyWidth, style: enabled ? Theme.key : Theme.dim)
            buffer.put(l.1 + (l.2.map { " — not now: " + $0 } ?? ""), x: inner.x + 1 + keyWidth, y: inner.y + i,
                       style: enabled ? .plain : Theme.dim, maxWidth: inner.width - keyWidth - 2)
        }
        if !state.logPath.isEmpty {
            buffer.put("Log file: \(state.logPath)", x: inner.x + 1, y: inner.maxY - 1, style: Theme.dim, maxWidth: inner.width - 2)
        }
    }

    static func confirm(_ buffer: inout ScreenBuffer, _ c: Confirmation) {
        Dialog(title: c.title, lines: c.lines, footer: "[\(c.key)] confirm    [Esc] cancel",
               borderStyle: Theme.warning.bolded, footerStyle: Theme.key).render(into: &buffer, area: buffer.bounds)
    }

    static func banner(_ buffer: inout ScreenBuffer, _ b: EndBanner) {
        Dialog(title: b.title, lines: b.lines, footer: "[Enter] close", borderStyle: Theme.key.bolded, footerStyle: Theme.key)
            .render(into: &buffer, area: buffer.bounds)
    }

    static func menu(_ buffer: inout ScreenBuffer, _ m: Menu) {
        let width = min(buffer.width - 4, max(30, (m.items.map(\.cellWidth).max() ?? 0) + 6))
        let rect = buffer.bounds.centered(width: width, height: min(buffer.height - 2, m.items.count + 2))
        buffer.fill(rect)
        buffer.box(rect, title: m.title, style: Theme.key)
        let inner = rect.inset(1)
        List(m.items.map { " " + $0 }, selected: m.selected, selectedStyle: Theme.selected).render(into: &buffer, area: inner)
    }
}
