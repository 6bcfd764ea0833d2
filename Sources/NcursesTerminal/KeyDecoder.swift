import CNcurses
import TerminalKit

/// Turns what `wget_wch` returned into a `TerminalEvent`: pure, so tests need no terminal.
public enum KeyDecoder {
    /// Decodes one input code. `isKeyCode` is true when `wget_wch` returned `KEY_CODE_YES`
    /// (a function key such as `KEY_UP`), false for a character. `size` is the terminal size,
    /// reported with `KEY_RESIZE`. Returns nil for codes the UI does not use.
    public static func decode(_ code: Int32, isKeyCode: Bool, size: (width: Int, height: Int)) -> TerminalEvent? {
        if isKeyCode { return decodeKeyCode(code, size: size) }
        return decodeCharacter(code).map { .key($0) }
    }

    /// A character code: printable text, a control character, Escape, or Delete.
    static func decodeCharacter(_ code: Int32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 8, 127: return .backspace
        case 27: return .escape
        case 1...26:
            // 1 = Ctrl-A … 26 = Ctrl-Z (8, 9, 10, 13 are taken above).
            return .ctrl(Character(Unicode.Scalar(UInt8(96 + code))))
        case 0..<32, 128..<160:
            return nil   // other C0/C1 controls: nothing the UI binds
        default:
            guard code > 0, let scalar = Unicode.Scalar(UInt32(code)) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// A `KEY_*` code from the keypad translation.
    static func decodeKeyCode(_ code: Int32, size: (width: Int, height: Int)) -> TerminalEvent? {
        switch code {
        case KEY_RESIZE: return .resized(width: size.width, height: size.height)
        case KEY_UP: return .key(.up)
        case KEY_DOWN: return .key(.down)
        case KEY_LEFT: return .key(.left)
        case KEY_RIGHT: return .key(.right)
        case KEY_HOME: return .key(.home)
        case KEY_END: return .key(.end)
        case KEY_PPAGE: return .key(.pageUp)
        case KEY_NPAGE: return .key(.pageDown)
        case KEY_BTAB: return .key(.backTab)
        case KEY_IC: return .key(.insert)
        case KEY_DC: return .key(.delete)
        case KEY_BACKSPACE: return .key(.backspace)
        case KEY_ENTER: return .key(.enter)
        default:
            let f1 = cn_key_f(1), f63 = cn_key_f(63)
            if (f1...f63).contains(code) { return .key(.function(Int(code - f1) + 1)) }
            return nil
        }
    }

    /// What an Esc read from the terminal means, given what the next read within the escape
    /// delay returned (nil: nothing came). Alt-x arrives as Esc immediately followed by `x`:
    /// that is one key, `.alt("x")`, never Esc and then `x`. Anything else after Esc (another
    /// Esc, an arrow) is two keys, in order.
    public static func afterEscape(_ next: TerminalEvent?) -> [TerminalEvent] {
        switch next {
        case nil: return [.key(.escape)]
        case .key(.char(let c))?: return [.key(.alt(c))]
        case let other?: return [.key(.escape), other]
        }
    }
}
