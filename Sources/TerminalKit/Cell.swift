/// One terminal cell: a grapheme (or nothing, for the right half of a wide character) and its style.
public struct Cell: Sendable, Hashable {
    /// The grapheme drawn here; empty for the second column of a two-column character.
    public var text: String
    public var style: Style

    public init(_ text: String = " ", style: Style = .plain) {
        self.text = text
        self.style = style
    }

    public static let blank = Cell()
    /// The right half of a wide character: the terminal draws nothing here.
    public static func continuation(_ style: Style) -> Cell { Cell("", style: style) }
    public var isContinuation: Bool { text.isEmpty }
}
