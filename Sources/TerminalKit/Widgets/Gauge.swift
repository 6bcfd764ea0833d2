import Foundation

/// A one-row progress bar with its percentage: `[██████░░░░]  60%`. The bar takes the area's
/// width less seven columns (brackets and the percentage); only the area's first row is drawn.
public struct Gauge: Sendable, Equatable {
    /// 0...1; out-of-range and non-finite values are clamped (NaN shows as 0%).
    public var fraction: Double
    public var filledStyle: Style
    public var emptyStyle: Style

    public init(fraction: Double, filledStyle: Style = .plain, emptyStyle: Style = Style.plain.dimmed) {
        self.fraction = fraction
        self.filledStyle = filledStyle
        self.emptyStyle = emptyStyle
    }

    public func render(into buffer: inout ScreenBuffer, area: Rect) {
        guard !area.isEmpty else { return }
        let inner = max(0, area.width - 7)
        let f = min(1, max(0, fraction.isFinite ? fraction : 0))
        let filled = Int((Double(inner) * f).rounded(.down))
        let x = area.x, y = area.y
        buffer.put("[", x: x, y: y, maxWidth: area.width)
        buffer.put(String(repeating: "█", count: filled), x: x + 1, y: y, style: filledStyle)
        buffer.put(String(repeating: "░", count: inner - filled), x: x + 1 + filled, y: y, style: emptyStyle)
        buffer.put("]" + String(format: "%4d%%", Int(f * 100)), x: x + 1 + inner, y: y, maxWidth: max(0, area.maxX - (x + 1 + inner)))
    }
}
