import Foundation
import MigrationCore
import TerminalKit

extension PickerView {
    /// The mapping step: the rows (CSV header or source pointer → field, type or transform) over
    /// the first records as they will be sent.
    static func drawMapping(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let m = state.mapping
        let (top, previewRect) = body.splitTop(max(4, min(m.columns.count + 3, body.height / 2)))
        buffer.box(top, title: (m.preset ? "Fields of " : "Columns of ") + "\((m.path as NSString).lastPathComponent) → record fields", style: Theme.key)
        let inner = top.inset(1)
        let sourceWidth = min(28, max(12, inner.width * 30 / 100))
        let fieldWidth = min(34, max(12, inner.width * 38 / 100))
        let convX = inner.x + sourceWidth + 2 + fieldWidth + 1
        let convWidth = max(0, inner.maxX - convX)
        buffer.put((m.preset ? "source (JSON pointer)" : "CSV header").fitted(toWidth: sourceWidth + 2) + "field".fitted(toWidth: fieldWidth + 1)
                   + (m.preset ? "transform" : "type"), x: inner.x, y: inner.y, style: Theme.header, maxWidth: inner.width)
        let start = max(0, m.selected - (inner.height - 2))
        for (i, col) in m.columns.dropFirst(start).prefix(inner.height - 1).enumerated() {
            let y = inner.y + 1 + i
            buffer.putFitted(col.header, x: inner.x, y: y, width: sourceWidth)
            buffer.put("→ " + (col.field ?? "(skipped)"), x: inner.x + sourceWidth + 2, y: y, style: col.field == nil ? Theme.dim : Theme.ok, maxWidth: fieldWidth)
            if convWidth > 0 {
                if m.preset {
                    let text = col.field == nil ? "" : MappingConversion.summary(col.entry) ?? "—"
                    buffer.put(text, x: convX, y: y, style: text == "—" ? Theme.dim : .plain, maxWidth: convWidth)
                } else if let type = MappingConversion.csvType(col) {
                    buffer.put(type.text, x: convX, y: y, style: type.isDefault ? Theme.dim : .plain, maxWidth: convWidth)
                }
            }
            if start + i == m.selected { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.reverse = true } }
        }
        let selectedField = m.columns.indices.contains(m.selected) ? m.columns[m.selected].field : nil
        MappingPreviewView.draw(&buffer, previewRect, m.preview, following: selectedField)
    }
}
