import TerminalKit

extension KeyMap {
    /// Import settings.
    static var settings: [KeyBinding] {
        return [
            KeyBinding([.enter, .char("e")], .edit, "change", "Change the selected setting", hint: true),
            KeyBinding([.char("c")], .check, "check", "Check the connection (endpoint, key, token, a request)", hint: true),
            KeyBinding([.char("L")], .launch, "launch", "Launch the import (asks with counts first)", hint: true, disabled: launchDisabled),
            KeyBinding([.escape], .back, "back", "Back to the records", hint: true),
        ] + moveKeys + common
    }

    /// Why L cannot launch yet: a run in flight, or the settings it still needs.
    static func launchDisabled(_ s: AppState) -> String? {
        if s.runInFlight { return "an import is already running" }
        let missing = [("endpoint", s.settings.endpoint), ("project", s.settings.projectID), ("key ID", s.settings.keyID),
                       ("key file", s.settings.keyFile)].filter { $0.1.isEmpty }.map(\.0)
        guard !missing.isEmpty else { return nil }
        let list = missing.count == 1 ? missing[0] : missing.dropLast().joined(separator: ", ") + " and " + missing.last!
        return "set \(list) first"
    }
}
