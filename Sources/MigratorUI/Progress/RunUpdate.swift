import Foundation
import MigrationEngine

/// The live progress screen: pause, resume, cancel, and engine events folded into the view.
enum RunUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        if let c = Update.moved(state.run.selected, count: state.run.batches.count, page: 10, action) {
            state.run.selected = c
            return []
        }
        switch action {
        case .pause:
            guard let id = state.run.runID else { return [] }
            if state.run.active {
                state.status = .info("pausing: in-flight requests finish and are recorded…")
                return [.pauseRun]
            }
            guard state.run.finished == nil else {
                state.status = .info("the run has finished")
                return []
            }
            state.run.begin(now: state.now)
            return [.resume(runID: id, settings: state.settings)]
        case .cancelRun:
            state.overlay = .confirm(Confirmation(
                title: "Stop the run?",
                lines: ["In-flight jobs are recorded; nothing is lost.",
                        "Resume later with P here or `authgear-migrate resume`."],
                key: "y", action: .cancelRun))
            return []
        case .review:
            state.screen = .review
            return [.loadReview(state.review.tab)]
        case .showStopReason:
            if let banner = state.run.endBanner { state.overlay = .banner(banner) }
            return []
        case .back:
            state.screen = state.session == nil ? .picker : .records
            return []
        default:
            return []
        }
    }

    /// Folds one engine event into the run view. Totals are not counted here: they come from the
    /// journal (`progressTotals`), so that they agree with each other; events move the batches.
    static func apply(_ run: inout RunViewState, _ event: EngineEvent, now: Date) {
        func upsertBatch(_ id: Int64, _ change: (inout RunViewState.BatchRow) -> Void) {
            if let i = run.batches.firstIndex(where: { $0.id == id }) { change(&run.batches[i]) } else {
                // A batch planned during the run (recovery): the next number of this run.
                var row = RunViewState.BatchRow(id: id, number: (run.batches.map(\.number).max() ?? 0) + 1, records: 0, state: "planned",
                                                jobID: nil, attempts: 0, since: now, note: nil)
                change(&row)
                run.batches.append(row)
            }
        }
        switch event {
        case .batchSending(let b, let records, let attempt):
            upsertBatch(b) { $0.records = records; $0.state = "sending"; $0.attempts = attempt; $0.since = now; $0.note = nil }
        case .batchSent(let b, let job):
            upsertBatch(b) { $0.state = "sent"; $0.jobID = job; $0.since = now }
        case .jobPending(let b, let job, let polls, let sentAt):
            // The age counts from the send (after a resume, the journal's sent_at).
            upsertBatch(b) { $0.state = "pending"; $0.jobID = job; $0.since = sentAt; $0.note = "polled \(polls)×" }
        case .batchCompleted(let b, let counts, _):
            // A completed batch keeps its job and its own counts.
            upsertBatch(b) { $0.state = "completed"; $0.since = now; $0.note = RunViewState.describe(counts) }
        case .recoveryPlanned(let b, let records, let reason):
            run.events.append(b == 0 ? "\(records) records go out again (\(reason))" : "batch \(run.number(ofBatch: b)): \(records) records go out again (\(reason))")
        case .retrying(let b, let after, let reason):
            upsertBatch(b) { $0.state = "retrying"; $0.note = "in \(String(format: "%.1f", after)) s: \(reason)" }
            run.events.append("batch \(run.number(ofBatch: b)): retrying in \(String(format: "%.1f", after)) s — \(reason)")
        case .paused(let reason):
            run.pausedReason = reason
            run.events.append("paused: \(reason)")
        case .progress:
            // The engine's throttled pace of this invocation: the screen's figures come from the journal instead.
            break
        case .finished(let counts):
            run.counts = counts
            run.finished = counts
        }
        if run.events.count > 200 { run.events.removeFirst(run.events.count - 200) }
    }
}
