import Foundation
import MigrationCore
import TerminalKit

/// The bulk overlay: the operations, the field and value, the preview's counts and the keys.
enum BulkView {
    static func draw(_ buffer: inout ScreenBuffer, _ b: BulkState) {
        let kinds = BulkState.Kind.allCases
        let lines = kinds.count + 8
        let width = min(buffer.width - 2, 78)
        let rect = buffer.bounds.centered(width: width, height: min(buffer.height - 1, lines + 2))
        buffer.fill(rect)
        buffer.box(rect, title: "Bulk operation on \(Format.count(b.records.count)) marked record\(b.records.count == 1 ? "" : "s")",
                   style: Theme.key.bolded)
        let inner = rect.inset(1)
        let x = inner.x + 1, w = inner.width - 2
        var y = inner.y
        for kind in kinds {
            let chosen = kind == b.kind
            var style: Style = chosen ? Theme.selected : .plain
            if chosen, b.focus != .list { style = Theme.key.bolded }
            buffer.put("\(kind.rawValue + 1) \(kind.title)", x: x, y: y, style: style, maxWidth: w)
            y += 1
        }
        y += 1
        if b.kind.needsField {
            y = field(&buffer, "field", b.field, focused: b.focus == .field, x: x, y: y, width: w,
                      hint: b.kind == .trim ? "(empty: every string)" : nil)
        }
        if b.kind.needsValue {
            y = field(&buffer, b.kind.valueLabel, b.value, focused: b.focus == .value, x: x, y: y, width: w,
                      hint: b.kind == .phone ? "(US, GB, JP…)" : "(JSON or text)")
        }
        y = max(y, inner.y + kinds.count + 3) + 1
        switch b.phase {
        case .choosing:
            if let error = b.error { buffer.put(error, x: x, y: y, style: Theme.error, maxWidth: w) }
        case .previewing(let done, let total):
            let pct = total == 0 ? 0 : done * 100 / total
            buffer.put("working it out and validating the changed records… \(pct)%", x: x, y: y, style: Theme.dim, maxWidth: w)
        case .preview(let c):
            for (i, text) in summary(c, operation: b.request?.operation).enumerated() {
                buffer.put(text, x: x, y: y + i, style: i == 0 ? Style.plain.bolded : .plain, maxWidth: w)
            }
        }
        let footer: String
        switch b.phase {
        case .choosing: footer = "[Enter] preview  [Tab] field  [↑↓/1-7] operation  [Esc] close"
        case .previewing: footer = "[Esc] stop"
        case .preview(let c): footer = c.changed > 0 ? "[y] apply (one undo step: u)  [Esc] back" : "[y] close  [Esc] back"
        }
        buffer.put(footer, x: x, y: inner.maxY - 1, style: Theme.key, maxWidth: w)
    }

    /// "9,873 of 10,035 records change", "9,800 become valid · 73 stay invalid · 0 become invalid",
    /// "records with errors in the file: 10,035 → 235"
    static func summary(_ c: BulkPlan.Counts, operation: BulkOperation?) -> [String] {
        var lines = ["\(Format.count(c.changed)) of \(Format.count(c.targeted)) record\(c.targeted == 1 ? "" : "s") change"]
        if operation != .exclude {
            var parts = ["\(Format.count(c.becomeValid)) become valid"]
            if c.stillInvalid > 0 { parts.append("\(Format.count(c.stillInvalid)) stay invalid") }
            parts.append("\(Format.count(c.becomeInvalid)) become invalid")
            lines.append(parts.joined(separator: " · "))
        }
        lines.append("records with errors in the file: \(Format.count(c.invalidBefore)) → \(Format.count(c.invalidAfter))")
        return lines
    }

    /// A labelled one-line field; puts the terminal cursor in it when focused. Returns the next row.
    static func field(_ buffer: inout ScreenBuffer, _ label: String, _ editor: LineEditor, focused: Bool,
                      x: Int, y: Int, width: Int, hint: String?) -> Int {
        let labelWidth = 8
        buffer.put(label + ":", x: x, y: y, style: focused ? Theme.key.bolded : Theme.dim)
        let room = max(1, width - labelWidth - (hint.map { $0.cellWidth + 1 } ?? 0))
        let box = Rect(x: x + labelWidth, y: y, width: room, height: 1)
        buffer.fill(box, style: Style(underline: true))
        buffer.put(editor.text, x: box.x, y: y, style: Style(underline: true), maxWidth: room)
        if let hint { buffer.put(hint, x: box.maxX + 1, y: y, style: Theme.dim) }
        if focused { buffer.cursor = .init(x: box.x + min(editor.cursorColumn, room - 1), y: y) }
        return y + 1
    }
}
