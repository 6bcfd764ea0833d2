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

    /// The CSV mapping step.
    static var mapping: [KeyBinding] {
        return [
            KeyBinding([.enter, .char("e")], .edit, "set field", "Map the selected column to a field (e.g. email, custom_attributes.tier)", hint: true),
            KeyBinding([.char("d")], .skipColumn, "skip", "Skip the selected column (or map it again)", hint: true),
            KeyBinding([.char("a"), .function(2)], .acceptMapping, "accept", "Save the mapping and open the file", hint: true),
            KeyBinding([.escape], .back, "back", "Back to the file picker", hint: true),
        ] + moveKeys + common
    }
}
