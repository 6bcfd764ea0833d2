import MigrationEngine
import TerminalKit

extension KeyMap {
    /// The Runs screen (list and summary).
    static var runs: [KeyBinding] {
        [
            KeyBinding([.enter, .char("l"), .right], .open, "summary", "Open the selected run's summary", hint: true,
                       disabled: { $0.runs.selectedEntry == nil ? "the journal has no runs" : ($0.runs.showingSummary ? "the summary is open" : nil) }),
            KeyBinding([.char("o")], .openRunSource, "open source", "Open the run's source file (its progress, outcomes and review show there)", hint: true,
                       disabled: runOpenSourceDisabled),
            KeyBinding([.char("r")], .resumeRun, "resume", "Resume the run (its source is opened)", hint: true, disabled: runResumeDisabled),
            KeyBinding([.char("f")], .retryRunFailed, "retry failed", "Send the run's failed records again, with their current edits", hint: true,
                       disabled: runRetryDisabled),
            KeyBinding([.char("w")], .writeRunReport, "report", "Write a report of every record of the run (.csv or .ndjson)", hint: true,
                       disabled: { $0.runs.selectedEntry == nil ? "the journal has no runs" : nil }),
            KeyBinding([.escape], .cancelRollback, "stop rollback", "Stop the running rollback after the request in flight (every deletion so far is journaled; D continues it)",
                       disabled: { $0.runs.rollback?.phase.isRunningRollback == true ? nil : "no rollback is running" }),
            KeyBinding([.escape, .char("h"), .left], .back, "back", "Back (from a summary or a rollback to the list)", hint: true),
        ] + moveKeys + common + [
            // After ? and q: where the hint bar is too narrow for all, these give way first.
            { var b = verifyKey; b.hint = true; return b }(),
            KeyBinding([.char("D")], .rollback, "rollback", "Roll back: delete the users the run inserted",
                       hint: true, disabled: rollbackDisabled),
        ]
    }

    static func rollbackDisabled(_ s: AppState) -> String? {
        guard let e = s.runs.selectedEntry else { return "the journal has no runs" }
        if let reason = s.runs.protected[RunTarget(endpoint: e.run.endpoint, projectID: e.run.projectID)] { return reason }
        if s.runs.rollback?.isRunning == true { return "a rollback is running" }
        switch e.condition {
        case .running: return "it is running: pause it first"
        case .runningElsewhere: return "it is running in another process" + (e.holder.map { " (\($0))" } ?? "")
        case .finished, .paused, .stopped, .interrupted: break
        }
        if s.runInFlight { return "a run is in flight: pause it first (P on the progress screen)" }
        if e.counts.inserted == 0 { return "it inserted no users" }
        return nil
    }

    static func runOpenSourceDisabled(_ s: AppState) -> String? {
        guard let e = s.runs.selectedEntry else { return "the journal has no runs" }
        if s.runInFlight { return "a run is in flight: pause it first (P on the progress screen)" }
        if s.run.runID == e.run.id, s.session != nil { return "its source is the open file" }
        return nil
    }

    static func runResumeDisabled(_ s: AppState) -> String? {
        guard let e = s.runs.selectedEntry else { return "the journal has no runs" }
        switch e.condition {
        case .finished: return "the run has finished"
        case .runningElsewhere: return "it is running in another process" + (e.holder.map { " (\($0))" } ?? "")
        case .running: return "it is running"
        case .paused, .stopped, .interrupted: break
        }
        return s.runInFlight ? "a run is in flight: pause it first" : nil
    }

    static func runRetryDisabled(_ s: AppState) -> String? {
        guard let e = s.runs.selectedEntry else { return "the journal has no runs" }
        if e.counts.failed == 0 { return "it has no failed records" }
        if e.isUnfinished { return "resume it first (r): a retry follows a finished run" }
        if s.runInFlight { return "a run is in flight: wait for it or pause it" }
        if s.run.runID != e.run.id || s.session == nil { return "open its source first (o): retried records are sent with their current edits" }
        return nil
    }
}
