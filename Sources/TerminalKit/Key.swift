/// A key press, decoded by the terminal backend. Screens match on these, never on raw codes.
public enum Key: Sendable, Hashable, CustomStringConvertible {
    case char(Character)
    /// Ctrl plus a letter (`ctrl("r")` is Ctrl-R).
    case ctrl(Character)
    /// Alt (Meta) plus a key: the terminal sends Esc immediately followed by the key.
    case alt(Character)
    case enter, escape, tab, backTab, backspace, delete, insert
    case up, down, left, right, home, end, pageUp, pageDown
    case function(Int)

    /// How help and hint bars name the key.
    public var description: String {
        switch self {
        case .char(" "): return "Space"
        case .char(let c): return String(c)
        case .ctrl(let c): return "^" + c.uppercased()
        case .alt(let c): return "Alt-" + String(c)
        case .enter: return "Enter"
        case .escape: return "Esc"
        case .tab: return "Tab"
        case .backTab: return "S-Tab"
        case .backspace: return "Bksp"
        case .delete: return "Del"
        case .insert: return "Ins"
        case .up: return "↑"
        case .down: return "↓"
        case .left: return "←"
        case .right: return "→"
        case .home: return "Home"
        case .end: return "End"
        case .pageUp: return "PgUp"
        case .pageDown: return "PgDn"
        case .function(let n): return "F\(n)"
        }
    }
}

/// What the terminal reports besides keys.
public enum TerminalEvent: Sendable, Hashable {
    case key(Key)
    case resized(width: Int, height: Int)
    /// The screen was given back and taken again (after Ctrl-Z and `fg`): draw it all again.
    case redraw
}
