/// A vertical list of one-line items, scrolled so the selected item is visible (it sits on the
/// last row once the list is longer than the area), each item padded or cut to the area's width.
public struct List: Sendable, Equatable {
    public var items: [String]
    public var selected: Int?
    public var style: Style
    public var selectedStyle: Style

    public init(_ items: [String], selected: Int? = nil, style: Style = .plain, selectedStyle: Style = Style(reverse: true)) {
        self.items = items
        self.selected = selected
        self.style = style
        self.selectedStyle = selectedStyle
    }

    /// The first item shown in an area `height` rows tall.
    public func top(height: Int) -> Int { max(0, (selected ?? 0) - height + 1) }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let start = top(height: area.height)
        for (i, item) in items.dropFirst(start).prefix(area.height).enumerated() {
            buffer.putFitted(item, x: area.x, y: area.y + i, width: area.width, style: start + i == selected ? selectedStyle : style)
        }
    }
}
