import Foundation
import MigrationCore
import MigrationEngine
import TerminalKit

/// Everything that can happen to the UI: input, and results of work the runtime did.
public enum Message: Sendable {
    case key(Key)
    case resized(width: Int, height: Int)
    case tick(Date)

    case directoryListed(path: String, entries: [PickerState.Entry], error: String?)
    case recentLoaded([String])
    case mappingPreview(MappingPreview)
    /// A CSV needs its columns mapped before opening.
    case mappingNeeded(path: String, columns: [MappingState.Column])
    case sourceOpened(SessionBox)
    case sourceFailed(path: String, error: String)
    case indexProgress(indexed: Int, fraction: Double, complete: Bool)
    /// Reading the source stopped before its end (truncated, damaged): where and why. Nothing can be launched from it.
    case indexStopped(indexed: Int, reason: String)
    case validationProgress(done: Int, total: Int)
    /// The edits changed too much to re-validate record by record: a background pass has started.
    case revalidating
    case validationFinished(ValidationReportBox)
    case filterResult(generation: Int, rows: [Int], complete: Bool)
    case searchResult(generation: Int, row: Int?, term: String)
    /// The table's rows in the order asked for (`sortGeneration`: a newer sort or filter supersedes it).
    case sortResult(generation: Int, rows: [Int])

    case settingsLoaded(ImportSettings)
    case checkFinished([CheckStep])
    /// The runs of the open source into the current target (attached), or an unfinished run of another file.
    case sourceRunsLoaded(SourceRuns)
    /// The journal's figures for a run (gauge, totals, failures): the one source of the progress screen.
    case progressTotals(runID: String, RunProgressTotals)
    /// Every run of the journal, for the Runs screen.
    case runsLoaded([RunHistoryEntry])
    case deltaCounted(LaunchDelta)
    case runStarted(runID: String, batches: [RunViewState.BatchRow], base: OutcomeCounts)
    case engine(EngineEvent)
    case runEnded(Result<OutcomeCounts, RunStop>)
    /// The run's batches as the journal has them once it ended (a batch refused with 403 is planned again, not "sending").
    case batchesLoaded(runID: String, batches: [RunViewState.BatchRow])
    case runFailedToStart(String)
    case reviewLoaded(tab: ReviewState.Tab, groups: [ReviewState.Group])
    /// What upsert will do to these skipped users: `changes`/`ignored` count what the records set;
    /// `current`, when the project could be read, says per field how many users really change
    /// (old → new) and "N users will change, M unchanged" (UpsertPreview.lines).
    case upsertPreview(records: [Int], changes: [String: Int], ignored: [String: Int], current: [String]? = nil)
    case outcomesLoaded(RecordOutcomes)
    case pathCompleted(String)
    /// Verify (V): what the verifier is doing, the problems it found (in batches), its end.
    case verifyProgress(runID: String, VerifyState.Progress)
    case verifyNotice(runID: String, String)
    case verifyProblems(runID: String, [VerifyProblem])
    case verifyEnded(runID: String, VerifyEnd)
    /// Rollback (D on the Runs screen): its plan (or why there is none), progress and end.
    case rollbackPlanned(runID: String, Result<RollbackPlan, RollbackRefusal>)
    case rollbackProgress(runID: String, done: Int, total: Int)
    case rollbackEnded(runID: String, RollbackEnd)
    /// Targets a profile marks `"protected": true`, with the reason rollback refuses them.
    case protectedTargets([RunTarget: String])
    /// A bulk operation's preview: progress, then its counts (or why it could not be worked out).
    case bulkProgress(generation: Int, done: Int, total: Int)
    case bulkPreviewed(generation: Int, counts: BulkPlan.Counts)
    case bulkFailed(generation: Int, String)
    case done(String)
    case failed(String)
}

/// Carries the session (a UI-thread object) across the mailbox; only the UI thread opens it.
public struct SessionBox: @unchecked Sendable {
    // @unchecked: created on a worker, handed over once, then used only by the UI thread.
    public let session: SourceSession
    public init(_ session: SourceSession) { self.session = session }
}

/// A finished validation pass and the edits it saw.
public struct ValidationReportBox: Sendable {
    public let report: ValidationReport
    public let edits: EditOverlay
    public init(report: ValidationReport, edits: EditOverlay) {
        self.report = report
        self.edits = edits
    }
}

/// Work the runtime performs for `update`; results come back as messages.
public enum Effect: Equatable, Sendable {
    case listDirectory(String)
    case completePath(String)
    case loadRecent
    case openSource(path: String, mappingPath: String?)
    case previewMapping(path: String, columns: [MappingState.Column])
    case applyMapping(path: String, columns: [MappingState.Column])
    case validateInBackground
    case filter(RecordFilter, generation: Int)
    case search(term: String, fromRow: Int, forward: Bool, generation: Int)
    /// Sorts the table's rows (nil: every record) in the background.
    case sortRows(RecordSort, rows: [Int]?, generation: Int)
    case edit(EditOperation)
    case loadSettings
    case checkConnection(ImportSettings)
    case launch(ImportSettings)
    case resume(runID: String, settings: ImportSettings)
    /// Finds the open source's runs into the current target (or, with no source, unfinished runs to offer).
    case loadSourceRuns
    case loadRuns
    /// Counts what earlier runs into this target already imported of the open source (for the launch dialog).
    case countDelta(ImportSettings)
    /// A report of every record of a run (its source reopened as the run saw it).
    case writeRunReport(runID: String, path: String)
    /// Every failed record of the bound run again.
    case retryAllFailed
    case pauseRun
    case loadReview(ReviewState.Tab)
    case retryFailed([Int])
    case previewUpsert([Int])
    case rerunSkipped([Int])
    case exportReport(tab: ReviewState.Tab, path: String)
    case exportEdited(path: String)
    case loadOutcomes
    /// Verifies a run (RunVerifier) against its own target; `cancelVerify` stops it.
    case verifyRun(runID: String)
    case cancelVerify
    /// Reads what a rollback of the run would delete (answered by `rollbackPlanned`).
    case planRollback(runID: String)
    /// Deletes the users the run inserted; `typedProjectID` is what the operator typed, checked again.
    case rollback(runID: String, typedProjectID: String)
    case cancelRollback
    /// Works out a bulk operation on a copy of the edits (re-validated off the UI thread) and answers with its counts.
    case previewBulk(BulkRequest, generation: Int)
    case cancelBulk
    /// Applies the previewed operation as one undo step.
    case applyBulk(BulkRequest, generation: Int)
    /// Writes every edit as a diff a reviewer can read and `--edits FILE` applies.
    case exportEdits(path: String)
    case quit
}

/// How a verification ended.
public enum VerifyEnd: Equatable, Sendable {
    case finished(VerifySummary)
    case cancelled
    case failed(String)
}

/// How a rollback ended.
public enum RollbackEnd: Equatable, Sendable {
    case finished(RollbackResult)
    case cancelled
    case failed(String)
}

/// Why no rollback can be planned (a protected target, the settings point elsewhere, the journal).
public struct RollbackRefusal: Error, Equatable, Sendable {
    public var reason: String
    public init(_ reason: String) { self.reason = reason }
}

/// A change to the edits overlay.
public enum EditOperation: Equatable, Sendable {
    case set(record: Int, pointer: String, value: JSONValue?)
    case exclude(Int)
    case include(Int)
    case revert(Int)
    /// Undoes the last edit of this record (each record has its own history).
    case undo(record: Int)
    case redo(record: Int)
}
