import TerminalKit

/// A one-line text editor: insert, delete, move, word-delete; what the prompt line uses.
public struct LineEditor: Equatable, Sendable {
    public private(set) var characters: [Character]
    public private(set) var cursor: Int

    public init(_ text: String = "") {
        characters = Array(text)
        cursor = characters.count
    }

    public var text: String { String(characters) }

    public mutating func set(_ text: String) {
        characters = Array(text)
        cursor = characters.count
    }

    /// Applies an editing key; returns false for keys that are not editing keys.
    public mutating func handle(_ key: Key) -> Bool {
        switch key {
        case .char(let c): characters.insert(c, at: cursor); cursor += 1
        case .backspace: if cursor > 0 { characters.remove(at: cursor - 1); cursor -= 1 }
        case .delete, .ctrl("d"): if cursor < characters.count { characters.remove(at: cursor) }
        case .left, .ctrl("b"): cursor = max(0, cursor - 1)
        case .right, .ctrl("f"): cursor = min(characters.count, cursor + 1)
        case .home, .ctrl("a"): cursor = 0
        case .end, .ctrl("e"): cursor = characters.count
        case .ctrl("u"): characters.removeFirst(cursor); cursor = 0
        case .ctrl("k"): characters.removeLast(characters.count - cursor)
        case .ctrl("w"):
            var i = cursor
            while i > 0, characters[i - 1] == " " { i -= 1 }
            while i > 0, characters[i - 1] != " " { i -= 1 }
            characters.removeSubrange(i..<cursor)
            cursor = i
        default: return false
        }
        return true
    }

    /// Columns from the start of the text to the cursor.
    public var cursorColumn: Int { String(characters[..<cursor]).cellWidth }
}
