import Synchronization
import ArgumentParser
import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine

/// `authgear-migrate import FILE`: validate, confirm, send, record every outcome.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a source into the project: validate, confirm, send in batches, record every outcome.",
        discussion: """
        Validates first and refuses to send invalid records (they are listed; --skip-invalid sends the \
        rest). Asks for confirmation with counts unless --yes. Every batch, job id and record outcome is \
        committed to the journal as it happens, so Ctrl-C or a crash loses nothing: `authgear-migrate resume` \
        continues exactly where it stopped.

        Delta launches: when earlier runs into the same endpoint and project already imported some of the \
        records, import says how many and by default (--only-new) sends only the rest; --all sends all of \
        them (with upsert off they are skipped, with upsert on updated). The rule: \(DeltaPlan.rule).

        Canary: --canary N sends the first N records alone, waits for their outcomes and prints them with \
        their warnings, then asks for a go on a terminal. With --yes it goes on only if none of them failed \
        (else it stops). Without a terminal and without --yes it sends only the canary and stops with the \
        run paused (reason "canary"): `authgear-migrate resume` sends the rest.

        Exit status: 0 every record ended inserted, updated or skipped; 1 some records failed, or the run \
        stopped after its canary (the rest has no outcome until `resume`); 2 the run could not proceed (bad input, refused credentials, quota exhausted, \
        interrupted: see `status`).
        """
    )

    @OptionGroup var source: SourceOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var engine: EngineOptions
    @Flag(help: "Send the valid records even if some records are invalid.") var skipInvalid = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Start a new run even though a file with this content has an unfinished run into the same target in the journal (normally: `resume` it).") var newRun = false
    @Flag(name: .customLong("only-new"), help: "Send only the records that earlier runs into this target did not import successfully (the default).")
    var onlyNew = false
    @Flag(help: "Send every record, also those earlier runs into this target already imported (upsert off: skipped; on: updated).")
    var all = false
    @Option(help: ArgumentHelp("Send the first N records alone first and stop for a go / no-go (see above).", valueName: "n"))
    var canary: Int?
    @Option(help: ArgumentHelp("The source's own user id, kept with the run for reports (`report` legacy_id, --user-map): a JSON pointer such as /legacy_id, or a CSV column (one that maps to no field is carried without being sent). Never a secret field.", valueName: "pointer|column"))
    var keyField: String?

    func run() throws {
        try runReportingErrors {
            if onlyNew && all { throw CLIError.usage("choose one of --only-new and --all") }
            if let canary, canary < 1 { throw CLIError.usage("--canary must be at least 1") }
            let progress = ProgressLine()
            let workspace = try source.openWorkspace(progress: progress)
            let report = workspace.validate(progress: { done, total in
                progress.update("validating", fraction: total == 0 ? 1 : Double(done) / Double(total), detail: "\(done.groupedDigits)/\(total.groupedDigits) records")
            })
            progress.clear()
            try requireUnchangedSource(report)
            if let keyField { _ = try RecordKeyField(keyField, index: workspace.index) }
            if report.errorCount > 0 && !skipInvalid {
                var lines = ["\(report.errorCount.groupedDigits) of \(report.recordCount.counted("record")) \(report.errorCount == 1 ? "is" : "are") invalid; nothing was sent:"]
                for n in report.issues.keys.filter({ report.status[$0] == .errors }).prefix(10) {
                    let issue = report.issues[n]!.first { $0.severity == .error }!
                    lines.append("  record \(n) (line \(workspace.index.span(n).line)) \(issue.pointer.isEmpty ? "(record)" : issue.pointer): \(issue.message)")
                }
                lines.append("Fix them (`validate` lists all), or pass --skip-invalid to send the \(report.validCount.counted("valid record")).")
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                return 1
            }
            let settings = try connection.resolve()
            let client = try connection.client(settings)
            let journal = try engine.openJournal()
            // Held from the check for an unfinished run of this source until the run stops.
            let lock = try engine.lock(journal, command: "import")
            defer { lock.release() }
            let target = RunTarget(endpoint: settings.endpoint.value, projectID: settings.projectID.value)
            let delta = try DeltaPlan.compute(workspace: workspace, journal: journal, target: target)
            let upsert = workspace.settings.upsert
            if !delta.done.isEmpty { FileHandle.standardError.write(Data((delta.describe(upsert: upsert, sendingAll: all) + "\n").utf8)) }
            if !all, !delta.done.isEmpty, delta.remaining == 0 {
                print("nothing new to send: every sendable record already has a successful outcome in this target; --all sends them again")
                return 0
            }
            let only: Set<Int>? = all || delta.done.isEmpty
                ? nil : Set((0..<report.recordCount).filter { report.isSendable($0) && !delta.done.contains($0) })
            let sendable = only?.count ?? delta.sendable
            let summary = "Will send \(sendable.counted("record")) (\(report.errorCount.groupedDigits) invalid and \(report.excludedCount.groupedDigits) excluded left out\(only == nil ? "" : ", \(delta.done.count.groupedDigits) already imported left out")) to \(settings.endpoint.value), project \(settings.projectID.value); identifier \(workspace.settings.identifier.rawValue), upsert \(upsert ? "on" : "off")" + (canary.map { "; the first \(min($0, sendable).groupedDigits) first, as a canary" } ?? "") + "."
            let withoutPassword = report.withoutImportablePassword
            var passwordNote = withoutPassword > 0
                ? "\n\(withoutPassword.groupedDigits) user\(withoutPassword == 1 ? "" : "s") will have no password (their hash cannot be imported): they reset it or sign in passwordless." : ""
            if let said = SkippedRows.find(index: workspace.index, report: report, edits: workspace.edits).summary {
                passwordNote += "\nOf the excluded, \(said) (the mapping's skip rules): not sent."
            }
            // A canary alone needs no confirmation where nobody can give one: it stops after its records.
            let canaryOnly = canary != nil && !yes && isatty(STDIN_FILENO) != 1
            if canaryOnly { FileHandle.standardError.write(Data((summary + passwordNote + "\nNo terminal and no --yes: only the canary is sent.\n").utf8)) }
            else { try confirm(summary + passwordNote, yes: yes) }
            let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: settings.endpoint.value,
                                                  projectID: settings.projectID.value, mappingPath: source.mappingInEffect?.path,
                                                  editsPath: source.edits ?? EditStore.defaultPath(forSource: source.file),
                                                  maxRecords: engine.maxRecords, allowNewRun: newRun, only: only, keyField: keyField, canary: canary,
                                                  passwordsPath: source.passwords)
            FileHandle.standardError.write(Data("run \(run.id) started (journal \(journal.path))\n".utf8))
            let service = ClientImportService(client: client)
            guard canary != nil else { return engine.execute(run: run, workspace: workspace, journal: journal, service: service) }
            let status = engine.execute(run: run, workspace: workspace, journal: journal, service: service, stopAfterCanary: true)
            guard case .go = try CanaryGate.decide(run: run, journal: journal, yes: yes, canAsk: !canaryOnly, status: status) else { return status }
            return engine.execute(run: run, workspace: workspace, journal: journal, service: service)
        }
    }
}

/// Options of the commands that send.
struct EngineOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The journal (SQLite). Default: $XDG_STATE_HOME/authgear-migrate/journal.sqlite.", valueName: "file"))
    var journal: String?
    @Option(help: "Requests in flight at once.") var concurrency = 2
    @Option(help: "Records per request at most (bodies also stay within 500,000 bytes).") var maxRecords = 1000
    @Flag(help: "Print engine events as NDJSON on stdout.") var json = false

    func openJournal() throws -> Journal { try Journal(path: journal ?? Journal.defaultPath) }

    /// Takes the journal's lock for the whole command (refused, exit 2, while another process holds it).
    func lock(_ journal: Journal, command: String) throws -> JournalLock {
        let lock = try JournalLock.acquire(journal: journal.path, command: command)
        if let previous = lock.tookOverFrom {
            FileHandle.standardError.write(Data("note: took over the journal's lock from a process that no longer runs (\(previous))\n".utf8))
        }
        return lock
    }

    /// Runs the engine until the run finishes or stops; Ctrl-C stops it cleanly. Returns the exit status.
    func execute(run: RunRecord, workspace: SourceWorkspace, journal: Journal, service: any ImportService,
                 stopAfterCanary: Bool = false) -> Int32 {
        var options = MigrationRunner.Options()
        options.concurrency = max(1, concurrency)
        options.stopAfterCanary = stopAfterCanary
        let reporter = RunReporter(json: json)
        // Batches are told by their number in this run (1…n), not by journal-wide id.
        let numbering = BatchNumbering(journal: journal, runID: run.id)
        let runner = MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace), service: service,
                                     options: options, emit: { reporter.handle(numbering.renumber($0)) })
        // Lines keep coming while nothing completes (a job the server keeps pending).
        reporter.startTicking()
        // The runner throws only RunStop; a cancellation it did not see through is an interruption.
        let outcome = awaitInterruptibly(saying: "interrupting: finishing the journal writes…") { try await runner.run() }
            .mapError { ($0 as? RunStop) ?? .interrupted }
        reporter.stopTicking()
        let short = String(run.id.prefix(8))
        switch outcome {
        case .success(let c):
            FileHandle.standardError.write(Data("finished: inserted \(c.inserted.groupedDigits), updated \(c.updated.groupedDigits), skipped \(c.skipped.groupedDigits), failed \(c.failed.groupedDigits). Report: authgear-migrate report --run \(short)\n".utf8))
            return c.failed > 0 ? 1 : 0
        case .failure(.canary(let c)):
            return RunStop.canary(c).exitStatus
        case .failure(.unaccounted(let records)):
            FileHandle.standardError.write(Data("not finished: \(RunStop.unaccounted(records).description) --run \(short)\n".utf8))
            return RunStop.unaccounted(records).exitStatus
        case .failure(let stop):
            FileHandle.standardError.write(Data("stopped: \(stop.description)\nNothing is lost; continue with: authgear-migrate resume --run \(short)\n".utf8))
            return stop.exitStatus
        }
    }
}

/// Asks on the terminal; without one, requires --yes. Throws (exit 2, with a message saying
/// nothing was sent) unless the operator types yes: every command that confirms ends the same way.
/// `nothing`: what a refusal leaves undone, as its message starts ("nothing sent", "nothing deleted").
func confirm(_ summary: String, yes: Bool, nothing: String = "nothing sent") throws {
    FileHandle.standardError.write(Data((summary + "\n").utf8))
    if yes { return }
    guard isatty(STDIN_FILENO) == 1 else {
        throw CLIError.usage("\(nothing): no terminal to confirm on; pass --yes to proceed without asking")
    }
    FileHandle.standardError.write(Data("Type yes to continue: ".utf8))
    let answer = readLine(strippingNewline: true)
    if let refusal = Confirmation.refusal(answer, nothing: nothing) { throw CLIError.declined(refusal) }
}

/// The answer to "Type yes to continue".
enum Confirmation {
    /// Nil for yes (any case, surrounding blanks ignored); else the message the command exits with.
    static func refusal(_ answer: String?, nothing: String = "nothing sent") -> String? {
        guard let answer else { return "\(nothing): the input ended before an answer (type yes to continue, or pass --yes)" }
        let trimmed = answer.trimmingCharacters(in: .whitespaces)
        if trimmed.lowercased() == "yes" { return nil }
        return "\(nothing): the answer was " + (trimmed.isEmpty ? "empty" : "\"\(trimmed)\"") + ", not yes"
    }
}
