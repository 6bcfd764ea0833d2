import Foundation
import MigrationEngine

/// The Runs screen, and what the TUI does with the runs the journal holds for the open source.
enum RunsUpdate {
    /// `R` from any screen.
    static func open(_ state: inout AppState) -> [Effect] {
        state.runs.returnTo = state.screen
        state.runs.showingSummary = false
        state.runs.loaded = false
        state.screen = .runs
        return [.loadRuns]
    }

    static func loaded(_ state: inout AppState, _ entries: [RunHistoryEntry]) {
        let keep = state.runs.selectedEntry?.run.id
        state.runs.entries = entries
        state.runs.loaded = true
        state.runs.selected = keep.flatMap { id in entries.firstIndex { $0.run.id == id } } ?? 0
    }

    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        if !state.runs.showingSummary, let c = Update.moved(state.runs.selected, count: state.runs.entries.count, page: max(1, state.size.height - 10), action) {
            state.runs.selected = c
            return []
        }
        guard let entry = state.runs.selectedEntry else {
            if action == .back { state.screen = state.runs.returnTo }
            return []
        }
        switch action {
        case .open:
            state.runs.rollback = nil
            state.runs.showingSummary = true
            return []
        case .back:
            if let r = state.runs.rollback {
                if r.isRunning { state.status = .info("the rollback is running: Esc stops it") } else { state.runs.rollback = nil }
                return []
            }
            if state.runs.showingSummary { state.runs.showingSummary = false } else { state.screen = state.runs.returnTo }
            return []
        case .rollback:
            return RollbackUpdate.plan(&state)
        case .cancelRollback:
            state.runs.rollback?.phase = .cancelling
            return [.cancelRollback]
        case .openRunSource:
            state.status = .info("opening \(entry.run.sourcePath)…")
            return [.openSource(path: entry.run.sourcePath, mappingPath: entry.run.mappingPath)]
        case .resumeRun:
            state.overlay = .confirm(Confirmation(
                title: "Resume run \(entry.run.id.prefix(8))?",
                lines: resumeLines(entry, zone: state.timeZone) + ["Its source is opened if it is not the open file; the settings must point to its target."],
                key: "r", action: .resume(runID: entry.run.id)))
            return []
        case .retryRunFailed:
            state.overlay = .confirm(Confirmation(
                title: "Retry \(Format.count(entry.counts.failed)) failed record\(entry.counts.failed == 1 ? "" : "s") of run \(entry.run.id.prefix(8))?",
                lines: ["They are sent again with their current edits;", "records that still do not validate stay out and are listed."],
                key: "y", action: .retryAllFailed))
            return []
        case .writeRunReport:
            state.prompt = Prompt(.runReport(runID: entry.run.id), label: "write the report of run \(entry.run.id.prefix(8)) (.csv or .ndjson) to: ",
                                  text: "authgear-migrate-run-\(entry.run.id.prefix(8)).csv")
            return []
        default:
            return []
        }
    }

    /// What a resume offer says about a run: where it stands and what resume will do.
    static func resumeLines(_ e: RunHistoryEntry, zone: TimeZone) -> [String] {
        let r = e.run
        return ["Run \(r.id.prefix(8)) of \(r.sourcePath)",
                "into \(r.endpoint) project \(r.projectID), started \(Format.date(r.createdAt, in: zone)):",
                "\(Format.count(e.counts.total)) of \(Format.count(e.counts.total + e.withoutOutcome)) planned records have a result; \(e.condition.rawValue)"
                    + (r.pausedReason.map { " — \($0)" } ?? "") + "."]
            + (e.resumePlan.map { ["Resume: " + $0 + "."] } ?? [])
    }

    /// The open source's runs arrived: attach its latest run into the current target (its
    /// outcomes, progress and review), offer to resume it if unfinished; an unfinished run of
    /// another file is only offered as "open that file".
    static func sourceRunsLoaded(_ state: inout AppState, _ runs: SourceRuns) -> [Effect] {
        guard !state.runInFlight, runs.sourcePath == state.session?.path else { return [] }
        var effects: [Effect] = []
        state.run = RunViewState()
        state.records.outcomes = nil
        if let entry = runs.attached {
            state.run.attach(entry, batches: runs.batches, totals: runs.totals, now: state.now)
            effects.append(.loadOutcomes)
            if entry.isResumable, state.overlay == nil {
                state.overlay = .confirm(Confirmation(
                    title: "This file has an unfinished run",
                    lines: resumeLines(entry, zone: state.timeZone) + ["Press r to resume it now, Esc to look around first (resume later with P on the progress screen)."],
                    key: "r", action: .resume(runID: entry.run.id)))
                return effects
            } else if entry.condition == .runningElsewhere {
                state.status = .info("run \(entry.run.id.prefix(8)) of this file is running in another process\(entry.holder.map { " (\($0))" } ?? "")")
                return effects
            }
        }
        guard let other = runs.elsewhere, state.overlay == nil else { return effects }
        if runs.elsewhereIsThisFile {
            state.status = .info("run \(other.run.id.prefix(8)) of this file into \(other.run.endpoint) project \(other.run.projectID) is unfinished: set that target (L) to resume it, or R for every run")
            return effects
        }
        state.overlay = .confirm(Confirmation(
            title: "An unfinished run of another file",
            lines: resumeLines(other, zone: state.timeZone) + [state.session == nil ? "Press o to open that file (its run is offered there), Esc to choose a file."
                                                              : "It is not this file's run. Press o to open that file (its run is offered there), Esc to stay."],
            key: "o", action: .openSource(path: other.run.sourcePath, mappingPath: other.run.mappingPath)))
        return effects
    }
}
