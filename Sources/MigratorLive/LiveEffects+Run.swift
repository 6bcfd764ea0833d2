import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI
import Synchronization

/// Settings, the connection check, and runs: launch, resume, pause, second passes, review, reports.
extension LiveEffects {
    func performRunEffect(_ effect: Effect, state: AppState, mailbox: Mailbox) {
        switch effect {
        case .loadSettings: mailbox.post(.settingsLoaded(loaded))
        case .checkConnection(let s):
            let check = target.check
            let log = self.log
            Thread.detachNewThread {
                mailbox.post(.checkFinished(check(s, { log.write("warning: \($0)") })))
            }
        case .launch(let s): launch(s, state: state, mailbox: mailbox)
        case .resume(let id, let s): resume(id, settings: s, state: state, mailbox: mailbox)
        case .pauseRun: stopRun(wait: false)
        case .loadReview(let tab): loadReview(tab, state: state, mailbox: mailbox)
        case .retryFailed(let records): secondPass(.retryFailed(records), state: state, mailbox: mailbox)
        case .retryAllFailed: secondPass(.retryFailed(nil), state: state, mailbox: mailbox)
        case .rerunSkipped(let records): secondPass(.rerunSkipped(records), state: state, mailbox: mailbox)
        case .previewUpsert(let records):
            guard let session = state.session, let runID = state.run.runID else { return }
            do { _ = try boundRun(runID, journal: openJournal(), session: session) } catch {
                mailbox.post(.failed("\(error)"))
                return
            }
            previewUpsert(records, session: session, state: state, mailbox: mailbox)
        case .exportReport(let tab, let path): exportReport(tab, path: path, state: state, mailbox: mailbox)
        case .verifyRun(let id): verify(id, settings: state.settings, mailbox: mailbox)
        case .cancelVerify: verifyTask.withLock { $0?.cancel() }
        case .planRollback(let id): planRollback(id, settings: state.settings, mailbox: mailbox)
        case .rollback(let id, let typed): rollback(id, typedProjectID: typed, settings: state.settings, mailbox: mailbox)
        case .cancelRollback: rollbackTask.withLock { $0?.cancel() }
        default: performHistoryEffect(effect, state: state, mailbox: mailbox)
        }
    }

    /// Resolves the form's settings, warnings to the log.
    func connect(_ s: ImportSettings) throws -> LiveTarget.Connection {
        let log = self.log
        return try target.connect(s, { log.write("warning: \($0)") })
    }

    func openJournal() throws -> Journal {
        do { return try Journal(path: journalPath) } catch { throw RunCoordinator.Failure("cannot open the journal \(journalPath): \(error)") }
    }

    /// A copy of the workspace for the engine: later edits in the UI do not change bodies being sent.
    static func snapshot(_ session: SourceSession) -> SourceWorkspace { snapshot(session.workspace) }

    static func snapshot(_ workspace: SourceWorkspace) -> SourceWorkspace {
        let w = SourceWorkspace(index: workspace.index, edits: workspace.edits, settings: workspace.settings)
        if let r = workspace.report { w.adopt(r, validatedWith: workspace.edits) }
        return w
    }

    func launch(_ s: ImportSettings, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        let workspace = Self.snapshot(session)
        do {
            let settings = try connect(s)
            let client = try settings.makeClient()
            let journal = try openJournal()
            let lock = try JournalLock.acquire(journal: journal.path, command: "tui")
            defer { lock.release() }
            // Only the records earlier runs into this target have not imported, unless the form says all.
            var only: Set<Int>?
            if !s.sendAll {
                let plan = try DeltaPlan.compute(workspace: workspace, journal: journal, target: RunTarget(endpoint: settings.endpoint, projectID: settings.projectID))
                if !plan.done.isEmpty {
                    let report = workspace.report ?? workspace.validate()
                    only = Set((0..<report.recordCount).filter { report.isSendable($0) && !plan.done.contains($0) })
                    log.write(plan.describe(upsert: s.upsert, sendingAll: false))
                }
            }
            let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: settings.endpoint,
                                                  projectID: settings.projectID, mappingPath: session.mappingPath,
                                                  editsPath: session.editsPath, only: only, canary: s.canary > 0 ? s.canary : nil)
            log.write("run \(run.id) started: \(run.recordCount) records, \(run.sourcePath) → \(run.endpoint) project \(run.projectID)"
                      + (s.canary > 0 ? ", canary of \(s.canary)" : ""))
            start(run: run, workspace: workspace, journal: journal, client: client, concurrency: s.concurrency, stopAfterCanary: s.canary > 0, mailbox: mailbox)
        } catch {
            mailbox.post(.runFailedToStart("cannot start the import: \(error)"))
        }
    }

    func resume(_ id: String, settings s: ImportSettings, state: AppState, mailbox: Mailbox) {
        let log = self.log
        let openPath = state.session.map { URL(fileURLWithPath: $0.path).standardizedFileURL.path }
        Thread.detachNewThread { [self] in
            do {
                let journal = try openJournal()
                let lock = try JournalLock.acquire(journal: journal.path, command: "tui resume")
                defer { lock.release() }
                guard let run = try journal.run(id: id) else { throw RunCoordinator.Failure("run \(id) is not in \(journalPath)") }
                let workspace = try RunCoordinator.openSource(for: run)
                let settings = try connect(s)
                if settings.endpoint != run.endpoint || settings.projectID != run.projectID {
                    throw RunCoordinator.Failure("run \(id.prefix(8)) imports into \(run.endpoint) project \(run.projectID), but the settings point to \(settings.endpoint) project \(settings.projectID): fix them in import settings (L)")
                }
                let client = try settings.makeClient()
                if openPath != run.sourcePath {
                    let session = SourceSession(path: run.sourcePath, workspace: workspace, mappingPath: run.mappingPath, editsPath: run.editsPath)
                    mailbox.post(.sourceOpened(SessionBox(session)))
                }
                log.write("run \(run.id) resumed")
                self.start(run: run, workspace: Self.snapshot(workspace), journal: journal, client: client, concurrency: s.concurrency,
                           mailbox: mailbox)
            } catch {
                mailbox.post(.runFailedToStart("cannot resume: \(error)"))
            }
        }
    }

    /// `retryFailed(nil)`: every failed record of the run.
    enum Pass { case retryFailed([Int]?), rerunSkipped([Int]) }

    func secondPass(_ pass: Pass, state: AppState, mailbox: Mailbox) {
        guard let session = state.session, let runID = state.run.runID else { return }
        let workspace = Self.snapshot(session)
        do {
            let journal = try openJournal()
            let lock = try JournalLock.acquire(journal: journal.path, command: "tui second pass")
            defer { lock.release() }
            let run = try boundRun(runID, journal: journal, session: session)
            let client = try connect(state.settings).makeClient()
            switch pass {
            case .retryFailed(let records):
                let (planned, still) = try RunCoordinator.planRetryFailed(run: run, workspace: workspace, journal: journal, only: records)
                if !still.isEmpty {
                    mailbox.post(.failed("\(still.count) record(s) still do not validate and stay out: \(still.prefix(8).map(String.init).joined(separator: ", "))"))
                }
                log.write("run \(run.id): retry of \(planned.reduce(0) { $0 + $1.records.count }) failed records")
                guard !planned.isEmpty else {
                    ProgressTotalsFeed(journal: journal, runID: run.id, mailbox: mailbox).postNow()
                    mailbox.post(.runEnded(.success((try? journal.outcomeCounts(run: run.id)) ?? OutcomeCounts())))
                    return
                }
            case .rerunSkipped(let records):
                _ = try RunCoordinator.planRetrySkipped(run: run, records: records, workspace: workspace, journal: journal)
                log.write("run \(run.id): re-run of \(records.count) skipped users with upsert")
            }
            start(run: run, workspace: workspace, journal: journal, client: client, concurrency: state.settings.concurrency, mailbox: mailbox)
        } catch {
            mailbox.post(.runFailedToStart("\(error)"))
        }
    }

    /// Starts the engine on the cooperative pool (from any thread); its events and its end come back through the mailbox.
    /// The caller holds the journal's lock (taken before the run was planned); it is taken once more
    /// here and held until the run ends.
    func start(run: RunRecord, workspace: SourceWorkspace, journal: Journal, client: ImportClient, concurrency: Int, stopAfterCanary: Bool = false,
               mailbox: Mailbox) {
        let held: JournalLock
        do { held = try JournalLock.acquire(journal: journal.path, command: "tui") } catch {
            mailbox.post(.runFailedToStart("\(error)"))
            return
        }
        let feed = ProgressTotalsFeed(journal: journal, runID: run.id, mailbox: mailbox)
        let counts = ((try? journal.progressTotals(run: run.id, recentFailures: 0)) ?? RunProgressTotals()).batchCounts
        let batches = RunViewState.rows((try? journal.batches(run: run.id)) ?? [], counts: counts, createdAt: run.createdAt)
        let base = (try? journal.outcomeCounts(run: run.id)) ?? OutcomeCounts()
        mailbox.post(.runStarted(runID: run.id, batches: batches, base: base))
        feed.postNow()
        var options = MigrationRunner.Options()
        options.concurrency = max(1, concurrency)
        options.stopAfterCanary = stopAfterCanary
        let log = self.log
        let runner = MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace),
                                     service: ClientImportService(client: client), options: options,
                                     emit: { event in
                                         if case .progress = event {} else { log.write("run \(run.id.prefix(8)): \(event)") }
                                         mailbox.post(.engine(event))
                                         switch event {
                                         case .batchCompleted, .recoveryPlanned, .paused, .finished: feed.request()
                                         default: break
                                         }
                                     })
        let task = Task.detached {
            let result: Result<OutcomeCounts, RunStop>
            do throws(RunStop) { result = .success(try await runner.run()) } catch { result = .failure(error) }
            held.release()
            log.write("run \(run.id) ended: \(result)")
            // The final figures first, so that the end's banner states them; the batches as the
            // journal left them (a refused batch is planned again, not still "sending").
            feed.postNow()
            let counts = ((try? journal.progressTotals(run: run.id, recentFailures: 0)) ?? RunProgressTotals()).batchCounts
            mailbox.post(.batchesLoaded(runID: run.id, batches: RunViewState.rows((try? journal.batches(run: run.id)) ?? [], counts: counts,
                                                                                  createdAt: run.createdAt)))
            mailbox.post(.runEnded(result))
        }
        runLock.withLock { $0 = task }
    }

    /// Stops the engine cleanly (in-flight requests are abandoned, the journal is committed).
    public func stopRun(wait: Bool) {
        guard let task = runLock.withLock({ $0 }) else { return }
        task.cancel()
        guard wait else { return }
        let done = DispatchSemaphore(value: 0)
        Task.detached { await task.value; done.signal() }
        _ = done.wait(timeout: .now() + 30)
    }

    func loadReview(_ tab: ReviewState.Tab, state: AppState, mailbox: Mailbox) {
        guard let runID = state.run.runID else {
            mailbox.post(.reviewLoaded(tab: tab, groups: []))
            return
        }
        guard let session = state.session else {
            mailbox.post(.reviewLoaded(tab: tab, groups: []))
            return
        }
        let index = session.index
        let openPath = session.path
        let edits = session.workspace.edits
        let field = session.identifier.field
        let journalPath = self.journalPath
        Thread.detachNewThread { [self] in
            let latest: [Int: RecordResult]
            do {
                let journal = try Journal(path: journalPath)
                // Record numbers of another file's run would pair this file's identifiers with its user_ids.
                _ = try boundRun(runID, journal: journal, file: index.file, openPath: openPath)
                latest = try journal.latestResults(run: runID)
            } catch {
                mailbox.post(.reviewLoaded(tab: tab, groups: []))
                mailbox.post(.failed("cannot load the review: \(error)"))
                return
            }
            func identifier(_ n: Int) -> String {
                if case .replaced(let v)? = edits[n] { return v[field]?.stringValue ?? "" }
                guard n < index.count, case .success(let v) = index.loadRecord(n) else { return "" }
                return v[field]?.stringValue ?? ""
            }
            var groups: [String: [ReviewState.Item]] = [:]
            for r in latest.values.sorted(by: { $0.record < $1.record }) {
                switch tab {
                case .failed where !r.outcome.isSuccess:
                    let reason = r.errorReason ?? "failed"
                    let cause = RecordErrorCause.parse(r.errorJSON)
                    let detail = [cause?.kind, cause?.clash].compactMap { $0 }.joined(separator: ": ")
                    groups[reason, default: []].append(ReviewState.Item(record: r.record, identifier: identifier(r.record), reason: reason,
                                                                        message: r.errorMessage ?? "", detail: detail.isEmpty ? nil : detail,
                                                                        cause: cause?.kind, clash: cause?.clash, recordedAt: r.recordedAt))
                case .skipped where r.outcome == .skipped:
                    let key = r.possiblyCreatedAt == nil ? "user already existed" : "possibly created by an interrupted attempt"
                    groups[key, default: []].append(ReviewState.Item(record: r.record, identifier: identifier(r.record), reason: key,
                                                                     message: r.warnings.joined(separator: "; "), userID: r.userID))
                case .warnings:
                    for w in r.warnings {
                        groups[w, default: []].append(ReviewState.Item(record: r.record, identifier: identifier(r.record), reason: r.outcome.description, message: w, userID: r.userID))
                    }
                default: break
                }
            }
            let sorted = groups.map { ReviewState.Group(key: $0.key, records: $0.value) }.sorted { ($0.records.count, $1.key) > ($1.records.count, $0.key) }
            mailbox.post(.reviewLoaded(tab: tab, groups: sorted))
        }
    }

    /// Each record's latest outcome for the records table's result column.
    func loadOutcomes(state: AppState, mailbox: Mailbox) {
        guard let runID = state.run.runID, let session = state.session else { return }
        let count = session.count
        let file = session.index.file
        let openPath = session.path
        let journalPath = self.journalPath
        Thread.detachNewThread { [self] in
            var outcomes = RecordOutcomes(count: count)
            do {
                let journal = try Journal(path: journalPath)
                _ = try boundRun(runID, journal: journal, file: file, openPath: openPath)
                try journal.forEachLatestOutcome(run: runID) { outcomes.set($0, $1) }
                mailbox.post(.outcomesLoaded(outcomes))
            } catch {
                mailbox.post(.failed("cannot read the outcomes from the journal \(journalPath): \(error)"))
            }
        }
    }

    func exportReport(_ tab: ReviewState.Tab, path: String, state: AppState, mailbox: Mailbox) {
        guard let session = state.session, let runID = state.run.runID else { return }
        let workspace = Self.snapshot(session)
        let openPath = session.path
        let journalPath = self.journalPath
        Thread.detachNewThread { [self] in
            do {
                let journal = try Journal(path: journalPath)
                let run = try boundRun(runID, journal: journal, file: workspace.index.file, openPath: openPath)
                var rows = try RunReport.rows(run: run, workspace: workspace, journal: journal, only: tab == .warnings ? nil : RecordState(tab.rawValue))
                if tab == .warnings { rows = rows.filter { !$0.warnings.isEmpty } }
                let bytes = path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl") ? RunReport.ndjson(rows) : RunReport.csv(rows)
                let full = URL(fileURLWithPath: path).standardizedFileURL.path
                try StateDirectory.writeAtomically(bytes, to: full, mode: 0o600)
                mailbox.post(.done("wrote \(rows.count) rows to \(full)"))
            } catch {
                mailbox.post(.failed("cannot write the report to \(path): \(error)"))
            }
        }
    }
}
