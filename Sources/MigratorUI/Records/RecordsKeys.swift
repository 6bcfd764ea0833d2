import TerminalKit

extension KeyMap {
    /// The records table.
    static var records: [KeyBinding] {
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
    }
}
