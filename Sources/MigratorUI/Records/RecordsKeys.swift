import TerminalKit

extension KeyMap {
    /// The records table.
    static var records: [KeyBinding] {
        return [
            KeyBinding([.enter, .char("e")], .edit, "edit", "Edit the selected record", hint: true, disabled: needsSession),
            KeyBinding([.char("/")], .search, "search", "Search the records for text", hint: true, disabled: needsSession),
            KeyBinding([.char("n")], .nextMatch, "next", "Next search match", disabled: { $0.records.search != nil ? nil : "search first (/)" }),
            KeyBinding([.char("N")], .previousMatch, "previous", "Previous search match", disabled: { $0.records.search != nil ? nil : "search first (/)" }),
            KeyBinding([.escape], .back, "clear", "Clear the filter (back to every record, the cursor stays on its record) and the search"),
            KeyBinding([.char("f")], .filter, "filter", "Filter: problems, errors, warnings, a rule, edited, excluded, the search text", hint: true, disabled: needsSession),
            KeyBinding([.char(":")], .jump, "jump", "Jump to a record number (or :export FILE, :q)"),
            KeyBinding([.char("x")], .toggleExclude, "exclude", "Exclude the record from the import (again to include)", hint: true, disabled: needsSession),
            KeyBinding([.char("u")], .undo, "undo", "Undo the last edit of the selected record", disabled: needsSession),
            KeyBinding([.ctrl("r")], .redo, "redo", "Redo the undone edit of the selected record", disabled: needsSession),
            KeyBinding([.char("c")], .chooseColumns, "columns", "Choose the table's columns (kept for this session)", disabled: needsSession),
            KeyBinding([.char("s")], .sortRecords, "sort", "Sort by record number, identifier or status / first issue (again: reverse)", disabled: needsSession),
            KeyBinding([.left, .char("h")], .left, "scroll left", "Scroll the value columns left", disabled: needsSession),
            KeyBinding([.right, .char("l")], .right, "scroll right", "Scroll the value columns right (when they do not fit)", disabled: needsSession),
            KeyBinding([.char("m")], .mark, "mark", "Mark the selected record (again to unmark) and move down", disabled: needsSession),
            KeyBinding([.char("M")], .markAll, "mark all", "Mark every record the filter shows (with errors, a rule, …; all records without a filter)", disabled: needsSession),
            KeyBinding([.ctrl("u")], .clearMarks, "unmark", "Clear every mark", disabled: { $0.records.marks.isEmpty ? "no record is marked" : nil }),
            KeyBinding([.char("b")], .bulk, "bulk", "Bulk operation on the marked records (exclude, set/delete a field, lowercase, E.164, trim)",
                       disabled: bulkReason),
            KeyBinding([.char("E")], .editsView, "edits", "Every edit as a diff against the source; filter, export for a reviewer", disabled: needsSession),
            KeyBinding([.char("i")], .toggleInspector, "inspector", "Show or hide the inspector pane"),
            KeyBinding([.char("S")], .revealSecrets, "reveal", "Reveal secrets (password hashes, TOTP secrets) in the inspector; again to hide"),
            KeyBinding([.char("L")], .settings, "import", "Import settings and launch", hint: true, disabled: needsSession),
            KeyBinding([.char("p")], .progress, "progress", "Live progress of the run", disabled: needsRun),
            KeyBinding([.char("v")], .review, "review", "Review failed and skipped records", disabled: needsRun),
            KeyBinding([.char("w")], .exportEdited, "export", "Write the edited records to a new import file", disabled: needsSession),
            KeyBinding([.char("o")], .openFile, "open", "Open another file",
                       disabled: { $0.runInFlight ? "a run of this file is in flight: pause it first (P on the progress screen)" : nil }),
            runsKey,
            verifyKey,
        ] + moveKeys + common
    }

    static func bulkReason(_ s: AppState) -> String? {
        if s.session == nil { return "open a file first" }
        if s.records.marks.isEmpty { return "mark records first: m marks one, M every record the filter shows" }
        if s.loading?.validationComplete != true { return "wait for validation to finish" }
        return nil
    }
}
