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
    case skipColumn, acceptMapping, addMappingRow, removeMappingRow, setConversion
    case pause, cancelRun
    case nextTab, mark, retry, rerunUpsert, exportReport
    case runs, openRunSource, resumeRun, retryRunFailed, writeRunReport
    case verify, cancelVerify, rollback, cancelRollback
    case markEditedSinceFailure, chooseColumns, sortRecords, showStopReason
    case markAll, clearMarks, bulk, editsView, filterEdits, exportEdits
}

/// One binding: keys, a short name for the hint bar, a help line, and when it applies.
public struct KeyBinding {
    public var keys: [Key]
    public var action: Action
    public var name: String
    public var help: String
    /// Shown in the hint bar (the rest only in help).
    public var hint: Bool
    /// Why the key does nothing now ("open a file first"), or nil when it works. A disabled key
    /// is dimmed in the hint bar, gives its reason in help, and pressing it puts the reason on
    /// the status line.
    public var disabledReason: (AppState) -> String?

    init(_ keys: [Key], _ action: Action, _ name: String, _ help: String, hint: Bool = false,
         disabled disabledReason: @escaping (AppState) -> String? = { _ in nil }) {
        self.keys = keys
        self.action = action
        self.name = name
        self.help = help
        self.hint = hint
        self.disabledReason = disabledReason
    }

    public func isEnabled(_ state: AppState) -> Bool { disabledReason(state) == nil }

    /// How the keys are written in hints and help ("j/↓").
    public var keyLabel: String { keys.map(\.description).joined(separator: "/") }

    /// What the status line says when the key is pressed while disabled: "L launch — not now: …".
    public func notNow(_ reason: String, key: Key? = nil) -> String {
        "\((key ?? keys[0]).description) \(name) — not now: \(reason)"
    }
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

    /// Disabled reasons shared by several screens.
    static func needsSession(_ s: AppState) -> String? { s.session != nil ? nil : "open a file first" }
    static func needsRun(_ s: AppState) -> String? {
        if s.run.runID != nil { return nil }
        return s.session == nil ? "open a file first" : "this file has no run into this target yet (R lists every run)"
    }

    /// `R`: every run of the journal.
    static var runsKey: KeyBinding { KeyBinding([.char("R")], .runs, "runs", "Every run in the journal: open one's summary, source, resume, retry, report", hint: true) }

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
        case .runs: return runs
        case .verify: return verify
        case .edits: return edits
        }
    }

    /// The enabled binding for `key` on the current screen.
    public static func binding(for key: Key, in state: AppState) -> KeyBinding? {
        bindings(for: state.screen).first { $0.keys.contains(key) && $0.isEnabled(state) }
    }

    /// When `key` has no enabled binding on the current screen but a disabled one: what the
    /// status line says ("L launch — not now: set endpoint and key file first").
    public static func disabledMessage(for key: Key, in state: AppState) -> String? {
        for b in bindings(for: state.screen) where b.keys.contains(key) {
            if let reason = b.disabledReason(state) { return b.notNow(reason, key: key) }
        }
        return nil
    }
}
