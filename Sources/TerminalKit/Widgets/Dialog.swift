/// A box centred in the area with a title in its border: its text wrapped to at most
/// `maxTextWidth` columns with a blank row above and below, and an optional footer (the keys
/// that answer it) centred on the last inner row. The box is at least `minWidth` wide and
/// never taller or wider than the area allows.
public struct Dialog: Sendable, Equatable {
    public var title: String
    public var lines: [String]
    public var footer: String?
    public var borderStyle: Style
    public var footerStyle: Style
    public var minWidth: Int
    public var maxTextWidth: Int

    public init(title: String, lines: [String], footer: String? = nil, borderStyle: Style = .plain, footerStyle: Style = .plain,
                minWidth: Int = 40, maxTextWidth: Int = 84) {
        self.title = title
        self.lines = lines
        self.footer = footer
        self.borderStyle = borderStyle
        self.footerStyle = footerStyle
        self.minWidth = minWidth
        self.maxTextWidth = maxTextWidth
    }

    /// The wrapped text for an area `width` columns wide.
    public func wrapped(areaWidth width: Int) -> [String] {
        let wrapWidth = min(width - 8, maxTextWidth)
        return lines.flatMap { TextBox.wrap($0, width: wrapWidth) }
    }

    /// Where the box goes in `area`.
    public func frame(in area: Rect) -> Rect {
        let text = wrapped(areaWidth: area.width)
        let width = min(area.width - 2, max(title.cellWidth, text.map(\.cellWidth).max() ?? 0) + 6)
        return area.centered(width: max(minWidth, width), height: min(area.height - 2, text.count + 5))
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        let text = wrapped(areaWidth: area.width)
        let rect = frame(in: area)
        buffer.fill(rect)
        buffer.box(rect, title: title, style: borderStyle)
        let inner = rect.inset(1)
        for (i, l) in text.prefix(max(0, inner.height - 2)).enumerated() {
            buffer.put(l, x: inner.x + 2, y: inner.y + 1 + i, maxWidth: inner.width - 3)
        }
        if let footer {
            buffer.put(footer, x: inner.x + max(1, (inner.width - footer.cellWidth) / 2), y: inner.maxY - 1, style: footerStyle)
        }
    }
}
