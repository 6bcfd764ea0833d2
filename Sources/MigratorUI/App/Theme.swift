import TerminalKit

/// The styles the screens use, by meaning. Colour is never the only carrier of meaning:
/// statuses are also words ("err", "warn"), selection is reverse video.
enum Theme {
    static let title = Style(foreground: .black, background: .cyan, bold: true)
    static let header = Style(bold: true, underline: true)
    static let selected = Style(reverse: true)
    static let error = Style(foreground: .red, bold: true)
    static let warning = Style(foreground: .yellow)
    static let ok = Style(foreground: .green)
    static let edited = Style(foreground: .cyan, bold: true)
    static let dim = Style(dim: true)
    static let key = Style(foreground: .cyan, bold: true)
    static let secret = Style(foreground: .magenta)
    static let info = Style(foreground: .green)
    /// The title bar's "secrets shown" indicator while S is on (words as well as colour).
    static let revealed = Style(foreground: .white, background: .magenta, bold: true)
    /// A search match in a table: underlined as well, so it shows without colour.
    static let match = Style(foreground: .black, background: .yellow, bold: true, underline: true)
}
