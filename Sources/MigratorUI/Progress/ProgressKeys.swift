import TerminalKit

extension KeyMap {
    /// Live progress.
    static var progress: [KeyBinding] {
        return [
            KeyBinding([.char("P")], .pause, "pause/resume", "Pause the run (in-flight jobs are recorded) or resume it", hint: true,
                       disabled: { $0.run.runID == nil ? "no run yet" : ($0.run.finished != nil ? "the run has finished" : nil) }),
            KeyBinding([.char("C")], .cancelRun, "cancel", "Stop the run; it stays resumable", hint: true, disabled: { $0.runInFlight ? nil : "no import is running" }),
            KeyBinding([.char("v")], .review, "review", "Review failed and skipped records", hint: true, disabled: needsRun),
            KeyBinding([.char("b")], .showStopReason, "summary", "The run's end summary again (a stop's whole reason, e.g. a 403's checklist)",
                       disabled: { $0.run.endBanner == nil ? "the run has not ended in this session" : nil }),
            KeyBinding([.escape], .back, "records", "Back to the records (the run continues)", hint: true),
            runsKey,
        ] + moveKeys + common
    }
}
