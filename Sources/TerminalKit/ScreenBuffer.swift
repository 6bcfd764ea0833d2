/// An in-memory grid of cells: what every screen renders into, what tests compare, and what
/// a `Terminal` diffs against the previous frame to write only what changed.
public struct ScreenBuffer: Sendable, Equatable {
    /// A cell position.
    public struct Point: Sendable, Hashable {
        public var x: Int, y: Int
        public init(x: Int, y: Int) { self.x = x; self.y = y }
    }

    public let width: Int
    public let height: Int
    public private(set) var cells: [Cell]
    /// Where the terminal cursor should be shown (a text field being edited), or nil to hide it.
    public var cursor: Point?

    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    public var bounds: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { cells[y * width + x] = newValue }
    }

    /// Fills a rectangle with blanks of `style`.
    public mutating func fill(_ rect: Rect, style: Style = .plain, with text: String = " ") {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { self[x, y] = Cell(text, style: style) } }
    }

    /// Writes `text` at (x, y), clipped to `maxWidth` columns and to the buffer; text cut short by
    /// `maxWidth` ends in `…` so a truncated value never passes for a whole one. A wide character
    /// that would straddle the edge becomes a space. Control characters are shown as `�`.
    /// Returns the columns used.
    @discardableResult
    public mutating func put(_ text: some StringProtocol, x: Int, y: Int, style: Style = .plain, maxWidth: Int? = nil) -> Int {
        guard y >= 0, y < height, x < width else { return 0 }
        let limit = min(width, x + (maxWidth ?? width))
        var col = x
        for ch in text {
            var w = CellWidth.of(ch)
            var glyph = String(ch)
            if CellWidth.isControl(ch) { glyph = "\u{FFFD}"; w = 1 }
            if w == 0 {
                // A combining mark with nothing to combine with in this cell grid: attach to the previous cell.
                if col > x, col - 1 >= 0, col - 1 < width { self[col - 1, y].text += glyph }
                continue
            }
            if col + w > limit {
                if col < limit, w == 2 { self[col, y] = Cell(" ", style: style); col += 1 }
                if maxWidth != nil, col > x, col - 1 >= 0 {
                    let last = self[col - 1, y].isContinuation && col >= 2 ? col - 2 : col - 1
                    if last >= x {
                        clearWide(at: last, y: y)
                        self[last, y] = Cell("…", style: style)
                        if last + 1 < col { self[last + 1, y] = Cell(" ", style: style) }
                    }
                }
                break
            }
            if col >= 0 {
                clearWide(at: col, y: y)
                self[col, y] = Cell(glyph, style: style)
                if w == 2 { clearWide(at: col + 1, y: y); self[col + 1, y] = .continuation(style) }
            }
            col += w
        }
        return max(0, col - x)
    }

    /// Writes `text` padded or truncated to exactly `width` columns.
    public mutating func putFitted(_ text: some StringProtocol, x: Int, y: Int, width: Int, style: Style = .plain, alignRight: Bool = false) {
        put(text.fitted(toWidth: width, alignRight: alignRight), x: x, y: y, style: style, maxWidth: width)
    }

    /// Applies `change` to the style of every cell in `rect` (highlight a row, say).
    public mutating func restyle(_ rect: Rect, _ change: (inout Style) -> Void) {
        let r = clip(rect)
        guard !r.isEmpty else { return }
        for y in r.y..<r.maxY { for x in r.x..<r.maxX { change(&cells[y * width + x].style) } }
    }

    /// Draws a box border around `rect` with an optional title in its top edge.
    public mutating func box(_ rect: Rect, title: String? = nil, style: Style = .plain) {
        guard rect.width >= 2, rect.height >= 2 else { return }
        let r = rect
        put("┌" + String(repeating: "─", count: r.width - 2) + "┐", x: r.x, y: r.y, style: style)
        for y in (r.y + 1)..<(r.maxY - 1) {
            put("│", x: r.x, y: y, style: style)
            put("│", x: r.maxX - 1, y: y, style: style)
        }
        put("└" + String(repeating: "─", count: r.width - 2) + "┘", x: r.x, y: r.maxY - 1, style: style)
        if let title, r.width > 4 { put(" \(title) ", x: r.x + 2, y: r.y, style: style.bolded, maxWidth: r.width - 4) }
    }

    /// The text of one row (continuation cells omitted, trailing spaces kept).
    public func line(_ y: Int) -> String {
        var s = ""
        for x in 0..<width { s += self[x, y].text }
        return s
    }

    /// The whole screen as text, one line per row with trailing spaces trimmed: what snapshot tests compare.
    public var text: String {
        (0..<height).map { y -> String in
            var l = line(y)
            while l.hasSuffix(" ") { l.removeLast() }
            return l
        }.joined(separator: "\n")
    }

    public static func == (a: ScreenBuffer, b: ScreenBuffer) -> Bool {
        a.width == b.width && a.height == b.height && a.cells == b.cells && a.cursor == b.cursor
    }

    func clip(_ r: Rect) -> Rect {
        let x0 = max(0, r.x), y0 = max(0, r.y)
        return Rect(x: x0, y: y0, width: min(width, r.maxX) - x0, height: min(height, r.maxY) - y0)
    }

    /// Overwriting half of a wide character blanks its other half, so no stray half-glyph remains.
    private mutating func clearWide(at x: Int, y: Int) {
        guard x >= 0, x < width else { return }
        if self[x, y].isContinuation, x > 0 { self[x - 1, y].text = " " }
        if x + 1 < width, self[x + 1, y].isContinuation, !self[x, y].isContinuation { self[x + 1, y].text = " " }
    }
}
