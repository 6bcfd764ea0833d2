import MigrationCore
import TerminalKit

/// The mapping step's preview: the first records as they will be sent, one per line, a column
/// per field (nested fields dotted), each value cut with `…` to its column rather than wrapped;
/// the columns shown follow the selected row's field. A record that cannot be mapped says why.
enum MappingPreviewView {
    /// Widest a preview column gets; narrowest it is cut to.
    static let maxColumn = 24

    struct Column: Equatable {
        var title: String
        /// One cell per preview row (nil: the record has no such field, or the row is a problem).
        var cells: [String?]
        var width: Int
    }

    static func draw(_ buffer: inout ScreenBuffer, _ rect: Rect, _ preview: MappingPreview, following field: String?) {
        let columns = self.columns(preview.rows)
        let inner = rect.inset(1)
        let (first, shown) = visible(columns, width: inner.width, following: field)
        var title = "The first records as they will be sent"
        if shown.count < columns.count, !shown.isEmpty { title += " · fields \(first + 1)–\(first + shown.count) of \(columns.count)" }
        buffer.box(rect, title: title, style: Theme.dim)
        guard !inner.isEmpty else { return }
        if preview.rows.isEmpty {
            buffer.put("(no records read yet)", x: inner.x, y: inner.y, style: Theme.dim, maxWidth: inner.width)
            return
        }
        var y = inner.y
        if !shown.isEmpty {
            drawCells(&buffer, inner, y: y, shown.map { ($0.title, $0.width) }, style: Theme.header)
            y += 1
        }
        for (r, row) in preview.rows.enumerated() where y < inner.maxY {
            switch row {
            case .record:
                drawCells(&buffer, inner, y: y, shown.map { ($0.cells[r] ?? "", $0.width) }, style: .plain)
                y += 1
            case .problem(let text):
                // Not a value: the whole reason, wrapped, so it can be read.
                for part in TextBox.wrap(text, width: inner.width) where y < inner.maxY {
                    buffer.put(part, x: inner.x, y: y, style: Theme.error, maxWidth: inner.width)
                    y += 1
                }
            }
        }
    }

    private static func drawCells(_ buffer: inout ScreenBuffer, _ area: Rect, y: Int, _ cells: [(String, Int)], style: Style) {
        var x = area.x
        for (text, width) in cells {
            let w = min(width, area.maxX - x)
            guard w > 0 else { break }
            buffer.putFitted(text, x: x, y: y, width: w, style: style)
            x += width + 2
        }
    }

    /// The fields of the preview's records in the order they first appear, with each record's value as text.
    static func columns(_ rows: [MappingPreview.Row]) -> [Column] {
        var order: [String] = []
        var values: [String: [String?]] = [:]
        for (r, row) in rows.enumerated() {
            guard case .record(let record) = row else { continue }
            for (path, text) in leaves(record) {
                if values[path] == nil { order.append(path); values[path] = [String?](repeating: nil, count: rows.count) }
                values[path]![r] = text
            }
        }
        return order.map { title in
            let cells = values[title]!
            let natural = max(title.cellWidth, cells.map { $0?.cellWidth ?? 0 }.max() ?? 0)
            return Column(title: title, cells: cells, width: max(3, min(natural, maxColumn)))
        }
    }

    /// Dotted paths and values as text: strings as they are, other scalars and arrays as JSON.
    static func leaves(_ value: JSONValue, _ prefix: String = "") -> [(String, String)] {
        switch value {
        case .object(let members) where !members.isEmpty:
            return members.flatMap { leaves($0.value, prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
        case .string(let s):
            return [(prefix, s)]
        default:
            return [(prefix, JSONWriter().string(value))]
        }
    }

    /// The columns that fit in `width` from the first one, or from one that brings the selected
    /// row's field (or the first column inside it) wholly into view; the last one shown may be
    /// cut to the width left.
    static func visible(_ columns: [Column], width: Int, following field: String?) -> (first: Int, shown: [Column]) {
        /// The columns from `start`, and how many of them are whole.
        func fitting(from start: Int) -> (shown: [Column], whole: Int) {
            var used = 0
            var out: [Column] = []
            for var c in columns[start...] {
                if !out.isEmpty, used + c.width > width {
                    if width - used >= 8 {
                        c.width = width - used
                        return (out + [c], out.count)
                    }
                    break
                }
                out.append(c)
                used += c.width + 2
            }
            return (out, out.count)
        }
        guard !columns.isEmpty else { return (0, []) }
        var start = 0
        if let field {
            let base = field.hasSuffix(".*") ? String(field.dropLast()) : field
            if let target = columns.firstIndex(where: { $0.title == base || $0.title.hasPrefix(base.hasSuffix(".") ? base : base + ".") }) {
                while start < target, fitting(from: start).whole <= target - start { start += 1 }
            }
        }
        return (start, fitting(from: start).shown)
    }
}
