import Foundation
import MigrationEngine

/// Rollback from the Runs screen: `D` reads the plan, the operator types the project id, the
/// live handler deletes, the panel tells what was deleted and what was left alone and why.
enum RollbackUpdate {
    /// `D` on the selected run.
    static func plan(_ state: inout AppState) -> [Effect] {
        guard let e = state.runs.selectedEntry else { return [] }
        state.runs.showingSummary = false
        state.runs.rollback = RollbackState(runID: e.run.id)
        return [.planRollback(runID: e.run.id)]
    }

    /// The prompt's text was submitted: the project id typed exactly deletes, anything else refuses.
    static func submit(_ state: inout AppState, runID: String, typed: String) -> [Effect] {
        guard var r = state.runs.rollback, r.runID == runID, r.phase == .confirming, let plan = r.plan else { return [] }
        guard typed == plan.projectID else {
            state.runs.rollback = nil
            state.status = .error("refused: \"\(typed)\" is not the project id \(plan.projectID) — nothing was deleted")
            return []
        }
        r.phase = .running(done: 0, total: plan.toDelete)
        state.runs.rollback = r
        return [.rollback(runID: runID, typedProjectID: typed)]
    }

    /// Esc in the prompt: nothing happens.
    static func cancelConfirmation(_ state: inout AppState) {
        state.runs.rollback = nil
        state.status = .info("rollback cancelled: nothing was deleted")
    }

    static func apply(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .protectedTargets(let targets):
            state.runs.protected = targets
            return []
        case .rollbackPlanned(let id, let result):
            guard var r = state.runs.rollback, r.runID == id, r.phase == .planning else { return [] }
            switch result {
            case .success(let plan):
                r.plan = plan
                if plan.toDelete == 0 {
                    r.phase = .finished(RollbackResult(settledEarlier: plan.settledEarlier))
                } else {
                    r.phase = .confirming
                    state.prompt = Prompt(.rollbackConfirm(runID: id),
                                          label: "to DELETE \(Format.count(plan.toDelete)) user\(plan.toDelete == 1 ? "" : "s") type the project id (\(plan.projectID)): ")
                }
            case .failure(let refusal):
                r.phase = .failed(refusal.reason)
            }
            state.runs.rollback = r
            return []
        case .rollbackProgress(let id, let done, let total):
            guard var r = state.runs.rollback, r.runID == id, case .running = r.phase else { return [] }
            r.phase = .running(done: done, total: total)
            state.runs.rollback = r
            return []
        case .rollbackEnded(let id, let end):
            guard var r = state.runs.rollback, r.runID == id else { return [] }
            switch end {
            case .finished(let result):
                r.phase = .finished(result)
                state.bells += 1
            case .cancelled: r.phase = .cancelled
            case .failed(let reason): r.phase = .failed(reason)
            }
            state.runs.rollback = r
            return [.loadRuns]
        default:
            return []
        }
    }

    /// What the panel says about the plan before the project id is typed.
    static func confirmationLines(_ p: RollbackPlan) -> [String] {
        var lines = [
            "Target: \(p.endpoint) project \(p.projectID)",
            "DELETE up to \(Format.count(p.toDelete)) user\(p.toDelete == 1 ? "" : "s") that run \(p.runID.prefix(8)) inserted (\((p.sourcePath as NSString).lastPathComponent)),",
            "  each only while it still has the login ID it was created with; the others are listed and left alone.",
            "Left alone: \(Format.count(p.updated)) updated and \(Format.count(p.skipped)) skipped user\(p.updated + p.skipped == 1 ? "" : "s") — they existed before the run.",
        ]
        if p.settledEarlier > 0 { lines.append("Already settled by an earlier rollback: \(Format.count(p.settledEarlier)).") }
        lines.append("Deletion is immediate and cannot be undone.")
        return lines
    }
}
