import TerminalKit

/// What a key does on a screen. The same table draws the hint bar, the `?` help screen and
/// dispatches the keys, so the three never disagree.
public enum Action: Equatable, Sendable {
    case up, down, pageUp, pageDown, top, bottom, left, right
    case open, back, quit, help, command
    case search, nextMatch, previousMatch, filter, jump
    case edit, editJSON, addField, deleteField, toggleExclude, revealSecrets, toggleInspector
    case undo, redo, previousRecord, nextRecord
    case openFile, settings, launch, check, progress, review, exportEdited
    case parent, toggleRecent, typePath
    case skipColumn, acceptMapping
    case pause, cancelRun
    case nextTab, mark, retry, rerunUpsert, exportReport
}

/// One binding: keys, a short name for the hint bar, a help line, and when it applies.
public struct KeyBinding {
    public var keys: [Key]
    public var action: Action
    public var name: String
    public var help: String
    /// Shown in the hint bar (the rest only in help).
    public var hint: Bool
    public var isEnabled: (AppState) -> Bool

    init(_ keys: [Key], _ action: Action, _ name: String, _ help: String, hint: Bool = false,
         when isEnabled: @escaping (AppState) -> Bool = { _ in true }) {
        self.keys = keys
        self.action = action
        self.name = name
        self.help = help
        self.hint = hint
        self.isEnabled = isEnabled
    }

    /// How the keys are written in hints and help ("j/↓").
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }
}

public enum KeyMap {
    static var moveKeys: [KeyBinding] { [
        KeyBinding([.up, .char("k")], .up, "up", "Move up"),
        KeyBinding([.down, .char("j")], .down, "down", "Move down"),
        KeyBinding([.pageUp, .ctrl("b")], .pageUp, "page up", "One page up"),
        KeyBinding([.pageDown, .ctrl("f"), .char(" ")], .pageDown, "page down", "One page down"),
        KeyBinding([.home, .char("g")], .top, "first", "Go to the first row"),
        KeyBinding([.end, .char("G")], .bottom, "last", "Go to the last row"),
    ] }

    static var common: [KeyBinding] { [
        KeyBinding([.char("?")], .help, "help", "Show every key of this screen", hint: true),
        KeyBinding([.char("q"), .ctrl("c")], .quit, "quit", "Quit (asks first while an import is running)", hint: true),
    ] }

    static func hasSession(_ s: AppState) -> Bool { s.session != nil }
    static func hasRun(_ s: AppState) -> Bool { s.run.runID != nil }

    /// The bindings of `screen`, most useful first.
    public static func bindings(for screen: Screen) -> [KeyBinding] {
        switch screen {
        case .picker: return picker
        case .mapping: return mapping
        case .records: return records
        case .editor: return editor
        case .settings: return settings
        case .progress: return progress
        case .review: return review
        }
    }

    /// The enabled binding for `key` on the current screen.
    public static func binding(for key: Key, in state: AppState) -> KeyBinding? {
        bindings(for: state.screen).first { $0.keys.contains(key) && $0.isEnabled(state) }
    }
}
