import TerminalKit

extension KeyMap {
    /// `V` on the records, review and runs screens: verify the run (the open file's, or the selected one).
    static var verifyKey: KeyBinding {
        KeyBinding([.char("V")], .verify, "verify", "Verify the run against the project: missing and mismatched users",
                   hint: false, disabled: verifyDisabled)
    }

    /// The run `V` verifies on the current screen: the selected run on the Runs screen, else the open file's.
    static func verifyTarget(_ s: AppState) -> String? {
        s.screen == .runs ? s.runs.selectedEntry?.run.id : s.run.runID
    }

    static func verifyDisabled(_ s: AppState) -> String? {
        if s.screen == .runs {
            guard let e = s.runs.selectedEntry else { return "the journal has no runs" }
            if e.condition == .runningElsewhere { return "it is running in another process" + (e.holder.map { " (\($0))" } ?? "") }
            if s.runInFlight, s.run.runID == e.run.id { return "it is running: verify once it has ended or paused" }
        } else {
            if let reason = needsRun(s) { return reason }
            if s.runInFlight { return "the run is in flight: verify once it has ended or paused" }
        }
        if s.verify.isRunning, let running = s.verify.runID, running != verifyTarget(s) {
            return "a verification of run \(running.prefix(8)) is running: wait for it or cancel it (V on its screen, then Esc)"
        }
        return nil
    }

    /// Why the verified run's records cannot be opened or re-sent here (they are records of its source).
    static func verifyRecordsDisabled(_ s: AppState) -> String? {
        if s.verify.runID == nil { return "nothing verified yet" }
        if s.session == nil || s.run.runID != s.verify.runID { return "its source is not the open file: open it first (R, then o)" }
        return nil
    }

    /// The Verify screen.
    static var verify: [KeyBinding] {
        [
            KeyBinding([.escape], .cancelVerify, "cancel", "Cancel the verification while it runs (it changes nothing)", hint: true,
                       disabled: { s in
                           switch s.verify.phase {
                           case .running: return nil
                           case .cancelling: return "it is stopping"
                           default: return "no verification is running"
                           }
                       }),
            KeyBinding([.enter, .char("l"), .right], .open, "open", "Open the group, or the record in the editor to fix it", hint: true,
                       disabled: { s in
                           if s.verify.groups.isEmpty { return "no problems listed" }
                           return s.verify.itemsFocused ? verifyRecordsDisabled(s) : nil
                       }),
            KeyBinding([.char("h"), .left], .left, "groups", "Back to the group list"),
            KeyBinding([.char(" ")], .mark, "mark", "Mark or unmark the record (for U)"),
            KeyBinding([.char("U")], .rerunUpsert, "re-send upsert", "Re-send the marked records (else the selected record, else the group) with upsert; shows first what changes",
                       hint: true, disabled: { s in
                           if s.verify.isRunning { return "wait for the verification to end" }
                           if s.verify.groups.isEmpty { return "no problems listed" }
                           if s.runInFlight { return "a run is in flight: wait for it or pause it" }
                           return verifyRecordsDisabled(s)
                       }),
            KeyBinding([.char("V")], .verify, "verify again", "Verify the run again (after a fix and a re-send)", hint: true,
                       disabled: { s in
                           if s.verify.isRunning { return "it is running" }
                           if s.verify.runID == nil { return "nothing verified yet" }
                           return s.runInFlight && s.run.runID == s.verify.runID ? "the run is in flight: verify once it has ended or paused" : nil
                       }),
            KeyBinding([.escape], .back, "back", "Back to where V was pressed", hint: true,
                       disabled: { $0.verify.isRunning ? "Esc cancels the running verification first" : nil }),
            runsKey,
        ] + moveKeys.map { var b = $0; b.keys.removeAll { $0 == .char(" ") }; return b } + common
    }
}
