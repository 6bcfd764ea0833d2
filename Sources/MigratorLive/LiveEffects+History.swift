import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI
import Synchronization

/// The journal's runs as the TUI sees them: the open source's own runs (attached only when they
/// belong to it), every run for the Runs screen, and the progress figures of a run.
extension LiveEffects {
    func performHistoryEffect(_ effect: Effect, state: AppState, mailbox: Mailbox) {
        switch effect {
        case .loadSourceRuns: loadSourceRuns(state: state, mailbox: mailbox)
        case .loadRuns: loadRuns(mailbox: mailbox)
        case .countDelta(let s): countDelta(s, state: state, mailbox: mailbox)
        case .writeRunReport(let id, let path): writeRunReport(id, path: path, mailbox: mailbox)
        default: break
        }
    }

    /// The journal, for reading only: nil when there is none yet (reading never creates one).
    func existingJournal() -> Journal? {
        guard FileManager.default.fileExists(atPath: journalPath) else { return nil }
        return try? Journal(path: journalPath)
    }

    /// The target the form points to (the loaded settings until the form has them).
    func currentTarget(_ state: AppState) -> (endpoint: String, projectID: String) {
        let s = state.settings.endpoint.isEmpty && state.settings.projectID.isEmpty ? loaded : state.settings
        return (s.endpoint, s.projectID)
    }

    static func source(of session: SourceSession) -> SourceIdentity { SourceIdentity(file: session.index.file) }

    /// The run `id` if it belongs to the open source (`file`, opened at `openPath`); else a failure
    /// that says whose it is. Everything that maps a run's record numbers onto the open source asks this first.
    func boundRun(_ id: String, journal: Journal, file: SourceFile, openPath: String) throws -> RunRecord {
        guard let run = try journal.run(id: id) else { throw RunCoordinator.Failure("run \(id.prefix(8)) is not in \(journal.path)") }
        guard run.source.sameContent(as: SourceIdentity(file: file)) else {
            throw RunCoordinator.Failure("run \(id.prefix(8)) is a run of \(run.sourcePath) (\(run.sourceSize) bytes, fingerprint \(run.sourceFingerprint)), not of the open file \(openPath): open its source (R, then o) to see it")
        }
        return run
    }

    func boundRun(_ id: String, journal: Journal, session: SourceSession) throws -> RunRecord {
        try boundRun(id, journal: journal, file: session.index.file, openPath: session.path)
    }

    func loadSourceRuns(state: AppState, mailbox: Mailbox) {
        let session = state.session
        let path = session?.path
        let source = session.map(Self.source(of:))
        let target = currentTarget(state)
        Thread.detachNewThread { [self] in
            guard let journal = existingJournal() else { return }
            do {
                let entries = try journal.runHistory()
                let chosen = RunBinding.choose(entries, source: source, target: RunTarget(endpoint: target.endpoint, projectID: target.projectID))
                var answer = SourceRuns(sourcePath: path, attached: chosen.attached, elsewhere: chosen.elsewhere, elsewhereIsThisFile: chosen.elsewhereIsThisFile)
                if let run = chosen.attached?.run {
                    let totals = try journal.progressTotals(run: run.id)
                    answer.totals = totals
                    answer.batches = RunViewState.rows(try journal.batches(run: run.id), counts: totals.batchCounts, createdAt: run.createdAt)
                }
                mailbox.post(.sourceRunsLoaded(answer))
            } catch {
                mailbox.post(.failed("cannot read the runs from the journal \(journalPath): \(error)"))
            }
        }
    }

    /// What earlier runs into the form's target already imported of the open source (DeltaPlan).
    func countDelta(_ s: ImportSettings, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        let workspace = Self.snapshot(session)
        Thread.detachNewThread { [self] in
            var delta = LaunchDelta(endpoint: s.endpoint, projectID: s.projectID, identifier: s.identifier, done: 0,
                                    sendable: workspace.report?.totals().sendable ?? 0, text: "")
            if let journal = existingJournal() {
                do {
                    let plan = try DeltaPlan.compute(workspace: workspace, journal: journal, target: RunTarget(endpoint: s.endpoint, projectID: s.projectID))
                    delta.done = plan.done.count
                    delta.sendable = plan.sendable
                    delta.text = plan.describe(upsert: s.upsert, sendingAll: s.sendAll)
                } catch {
                    mailbox.post(.failed("cannot count what earlier runs imported (journal \(journalPath)): \(error)"))
                }
            }
            mailbox.post(.deltaCounted(delta))
        }
    }

    func loadRuns(mailbox: Mailbox) {
        Thread.detachNewThread { [self] in
            guard let journal = existingJournal() else { mailbox.post(.runsLoaded([])); return }
            do {
                let entries = try journal.runHistory()
                // The protections first: D is never enabled on a protected target, not even for a frame.
                mailbox.post(.protectedTargets(protectedTargets(entries)))
                mailbox.post(.runsLoaded(entries))
            } catch {
                mailbox.post(.runsLoaded([]))
                mailbox.post(.failed("cannot read the runs from the journal \(journalPath): \(error)"))
            }
        }
    }

    /// A report of every record of a run, its source reopened as the run saw it (a changed source is refused).
    func writeRunReport(_ id: String, path: String, mailbox: Mailbox) {
        Thread.detachNewThread { [self] in
            do {
                guard let journal = existingJournal(), let run = try journal.run(id: id) else { throw RunCoordinator.Failure("run \(id.prefix(8)) is not in \(journalPath)") }
                let workspace = try RunCoordinator.openSource(for: run)
                let rows = try RunReport.rows(run: run, workspace: workspace, journal: journal, only: nil)
                let bytes = path.hasSuffix(".ndjson") || path.hasSuffix(".jsonl") ? RunReport.ndjson(rows) : RunReport.csv(rows)
                let full = URL(fileURLWithPath: path).standardizedFileURL.path
                try StateDirectory.writeAtomically(bytes, to: full, mode: 0o600)
                mailbox.post(.done("wrote \(rows.count) rows of run \(id.prefix(8)) to \(full)"))
            } catch {
                mailbox.post(.failed("cannot write the report of run \(id.prefix(8)) to \(path): \(error)"))
            }
        }
    }
}

/// Reads a run's progress figures from the journal as batches complete, at most one read at a
/// time and spaced by what a read costs, so that a large journal is not read on every batch. It
/// reads through a connection of its own: in WAL mode a read there never holds up the engine's writes.
final class ProgressTotalsFeed: Sendable {
    private struct State {
        var reading = false
        var again = false
        var lastCost = 0.0
    }
    private let journal: Journal
    private let runID: String
    private let mailbox: Mailbox
    private let state = Mutex(State())

    init(journal: Journal, runID: String, mailbox: Mailbox) {
        self.journal = (try? Journal(path: journal.path)) ?? journal
        self.runID = runID
        self.mailbox = mailbox
    }

    /// Reads now on this thread and posts the figures (the start and the end of a run).
    func postNow() {
        let started = Date()
        if let totals = try? journal.progressTotals(run: runID) { mailbox.post(.progressTotals(runID: runID, totals)) }
        let cost = Date().timeIntervalSince(started)
        state.withLock { $0.lastCost = cost }
    }

    /// Asks for fresh figures soon (coalesced with a read under way).
    func request() {
        let start = state.withLock { s -> Bool in
            if s.reading { s.again = true; return false }
            s.reading = true
            return true
        }
        guard start else { return }
        Thread.detachNewThread { [self] in
            while true {
                let wait = state.withLock { max(0.25, $0.lastCost * 4) }
                usleep(UInt32(min(30, wait) * 1_000_000))
                postNow()
                let more = state.withLock { s -> Bool in
                    if s.again { s.again = false; return true }
                    s.reading = false
                    return false
                }
                if !more { return }
            }
        }
    }
}
