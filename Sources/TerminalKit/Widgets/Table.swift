/// A table: a header row of column titles, then one row per line from `top`, each cell padded
/// or cut (with `…`) to its column's width, columns `gap` apart and clipped at the area's right
/// edge; the selected row is drawn in reverse video across the whole area. Rows are asked for
/// only when visible, so a table of a million rows draws as fast as one of twenty.
public struct Table {
    public struct Column: Sendable, Equatable {
        public var title: String
        public var width: Int
        public var alignRight: Bool
        public init(_ title: String, width: Int, alignRight: Bool = false) {
            self.title = title
            self.width = width
            self.alignRight = alignRight
        }
    }
    public struct Cell: Sendable, Equatable {
        public var text: String
        public var style: Style
        public init(_ text: String, style: Style = .plain) {
            self.text = text
            self.style = style
        }
    }

    public var columns: [Column]
    public var rowCount: Int
    /// The first row shown.
    public var top: Int
    public var selected: Int?
    public var headerStyle: Style
    public var gap: Int
    /// The cells of a row, one per column (missing cells are left blank).
    public var row: (Int) -> [Cell]

    public init(columns: [Column], rowCount: Int, top: Int = 0, selected: Int? = nil, headerStyle: Style = Style(bold: true, underline: true),
                gap: Int = 1, row: @escaping (Int) -> [Cell]) {
        self.columns = columns
        self.rowCount = rowCount
        self.top = top
        self.selected = selected
        self.headerStyle = headerStyle
        self.gap = gap
        self.row = row
    }

    /// Rows that fit under the header in an area `height` rows tall.
    public static func visibleRows(height: Int) -> Int { max(0, height - 1) }

    /// The screen row of table row `r` in `area`, or nil when it is not visible.
    public func rowRect(_ r: Int, in area: Rect) -> Rect? {
        let i = r - top
        guard i >= 0, i < Self.visibleRows(height: area.height), r < rowCount else { return nil }
        return Rect(x: area.x, y: area.y + 1 + i, width: area.width, height: 1)
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        drawCells(&buffer, area, y: area.y, columns.map { Cell($0.title, style: headerStyle) })
        for i in 0..<Self.visibleRows(height: area.height) {
            let r = top + i
            guard r < rowCount else { break }
            drawCells(&buffer, area, y: area.y + 1 + i, row(r))
        }
        if let selected, let rect = rowRect(selected, in: area) {
            buffer.restyle(rect) { $0.reverse = true }
        }
    }

    private func drawCells(_ buffer: inout ScreenBuffer, _ area: Rect, y: Int, _ cells: [Cell]) {
        var x = area.x
        for (k, c) in columns.enumerated() {
            let width = min(c.width, area.maxX - x)
            guard width > 0 else { break }
            if k < cells.count {
                buffer.putFitted(cells[k].text, x: x, y: y, width: width, style: cells[k].style, alignRight: c.alignRight)
            }
            x += c.width + gap
        }
    }
}
