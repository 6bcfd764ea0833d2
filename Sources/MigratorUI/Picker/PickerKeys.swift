import TerminalKit

extension KeyMap {
    /// The file picker.
    static var picker: [KeyBinding] {
        return [
            KeyBinding([.enter, .char("l"), .right], .open, "open", "Open the selected file or directory", hint: true),
            KeyBinding([.backspace, .char("h"), .left], .parent, "parent", "Go to the parent directory", hint: true),
            KeyBinding([.char("o"), .char("/")], .typePath, "type path", "Type a path (Tab completes)", hint: true),
            KeyBinding([.tab], .toggleRecent, "recent", "Switch between the directory and recent files", hint: true),
            KeyBinding([.escape], .back, "back", "Back to the records", disabled: { $0.session != nil ? nil : "no file is open yet" }),
            runsKey,
        ] + moveKeys + common
    }

    /// The mapping step: a CSV's columns, or the rows of another system's preset.
    static var mapping: [KeyBinding] {
        let csvRows: (AppState) -> String? = { $0.mapping.preset ? nil : "a CSV's rows are its header's columns: Enter maps one, d skips it" }
        return [
            KeyBinding([.enter, .char("e")], .edit, "set field", "Map the selected column or row to a field (e.g. email, custom_attributes.tier)", hint: true),
            KeyBinding([.char("t")], .setConversion, "type", "Set the CSV column's type: string, boolean, integer, number, list (on a separator), json", hint: true,
                       disabled: { $0.mapping.preset ? "a JSON source's rows take a transform (t on one)" : nil }),
            KeyBinding([.char("t")], .setConversion, "transform", "Set the row's transform: strip a prefix, split a multi-value cell, string booleans, phone without +, RFC 3339 timestamps, base32 TOTP secret, lowercase, …", hint: true,
                       disabled: { $0.mapping.preset ? nil : "a CSV column takes a type (t on one)" }),
            KeyBinding([.char("+"), .char("n")], .addMappingRow, "add", "Add a row: pick a source path seen in the first records, then the field it fills", hint: true, disabled: csvRows),
            KeyBinding([.char("-"), .delete], .removeMappingRow, "remove", "Remove the selected row", disabled: csvRows),
            KeyBinding([.char("d")], .skipColumn, "skip", "Skip the selected column (or map it again to the field it had)", hint: true),
            KeyBinding([.char("a"), .function(2)], .acceptMapping, "accept", "Save the mapping and open the file", hint: true),
            KeyBinding([.escape], .back, "back", "Back to the file picker", hint: true),
        ] + moveKeys + common
    }
}
