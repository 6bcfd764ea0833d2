import TerminalKit

extension KeyMap {
    /// Failure review.
    static var review: [KeyBinding] {
        return [
            KeyBinding([.tab], .nextTab, "tab", "Next tab: failed, skipped, warnings", hint: true),
            KeyBinding([.enter, .char("l"), .right], .open, "open", "Open the group, or the record in the editor", hint: true),
            KeyBinding([.char("h"), .left], .left, "groups", "Back to the group list"),
            KeyBinding([.char(" ")], .mark, "mark", "Mark or unmark the record"),
            KeyBinding([.char("r")], .retry, "retry", "Retry the marked records, else the selected group (failed tab)", hint: true, disabled: { $0.review.tab == .failed ? nil : "retry works on the failed tab (Tab switches)" }),
            KeyBinding([.char("e")], .markEditedSinceFailure, "mark edited", "Mark every failed record edited since it failed (✎), for r to retry them",
                       disabled: { $0.review.tab == .failed ? nil : "works on the failed tab (Tab switches)" }),
            KeyBinding([.char("U")], .rerunUpsert, "re-run upsert", "Re-run the marked (else all) skipped users with upsert", hint: true, disabled: { $0.review.tab == .skipped ? nil : "re-run works on the skipped tab (Tab switches)" }),
            KeyBinding([.char("w")], .exportReport, "export", "Export this view as a report (.csv or .ndjson)", hint: true),
            KeyBinding([.char("p")], .progress, "progress", "Live progress"),
            KeyBinding([.escape], .back, "back", "Back to the records", hint: true),
            runsKey,
            verifyKey,
        ] + moveKeys.map { var b = $0; b.keys.removeAll { $0 == .char(" ") }; return b } + common
    }
}
