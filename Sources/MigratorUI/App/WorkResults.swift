import Foundation
import MigrationCore
import MigrationEngine

/// Results of the runtime's work, folded into the state.
enum WorkResults {
    static func apply(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .bulkProgress, .bulkPreviewed, .bulkFailed:
            return BulkUpdate.result(&state, message)
        case .revalidating:
            state.loading?.validationComplete = false
            state.loading?.validated = 0
            return []
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
            state.mapping.preset = SourceOpening.isPresetMapping(columns)
            state.screen = .mapping
            return [.previewMapping(path: path, columns: columns)]
        case .mappingPreview(let preview):
            state.mapping.preview = preview
            return []
        case .sourceOpened(let box):
            state.session = box.session
            state.loading = LoadingState(path: box.session.path)
            state.records = RecordsState()
            state.review = ReviewState()
            state.settings.identifier = box.session.identifier
            state.settings.upsert = box.session.workspace.settings.upsert
            if !state.run.active {
                // Another file's run never stays on screen: the new source's own runs are looked up.
                state.run = RunViewState()
                state.screen = .records
            }
            return [.validateInBackground, .loadSourceRuns]
        case .sourceFailed(let path, let error):
            state.status = .error("\(path): \(error)")
            return []
        case .indexProgress(let indexed, let fraction, let complete):
            state.loading?.indexed = indexed
            state.loading?.indexFraction = fraction
            state.loading?.indexComplete = complete
            state.session?.refreshColumnsIfEmpty()
            // A table sorted while the file was being read is sorted again with every record.
            return complete && !state.records.sort.isDefault && state.records.filter == .all ? RecordsUpdate.resort(&state) : []
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
            let counted = SettingsUpdate.validationFinished(&state)
            if state.records.filter != .all { return RecordsUpdate.applyFilter(&state, state.records.filter) + counted }
            // Statuses changed: a table sorted by them is sorted again.
            return (state.records.sort.key == .status ? RecordsUpdate.resort(&state) : []) + counted
        case .filterResult(let generation, let rows, let complete):
            guard generation == state.records.filterGeneration else { return [] }
            state.records.rows = (state.records.rows ?? []) + rows
            state.records.filtering = !complete
            Update.clampRecords(&state)
            return complete ? RecordsUpdate.resort(&state) : []
        case .sortResult(let generation, let rows):
            RecordsUpdate.sorted(&state, generation: generation, rows: rows)
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
        case .sourceRunsLoaded(let runs):
            return RunsUpdate.sourceRunsLoaded(&state, runs)
        case .progressTotals(let id, let totals):
            if id == state.run.runID { state.run.apply(totals, now: state.now) }
            return []
        case .runsLoaded(let entries):
            RunsUpdate.loaded(&state, entries)
            return []
        case .deltaCounted(let delta):
            state.launchDelta = delta
            // The "counting …" line has done its job: it must not stay up over the run it led to.
            if state.status == SettingsUpdate.countingDelta { state.status = nil }
            if state.launchPending, state.screen == .settings, state.overlay == nil {
                state.launchPending = false
                return SettingsUpdate.confirmLaunch(&state)
            }
            return []
        case .runStarted(let id, let batches, let base):
            if state.run.runID != id {
                state.run.totals = nil
                state.run.activeSeconds = 0
                state.run.activeBeforeSession = false
            }
            // A run that already had outcomes when this session first drove it: its earlier active
            // time is not known here (a crash leaves no end), so elapsed says it is this session's.
            if state.run.activeSeconds == 0, !state.run.active, base.total > 0 { state.run.activeBeforeSession = true }
            state.run.runID = id
            state.run.batches = batches
            state.run.counts = base
            state.run.begin(now: state.now)
            return []
        case .engine(let event):
            RunUpdate.apply(&state.run, event, now: state.now)
            return []
        case .runEnded(let result):
            state.run.end(now: state.now)
            switch result {
            case .success(let counts):
                state.run.finished = counts
                state.run.counts = counts
                state.status = .info("finished: \(counts.inserted) inserted, \(counts.updated) updated, \(counts.skipped) skipped, \(counts.failed) failed — v to review")
                state.run.endBanner = RunViewState.banner(finished: true, counts: counts, totals: state.run.totals, reason: nil)
            case .failure(.canary(let c)):
                state.run.pausedReason = "canary: its \(c.total) records are done — P sends the rest (go)"
                state.status = .info("canary done: \(c.inserted) inserted, \(c.updated) updated, \(c.skipped) skipped, \(c.failed) failed — P sends the rest, v reviews them")
                state.run.endBanner = RunViewState.canaryBanner(counts: c, totals: state.run.totals)
            case .failure(let stop):
                state.run.pausedReason = stop.description
                // The status line has one row: the whole reason (a 403's checklist) is on the progress screen and in the banner.
                state.status = .error(RunViewState.statusText(stopped: stop.description))
                // A stop the operator asked for needs no bell; every other end does.
                if stop != .interrupted {
                    state.run.endBanner = RunViewState.banner(finished: false, counts: state.run.counts, totals: state.run.totals, reason: stop.description)
                }
            }
            if let banner = state.run.endBanner {
                if state.overlay == nil { state.overlay = .banner(banner) }
                state.bells += 1
            }
            return [.loadOutcomes] + (state.screen == .review ? [.loadReview(state.review.tab)] : [])
        case .batchesLoaded(let id, let batches):
            if id == state.run.runID { state.run.batches = batches }
            return []
        case .outcomesLoaded(let outcomes):
            state.records.outcomes = outcomes
            return []
        case .runFailedToStart(let error):
            state.run.end(now: state.now)
            state.run.pausedReason = error
            state.status = .error(error)
            if state.run.runID == nil { state.screen = .settings }
            return []
        case .reviewLoaded(let tab, let groups):
            guard tab == state.review.tab else { return [] }
            state.review.groups = groups
            state.review.loaded = true
            // Edits saved in an earlier session count too (the later of the two times wins).
            if let saved = state.session?.editTimes { state.review.editedAt.merge(saved) { max($0, $1) } }
            state.review.group = min(state.review.group, max(0, groups.count - 1))
            state.review.item = min(state.review.item, max(0, state.review.currentItems.count - 1))
            return []
        case .upsertPreview(let records, let changes, let ignored, let current):
            // The users' values are read off the UI thread: an operator who left Review or
            // Verify meanwhile is not met by a confirmation on another screen.
            guard state.screen == .review || state.screen == .verify, state.overlay == nil else {
                state.status = .info("the upsert preview was ready after you left: press U again to see it")
                return []
            }
            if current != nil { state.status = .info("read the current values of \(records.count.counted("user"))") }
            ReviewUpdate.confirmUpsert(&state, records: records, changes: changes, ignored: ignored, current: current)
            return []
        case .verifyProgress, .verifyNotice, .verifyProblems, .verifyEnded:
            VerifyUpdate.apply(&state, message)
            return []
        case .rollbackPlanned, .rollbackProgress, .rollbackEnded, .protectedTargets:
            return RollbackUpdate.apply(&state, message)
        case .done(let text):
            state.status = .info(text)
            // An edit (or undo) was applied: the edits view shows the edits as they are now.
            if state.screen == .edits { EditsUpdate.refresh(&state) }
            return []
        case .failed(let text):
            state.status = .error(text)
            return []
        case .key, .resized, .tick:
            return []
        }
    }
}
