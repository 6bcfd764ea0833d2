import TerminalKit

extension KeyMap {
    /// The field editor.
    static var editor: [KeyBinding] {
        return [
            KeyBinding([.enter, .char("e")], .edit, "edit", "Edit the value (strings as typed; other types as JSON)", hint: true),
            KeyBinding([.char("J")], .editJSON, "edit JSON", "Edit the value as JSON (change its type: number, boolean, null, array, object)"),
            KeyBinding([.char("a")], .addField, "add", "Add a field: path=value (value as JSON, or a string)", hint: true),
            KeyBinding([.char("d")], .deleteField, "delete", "Delete the selected field", hint: true),
            KeyBinding([.char("x")], .toggleExclude, "exclude", "Exclude this record from the import (again to include)", hint: true),
            KeyBinding([.char("u")], .undo, "undo", "Undo this record's last edit (other records keep theirs)", hint: true),
            KeyBinding([.ctrl("r")], .redo, "redo", "Redo this record's undone edit"),
            KeyBinding([.char("["), .char("p")], .previousRecord, "prev record", "Previous record of the list"),
            KeyBinding([.char("]"), .char("n")], .nextRecord, "next record", "Next record of the list"),
            KeyBinding([.char("S")], .revealSecrets, "reveal", "Reveal secrets (again to hide)"),
            KeyBinding([.char("r")], .retry, "retry", "Retry this failed record (opened from Review's failed tab; asks first)", hint: true,
                       disabled: { $0.editor.failure == nil ? "only for a record that failed on the server (open it from Review's failed tab)" : ($0.runInFlight ? "a run is in flight" : nil) }),
            KeyBinding([.escape], .back, "back", "Back", hint: true),
        ] + moveKeys + common
    }
}
