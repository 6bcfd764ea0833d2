/// How many terminal columns text takes: 2 for East Asian wide and fullwidth characters and
/// emoji, 0 for combining marks, 1 otherwise. Independent of the process locale, so layout
/// is the same in tests and on screen (ncurses draws what `ScreenBuffer` laid out).
public enum CellWidth {
    /// Columns taken by one scalar.
    public static func of(_ scalar: Unicode.Scalar) -> Int {
        let v = scalar.value
        if v < 0x300 { return 1 }                      // ASCII and Latin: the hot path
        if v == 0x200B || v == 0x200D || (0xFE00...0xFE0F).contains(v) { return 0 }
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format: return 0
        default: break
        }
        if isWide(v) || scalar.properties.isEmojiPresentation { return 2 }
        return 1
    }

    /// Columns taken by one grapheme (its widest scalar; control characters draw as one replacement cell).
    public static func of(_ character: Character) -> Int {
        var width = 0
        for s in character.unicodeScalars { width = Swift.max(width, of(s)) }
        return character.unicodeScalars.count > 0 && width == 0 ? (isControl(character) ? 1 : 0) : width
    }

    /// Columns taken by a string.
    public static func of(_ text: some StringProtocol) -> Int {
        var total = 0
        for ch in text { total += of(ch) }
        return total
    }

    static func isControl(_ c: Character) -> Bool {
        guard let s = c.unicodeScalars.first else { return false }
        return s.value < 0x20 || (0x7F...0x9F).contains(s.value)
    }

    /// East Asian Width W/F blocks (Unicode 15), the ranges terminals draw two columns wide.
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x231A...0x231B, 0x2329...0x232A, 0x23E9...0x23EC, 0x23F0, 0x23F3,
             0x25FD...0x25FE, 0x2614...0x2615, 0x2648...0x2653, 0x267F, 0x2693, 0x26A1, 0x26AA...0x26AB,
             0x26BD...0x26BE, 0x26C4...0x26C5, 0x26CE, 0x26D4, 0x26EA, 0x26F2...0x26F3, 0x26F5, 0x26FA,
             0x26FD, 0x2705, 0x270A...0x270B, 0x2728, 0x274C, 0x274E, 0x2753...0x2755, 0x2757,
             0x2795...0x2797, 0x27B0, 0x27BF, 0x2B1B...0x2B1C, 0x2B50, 0x2B55,
             0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xA960...0xA97F, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE10...0xFE19, 0xFE30...0xFE6F,
             0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x16FE0...0x16FE4, 0x17000...0x18CFF, 0x1AFF0...0x1B2FF,
             0x1F004, 0x1F0CF, 0x1F18E, 0x1F191...0x1F19A, 0x1F200...0x1F202, 0x1F210...0x1F23B,
             0x1F240...0x1F248, 0x1F250...0x1F251, 0x1F260...0x1F265, 0x1F300...0x1F64F,
             0x1F680...0x1F6FF, 0x1F7E0...0x1F7EB, 0x1F90C...0x1F9FF, 0x1FA70...0x1FAFF,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return true
        default:
            return false
        }
    }
}

extension StringProtocol {
    /// Terminal columns this text takes.
    public var cellWidth: Int { CellWidth.of(self) }

    /// The longest prefix that fits in `width` columns, with `…` when something was cut.
    public func truncated(toWidth width: Int, ellipsis: Bool = true) -> String {
        guard width > 0 else { return "" }
        if cellWidth <= width { return String(self) }
        let room = ellipsis ? width - 1 : width
        var out = ""
        var used = 0
        for ch in self {
            let w = CellWidth.of(ch)
            if used + w > room { break }
            out.append(ch)
            used += w
        }
        return ellipsis ? out + "…" : out
    }

    /// Truncated or padded with spaces to exactly `width` columns (`alignRight` pads on the left).
    public func fitted(toWidth width: Int, alignRight: Bool = false) -> String {
        let t = truncated(toWidth: width)
        let pad = String(repeating: " ", count: Swift.max(0, width - t.cellWidth))
        return alignRight ? pad + t : t + pad
    }
}
