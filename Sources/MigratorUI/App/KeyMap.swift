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
        case .picker:
            return [
                KeyBinding([.enter, .char("l"), .right], .open, "open", "Open the selected file or directory", hint: true),
                KeyBinding([.backspace, .char("h"), .left], .parent, "parent", "Go to the parent directory", hint: true),
                KeyBinding([.char("o"), .char("/")], .typePath, "type path", "Type a path (Tab completes)", hint: true),
                KeyBinding([.tab], .toggleRecent, "recent", "Switch between the directory and recent files", hint: true),
                KeyBinding([.escape], .back, "back", "Back to the records", when: hasSession),
            ] + moveKeys + common
        case .mapping:
            return [
                KeyBinding([.enter, .char("e")], .edit, "set field", "Map the selected column to a field (e.g. email, custom_attributes.tier)", hint: true),
                KeyBinding([.char("d")], .skipColumn, "skip", "Skip the selected column (or map it again)", hint: true),
                KeyBinding([.char("a"), .function(2)], .acceptMapping, "accept", "Save the mapping and open the file", hint: true),
                KeyBinding([.escape], .back, "back", "Back to the file picker", hint: true),
            ] + moveKeys + common
        case .records:
            return [
                KeyBinding([.enter, .char("e")], .edit, "edit", "Edit the selected record", hint: true, when: hasSession),
                KeyBinding([.char("/")], .search, "search", "Search the records for text", hint: true, when: hasSession),
                KeyBinding([.char("n")], .nextMatch, "next", "Next search match", when: { $0.records.search != nil }),
                KeyBinding([.char("N")], .previousMatch, "previous", "Previous search match", when: { $0.records.search != nil }),
                KeyBinding([.char("f")], .filter, "filter", "Filter: problems, errors, warnings, a rule, edited, excluded, the search text", hint: true, when: hasSession),
                KeyBinding([.char(":")], .jump, "jump", "Jump to a record number (or :export FILE, :q)"),
                KeyBinding([.char("x")], .toggleExclude, "exclude", "Exclude the record from the import (again to include)", hint: true, when: hasSession),
                KeyBinding([.char("u")], .undo, "undo", "Undo the last edit", when: hasSession),
                KeyBinding([.ctrl("r")], .redo, "redo", "Redo", when: hasSession),
                KeyBinding([.char("i")], .toggleInspector, "inspector", "Show or hide the inspector pane"),
                KeyBinding([.char("S")], .revealSecrets, "reveal", "Reveal secrets (password hashes, TOTP secrets) in the inspector; again to hide"),
                KeyBinding([.char("L")], .settings, "import", "Import settings and launch", hint: true, when: hasSession),
                KeyBinding([.char("p")], .progress, "progress", "Live progress of the run", when: hasRun),
                KeyBinding([.char("v")], .review, "review", "Review failed and skipped records", when: hasRun),
                KeyBinding([.char("w")], .exportEdited, "export", "Write the edited records to a new import file", when: hasSession),
                KeyBinding([.char("o")], .openFile, "open", "Open another file"),
            ] + moveKeys + common
        case .editor:
            return [
                KeyBinding([.enter, .char("e")], .edit, "edit", "Edit the value (strings as typed; other types as JSON)", hint: true),
                KeyBinding([.char("J")], .editJSON, "edit JSON", "Edit the value as JSON (change its type: number, boolean, null, array, object)"),
                KeyBinding([.char("a")], .addField, "add", "Add a field: path=value (value as JSON, or a string)", hint: true),
                KeyBinding([.char("d")], .deleteField, "delete", "Delete the selected field", hint: true),
                KeyBinding([.char("x")], .toggleExclude, "exclude", "Exclude this record from the import (again to include)", hint: true),
                KeyBinding([.char("u")], .undo, "undo", "Undo", hint: true),
                KeyBinding([.ctrl("r")], .redo, "redo", "Redo"),
                KeyBinding([.char("["), .char("p")], .previousRecord, "prev record", "Previous record of the list"),
                KeyBinding([.char("]"), .char("n")], .nextRecord, "next record", "Next record of the list"),
                KeyBinding([.char("S")], .revealSecrets, "reveal", "Reveal secrets (again to hide)"),
                KeyBinding([.escape], .back, "back", "Back", hint: true),
            ] + moveKeys + common
        case .settings:
            return [
                KeyBinding([.enter, .char("e")], .edit, "change", "Change the selected setting", hint: true),
                KeyBinding([.char("c")], .check, "check", "Check the connection (endpoint, key, token, a request)", hint: true),
                KeyBinding([.char("L")], .launch, "launch", "Launch the import (asks with counts first)", hint: true, when: { $0.settings.isComplete && !$0.runInFlight }),
                KeyBinding([.escape], .back, "back", "Back to the records", hint: true),
            ] + moveKeys + common
        case .progress:
            return [
                KeyBinding([.char("P")], .pause, "pause/resume", "Pause the run (in-flight jobs are recorded) or resume it", hint: true,
                           when: { $0.run.runID != nil && $0.run.finished == nil }),
                KeyBinding([.char("C")], .cancelRun, "cancel", "Stop the run; it stays resumable", hint: true, when: { $0.runInFlight }),
                KeyBinding([.char("v")], .review, "review", "Review failed and skipped records", hint: true),
                KeyBinding([.escape], .back, "records", "Back to the records (the run continues)", hint: true),
            ] + moveKeys + common
        case .review:
            return [
                KeyBinding([.tab], .nextTab, "tab", "Next tab: failed, skipped, warnings", hint: true),
                KeyBinding([.enter, .char("l"), .right], .open, "open", "Open the group, or the record in the editor", hint: true),
                KeyBinding([.char("h"), .left], .left, "groups", "Back to the group list"),
                KeyBinding([.char(" ")], .mark, "mark", "Mark or unmark the record"),
                KeyBinding([.char("r")], .retry, "retry", "Retry the marked records, else the selected group (failed tab)", hint: true, when: { $0.review.tab == .failed }),
                KeyBinding([.char("U")], .rerunUpsert, "re-run upsert", "Re-run the marked (else all) skipped users with upsert", hint: true, when: { $0.review.tab == .skipped }),
                KeyBinding([.char("w")], .exportReport, "export", "Export this view as a report (.csv or .ndjson)", hint: true),
                KeyBinding([.char("p")], .progress, "progress", "Live progress"),
                KeyBinding([.escape], .back, "back", "Back to the records", hint: true),
            ] + moveKeys.map { var b = $0; b.keys.removeAll { $0 == .char(" ") }; return b } + common
        }
    }

    /// The enabled binding for `key` on the current screen.
    public static func binding(for key: Key, in state: AppState) -> KeyBinding? {
        bindings(for: state.screen).first { $0.keys.contains(key) && $0.isEnabled(state) }
    }
}
