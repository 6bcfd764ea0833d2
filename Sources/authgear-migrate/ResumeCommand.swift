import ArgumentParser
import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine

/// `authgear-migrate resume`: continues a run from the journal without asking again.
struct ResumeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an unfinished run exactly where it stopped (the latest unfinished run by default).",
        discussion: """
        Batches that were being sent when the run stopped are sent again: the server never creates a \
        second user for an identifier it already has, and records that then come back "skipped" are \
        marked as possibly created by the interrupted attempt. Jobs already accepted are polled. The run \
        was confirmed when it started, so resume does not ask. The source file must be unchanged.
        """
    )

    @OptionGroup var where_: JournalOptions
    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Requests in flight at once.") var concurrency = 2
    @Flag(help: "Print engine events as NDJSON on stdout.") var json = false
    @Flag(help: "Continue even though the source file changed since the run began.") var allowChangedSource = false

    func run() throws {
        try runReportingErrors {
            let journal = try where_.open()
            let engine = EngineOptions(journal: journal.path, concurrency: concurrency, json: json)
            let lock = try engine.lock(journal, command: "resume")
            defer { lock.release() }
            let run = try where_.resolveRun(journal)
            let open = try journal.batches(run: run.id).contains(where: { $0.state != .completed })
            // A run is finished only when every planned record has an outcome, whatever its state says.
            let unaccounted = try journal.recordsWithoutOutcome(run: run.id)
            guard run.state != .finished || open || !unaccounted.isEmpty else {
                print("run \(run.id) is finished; see `authgear-migrate status --run \(run.id.prefix(8))`")
                return 0
            }
            let workspace: SourceWorkspace
            do { workspace = try RunCoordinator.openSource(for: run, allowChangedSource: allowChangedSource) } catch {
                throw CLIError.unreadable("\(error)")
            }
            let settings = try connection.resolve()
            if settings.endpoint.value != run.endpoint || settings.projectID.value != run.projectID {
                throw CLIError.usage("run \(run.id) imports into \(run.endpoint) project \(run.projectID), but the connection settings point to \(settings.endpoint.value) project \(settings.projectID.value)")
            }
            let client = try connection.client(settings)
            let summary = try RunSummary.load(run, journal: journal, holder: .free)
            FileHandle.standardError.write(Data("resuming run \(run.id) (\(summary.status.description)): \(summary.counts.total.groupedDigits) of \(summary.planned.counted("planned record")) \(summary.counts.total == 1 ? "has" : "have") an outcome\n".utf8))
            if let plan = summary.resumePlan { FileHandle.standardError.write(Data("  \(plan)\n".utf8)) }
            return engine.execute(run: run, workspace: workspace, journal: journal, service: ClientImportService(client: client))
        }
    }
}

/// `authgear-migrate retry --failed | --skipped`.
struct RetryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "retry",
        abstract: "Second passes: re-send failed records (after fixing them), or re-run skipped users with upsert.",
        discussion: """
        --failed re-sends the records whose latest result is "failed", with their current edits; records \
        that still do not validate are listed and left out; it says how many it will send and asks (--yes for \
        scripts; without a terminal and without --yes nothing is sent, exit 2). --skipped re-runs the users that already existed \
        with upsert = true: it first shows which fields upsert will change and which it ignores for existing \
        users (password, mfa.password and mfa.totp are never changed by upsert), then asks (--yes for scripts). \
        Each pass is recorded in the journal; a record's current state is its latest attempt, its history stays.
        """
    )

    @OptionGroup var where_: JournalOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Re-send failed records.") var failed = false
    @Flag(help: "Re-run skipped users with upsert = true.") var skipped = false
    @Option(help: "Requests in flight at once.") var concurrency = 2
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Print engine events as NDJSON on stdout.") var json = false

    func run() throws {
        try runReportingErrors {
            guard failed != skipped else { throw CLIError.usage("choose exactly one of --failed or --skipped") }
            let journal = try where_.open()
            let engine = EngineOptions(journal: journal.path, concurrency: concurrency, json: json)
            let lock = try engine.lock(journal, command: failed ? "retry --failed" : "retry --skipped")
            defer { lock.release() }
            let run = try where_.resolveRun(journal)
            let workspace: SourceWorkspace
            do { workspace = try RunCoordinator.openSource(for: run) } catch { throw CLIError.unreadable("\(error)") }
            let settings = try connection.resolve()
            let client = try connection.client(settings)
            if failed {
                // Confirmed before anything is planned: a refusal leaves the journal as it was.
                let (ready, stillInvalid) = try RunCoordinator.retryFailedCandidates(source: RunSource(run: run, workspace: workspace), journal: journal)
                if !stillInvalid.isEmpty {
                    FileHandle.standardError.write(Data("\(stillInvalid.count.groupedDigits) failed record\(stillInvalid.count == 1 ? "" : "s") still do\(stillInvalid.count == 1 ? "es" : "") not validate and stay\(stillInvalid.count == 1 ? "s" : "") out: \(stillInvalid.prefix(10).map(String.init).joined(separator: ", "))\n".utf8))
                }
                if ready.isEmpty { print("nothing to retry"); return stillInvalid.isEmpty ? 0 : 1 }
                try confirm("Will re-send \(ready.count.groupedDigits) failed record\(ready.count == 1 ? "" : "s") of run \(run.id.prefix(8)) (with their current edits) to \(settings.endpoint.value), project \(settings.projectID.value).", yes: yes)
                _ = try RunCoordinator.planRetryFailed(run: run, workspace: workspace, journal: journal, only: ready)
            } else {
                let records = try RunCoordinator.skippedRecords(run: run, journal: journal)
                if records.isEmpty { print("no skipped users in run \(run.id)"); return 0 }
                FileHandle.standardError.write(Data("reading the current values of \(records.count.counted("skipped user", "skipped users")) from the project…\n".utf8))
                let graphQL = AdminGraphQLClient(connection: AdminAPIConnection(client))
                let progress = VerifyProgress()
                var lines = ["Re-running \(records.count.counted("skipped user", "skipped users")) with upsert = true:"]
                do {
                    let preview = try runBlocking {
                        try await UpsertPreview.compute(run: run, records: records, workspace: workspace, journal: journal, graphQL: graphQL,
                                                        progress: { progress.show(phase: "reading users", done: $0, total: $1) })
                    }
                    progress.clear()
                    lines += preview.lines
                } catch let error as AdminGraphQLError {
                    // Without the Admin GraphQL API (an old server), say what the records set, not what changes.
                    progress.clear()
                    let preview = RunCoordinator.upsertPreview(records: records, workspace: workspace)
                    lines.append("  (the users' current values could not be read: \(error.description))")
                    lines.append("  will set: " + (preview.changes.isEmpty ? "nothing" : preview.changes.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ")))
                    if !preview.ignored.isEmpty {
                        lines.append("  IGNORED by the server for existing users (no warning): " + preview.ignored.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
                    }
                }
                try confirm(lines.joined(separator: "\n"), yes: yes)
                _ = try RunCoordinator.planRetrySkipped(run: run, records: records, workspace: workspace, journal: journal)
            }
            return engine.execute(run: run, workspace: workspace, journal: journal, service: ClientImportService(client: client))
        }
    }
}

extension EngineOptions {
    init(journal: String, concurrency: Int, json: Bool) {
        self.init()
        self.journal = journal
        self.concurrency = concurrency
        self.json = json
    }
}
