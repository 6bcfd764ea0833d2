import Foundation
import MigrationCore
import MigrationEngine

/// Results of the runtime's work, folded into the state.
enum WorkResults {
    static func apply(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .directoryListed(let path, let entries, let error):
            if let error {
                state.status = .error(error)
                return []
            }
            state.picker.directory = path
            state.picker.entries = entries
            state.picker.selected = 0
            state.picker.top = 0
            state.picker.recentFocused = false
            return []
        case .pathCompleted(let text):
            if var prompt = state.prompt, prompt.kind == .path {
                prompt.text.set(text)
                state.prompt = prompt
            }
            return []
        case .recentLoaded(let recent):
            state.picker.recent = recent
            return []
        case .mappingNeeded(let path, let columns):
            state.mapping = MappingState()
            state.mapping.path = path
            state.mapping.columns = columns
            state.screen = .mapping
            return [.previewMapping(path: path, columns: columns)]
        case .mappingPreview(let lines):
            state.mapping.preview = lines
            return []
        case .sourceOpened(let box):
            state.session = box.session
            state.loading = LoadingState(path: box.session.path)
            state.records = RecordsState()
            state.review = ReviewState()
            state.settings.identifier = box.session.identifier
            state.settings.upsert = box.session.workspace.settings.upsert
            if !state.run.active { state.screen = .records }
            return [.validateInBackground]
        case .sourceFailed(let path, let error):
            state.status = .error("\(path): \(error)")
            return []
        case .indexProgress(let indexed, let fraction, let complete):
            state.loading?.indexed = indexed
            state.loading?.indexFraction = fraction
            state.loading?.indexComplete = complete
            state.session?.refreshColumnsIfEmpty()
            return []
        case .indexStopped(let indexed, let reason):
            let text = "not read to its end, nothing can be launched: reading stopped after record \(indexed): \(reason)"
            state.loading?.readFailure = text
            state.status = .error(text)
            return []
        case .validationProgress(let done, let total):
            state.loading?.validated = done
            state.loading?.validationTotal = total
            return []
        case .validationFinished(let box):
            state.session?.adopt(box.report, validatedWith: box.edits)
            state.loading?.validationComplete = true
            state.loading?.validated = state.session?.count ?? 0
            state.loading?.validationTotal = state.session?.count ?? 0
            if state.records.filter != .all { return RecordsUpdate.applyFilter(&state, state.records.filter) }
            return []
        case .filterResult(let generation, let rows, let complete):
            guard generation == state.records.filterGeneration else { return [] }
            state.records.rows = (state.records.rows ?? []) + rows
            state.records.filtering = !complete
            Update.clampRecords(&state)
            return []
        case .searchResult(let generation, let row, let term):
            guard generation == state.records.filterGeneration else { return [] }
            state.records.searching = false
            if let row {
                state.records.cursor = row
                Update.clampRecords(&state)
            } else {
                state.status = .info("\"\(term)\" not found")
            }
            return []
        case .settingsLoaded(let s):
            let keep = (state.settings.identifier, state.settings.upsert)
            state.settings = s
            if state.session != nil { (state.settings.identifier, state.settings.upsert) = keep }
            return []
        case .checkFinished(let steps):
            state.settings.checking = false
            state.settings.check = steps
            return []
        case .unfinishedRunFound(let run, let done):
            state.overlay = .confirm(Confirmation(
                title: "An unfinished run was found",
                lines: ["Run \(run.id.prefix(8)) of \(run.sourcePath)",
                        "into \(run.endpoint) project \(run.projectID), started \(run.createdAt.formatted(date: .abbreviated, time: .shortened)):",
                        "\(done) of \(run.recordCount) records have a result\(run.pausedReason.map { "; stopped: \($0)" } ?? "").",
                        "Press r to resume it now, Esc to look around first (resume later from the progress screen)."],
                key: "r", action: .resume(runID: run.id)))
            state.run.runID = run.id
            return []
        case .runStarted(let id, let batches, let base):
            state.run.runID = id
            state.run.batches = batches
            state.run.base = base
            state.run.counts = base
            state.run.active = true
            return []
        case .engine(let event):
            RunUpdate.apply(&state.run, event, now: state.now)
            return []
        case .runEnded(let result):
            state.run.active = false
            switch result {
            case .success(let counts):
                state.run.finished = counts
                state.run.counts = counts
                state.status = .info("finished: \(counts.inserted) inserted, \(counts.updated) updated, \(counts.skipped) skipped, \(counts.failed) failed — v to review")
            case .failure(let stop):
                state.run.pausedReason = stop.description
                state.status = .error("stopped: \(stop.description) — P resumes")
            }
            return [.loadOutcomes] + (state.screen == .review ? [.loadReview(state.review.tab)] : [])
        case .outcomesLoaded(let outcomes):
            state.records.outcomes = outcomes
            return []
        case .runFailedToStart(let error):
            state.run.active = false
            state.run.pausedReason = error
            state.status = .error(error)
            if state.run.runID == nil { state.screen = .settings }
            return []
        case .reviewLoaded(let tab, let groups):
            guard tab == state.review.tab else { return [] }
            state.review.groups = groups
            state.review.loaded = true
            state.review.group = min(state.review.group, max(0, groups.count - 1))
            state.review.item = min(state.review.item, max(0, state.review.currentItems.count - 1))
            return []
        case .upsertPreview(let records, let changes, let ignored, let current):
            ReviewUpdate.confirmUpsert(&state, records: records, changes: changes, ignored: ignored, current: current)
            return []
        case .done(let text):
            state.status = .info(text)
            return []
        case .failed(let text):
            state.status = .error(text)
            return []
        case .key, .resized, .tick:
            return []
        }
    }
}
