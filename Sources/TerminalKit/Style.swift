/// One of the eight ANSI colours, or the terminal's own default.
public enum Color: UInt8, Sendable, Hashable, CaseIterable {
    case `default`, black, red, green, yellow, blue, magenta, cyan, white
}

/// How a cell is drawn: colours and attributes. `NO_COLOR` terminals keep the attributes only.
public struct Style: Sendable, Hashable {
    public var foreground: Color
    public var background: Color
    public var bold: Bool
    public var reverse: Bool
    public var underline: Bool
    public var dim: Bool

    public init(foreground: Color = .default, background: Color = .default, bold: Bool = false,
                reverse: Bool = false, underline: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.background = background
        self.bold = bold
        self.reverse = reverse
        self.underline = underline
        self.dim = dim
    }

    public static let plain = Style()
    public static func fg(_ c: Color) -> Style { Style(foreground: c) }

    public var bolded: Style { var s = self; s.bold = true; return s }
    public var reversed: Style { var s = self; s.reverse = !s.reverse; return s }
    public var underlined: Style { var s = self; s.underline = true; return s }
    public var dimmed: Style { var s = self; s.dim = true; return s }

    /// The same style without colours (for `NO_COLOR` / `--no-color`): meaning is carried by attributes.
    public var monochrome: Style {
        Style(bold: bold, reverse: reverse, underline: underline, dim: dim)
    }
}
