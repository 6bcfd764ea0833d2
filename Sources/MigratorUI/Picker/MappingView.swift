import Foundation
import TerminalKit

extension PickerView {
    static func drawMapping(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let m = state.mapping
        let (top, previewRect) = body.splitTop(max(4, min(m.columns.count + 3, body.height / 2)))
        let preset = m.columns.first?.header.hasPrefix("/") ?? false
        buffer.box(top, title: (preset ? "Fields of " : "Columns of ") + "\((m.path as NSString).lastPathComponent) → record fields", style: Theme.key)
        let inner = top.inset(1)
        buffer.put((preset ? "source (JSON pointer)" : "CSV header").fitted(toWidth: 28) + "  field", x: inner.x, y: inner.y, style: Theme.header)
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
            for part in TextBox.wrap(line, width: pi.width) where y < pi.maxY {
                buffer.put(part, x: pi.x, y: y, style: line.hasPrefix("line ") ? Theme.error : .plain)
                y += 1
            }
        }
    }
}
