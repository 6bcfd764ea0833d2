import TerminalKit

extension KeyMap {
    /// Import settings.
    static var settings: [KeyBinding] {
        return [
            KeyBinding([.enter, .char("e")], .edit, "change", "Change the selected setting", hint: true),
            KeyBinding([.char("c")], .check, "check", "Check the connection (endpoint, key, token, a request)", hint: true),
            KeyBinding([.char("L")], .launch, "launch", "Launch the import (asks with counts first)", hint: true, when: { $0.settings.isComplete && !$0.runInFlight }),
            KeyBinding([.escape], .back, "back", "Back to the records", hint: true),
        ] + moveKeys + common
    }
}
