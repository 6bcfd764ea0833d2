/// A paragraph wrapped to the area's width, breaking at spaces where possible (a word longer
/// than the width is cut), drawn from the area's top and clipped to its height.
public struct TextBox: Sendable, Equatable {
    public var text: String
    public var style: Style

    public init(_ text: String, style: Style = .plain) {
        self.text = text
        self.style = style
    }

    /// The lines `text` wraps to at `width` columns (one per `\n`-separated paragraph at least).
    public func lines(width: Int) -> [String] { Self.wrap(text, width: width) }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        for (i, line) in lines(width: area.width).prefix(max(0, area.height)).enumerated() {
            buffer.put(line, x: area.x, y: area.y + i, style: style, maxWidth: area.width)
        }
    }

    /// Splits text into lines of at most `width` columns, breaking at spaces where possible.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var w = String(word)
                let candidate = line.isEmpty ? w : line + " " + w
                if candidate.cellWidth <= width { line = candidate; continue }
                if !line.isEmpty { lines.append(line); line = "" }
                while w.cellWidth > width {
                    let head = w.truncated(toWidth: width, ellipsis: false)
                    lines.append(head)
                    w = String(w.dropFirst(head.count))
                }
                line = w
            }
            lines.append(line)
        }
        return lines
    }
}
