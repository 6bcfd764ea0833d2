import Foundation
import MigrationEngine

/// The Verify screen: starting a verification, folding in what the verifier reports, moving
/// through the problems, opening a record to fix it, re-sending with upsert.
enum VerifyUpdate {
    /// `V` from the records, review or runs screen (`runID` is the run it verifies there), or
    /// again on the Verify screen.
    static func start(_ state: inout AppState, runID: String?) -> [Effect] {
        guard let id = runID else { return [] }
        if state.screen != .verify { state.verify.returnTo = state.screen }
        state.screen = .verify
        // A verification of this run already running: show it.
        if state.verify.isRunning, state.verify.runID == id { return [] }
        let returnTo = state.verify.returnTo
        state.verify = VerifyState()
        state.verify.returnTo = returnTo
        state.verify.runID = id
        state.verify.title = title(id, state)
        state.verify.phase = .running
        return [.verifyRun(runID: id)]
    }

    /// "run 1a2b3c4d of users.json into https://… project myapp", from what the state knows.
    static func title(_ id: String, _ state: AppState) -> String {
        if let e = state.runs.entries.first(where: { $0.run.id == id }) {
            return "run \(id.prefix(8)) of \((e.run.sourcePath as NSString).lastPathComponent) into \(e.run.endpoint) project \(e.run.projectID)"
        }
        if let session = state.session, state.run.runID == id {
            return "run \(id.prefix(8)) of \((session.path as NSString).lastPathComponent)"
        }
        return "run \(id.prefix(8))"
    }

    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let v = state.verify
        let page = max(1, state.size.height - 12)
        if v.itemsFocused, let c = Update.moved(v.item, count: v.currentProblems.count, page: page, action) {
            state.verify.item = c
            return []
        }
        if !v.itemsFocused, let c = Update.moved(v.group, count: v.groups.count, page: page, action) {
            state.verify.group = c
            state.verify.item = 0
            return []
        }
        switch action {
        case .cancelVerify:
            state.verify.phase = .cancelling
            return [.cancelVerify]
        case .back:
            state.screen = v.returnTo
            return []
        case .verify:
            return start(&state, runID: v.runID)
        case .open:
            if !v.itemsFocused {
                guard !v.currentProblems.isEmpty else { return [] }
                state.verify.itemsFocused = true
                state.verify.item = 0
                return []
            }
            guard let p = v.selectedProblem else { return [] }
            return EditorUpdate.open(&state, record: p.record, from: .verify)
        case .left:
            state.verify.itemsFocused = false
            return []
        case .mark:
            guard let p = v.selectedProblem else { return [] }
            if v.marked.contains(p.record) { state.verify.marked.remove(p.record) } else { state.verify.marked.insert(p.record) }
            state.verify.item = min(v.item + 1, v.currentProblems.count - 1)
            return []
        case .rerunUpsert:
            let records = v.selection
            guard !records.isEmpty else { return [] }
            // The same path as Review's U: the users' current values first, then the confirmation.
            return [.previewUpsert(records)]
        default:
            return []
        }
    }

    /// Folds in what the live verifier reports; messages of another run (a superseded verification) are dropped.
    static func apply(_ state: inout AppState, _ message: Message) {
        switch message {
        case .verifyProgress(let id, let progress):
            guard id == state.verify.runID, state.verify.isRunning else { return }
            state.verify.progress = progress
        case .verifyNotice(let id, let text):
            guard id == state.verify.runID else { return }
            state.verify.notices.append(text)
        case .verifyProblems(let id, let problems):
            guard id == state.verify.runID else { return }
            for p in problems { state.verify.add(p) }
        case .verifyEnded(let id, let end):
            guard id == state.verify.runID else { return }
            switch end {
            case .finished(let summary):
                state.verify.phase = .finished(summary)
                if state.screen != .verify {
                    state.status = .info("verification of run \(id.prefix(8)) done: " + (summary.allVerified ? "all \(Format.count(summary.verified)) verified" : "\(Format.count(summary.missing)) missing, \(Format.count(summary.mismatched)) mismatched") + " — V shows it")
                }
            case .cancelled:
                state.verify.phase = .cancelled
            case .failed(let reason):
                state.verify.phase = .failed(reason)
                if state.screen != .verify { state.status = .error("verification of run \(id.prefix(8)) failed: \(reason)") }
            }
        default:
            break
        }
    }
}
