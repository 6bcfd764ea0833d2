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

        Exit status: 0 every record ended inserted, updated or skipped; 1 some records failed; 2 the run \
        could not proceed (bad input, refused credentials, quota exhausted, interrupted: see `status`).
        """
    )

    @OptionGroup var source: SourceOptions
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var engine: EngineOptions
    @Flag(help: "Send the valid records even if some records are invalid.") var skipInvalid = false
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Start a new run even though this source has an unfinished run in the journal (normally: `resume` it).") var newRun = false

    func run() throws {
        try runReportingErrors {
            let progress = ProgressLine()
            let workspace = try source.openWorkspace(progress: progress)
            let report = workspace.validate(progress: { done, total in
                progress.update("validating", fraction: total == 0 ? 1 : Double(done) / Double(total), detail: "\(done)/\(total) records")
            })
            progress.clear()
            try requireUnchangedSource(report)
            if report.errorCount > 0 && !skipInvalid {
                var lines = ["\(report.errorCount) of \(report.recordCount) records are invalid; nothing was sent:"]
                for n in report.issues.keys.filter({ report.status[$0] == .errors }).prefix(10) {
                    let issue = report.issues[n]!.first { $0.severity == .error }!
                    lines.append("  record \(n) (line \(workspace.index.span(n).line)) \(issue.pointer.isEmpty ? "(record)" : issue.pointer): \(issue.message)")
                }
                lines.append("Fix them (`validate` lists all), or pass --skip-invalid to send the \(report.validCount) valid records.")
                FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
                return 1
            }
            let settings = try connection.resolve()
            let client = try connection.client(settings)
            let journal = try engine.openJournal()
            // Held from the check for an unfinished run of this source until the run stops.
            let lock = try engine.lock(journal, command: "import")
            defer { lock.release() }
            let sendable = report.validCount
            let summary = "Will send \(sendable) records (\(report.errorCount) invalid and \(report.excludedCount) excluded left out) to \(settings.endpoint.value), project \(settings.projectID.value); identifier \(workspace.settings.identifier.rawValue), upsert \(workspace.settings.upsert ? "on" : "off")."
            let withoutPassword = report.withoutImportablePassword
            let passwordNote = withoutPassword > 0
                ? "\n\(withoutPassword.groupedDigits) user\(withoutPassword == 1 ? "" : "s") will have no password (their hash cannot be imported): they reset it or sign in passwordless." : ""
            guard try confirm(summary + passwordNote, yes: yes) else { return 2 }
            let run = try RunCoordinator.startRun(workspace: workspace, journal: journal, endpoint: settings.endpoint.value,
                                                  projectID: settings.projectID.value, mappingPath: source.mapping,
                                                  editsPath: source.edits ?? EditStore.defaultPath(forSource: source.file),
                                                  maxRecords: engine.maxRecords, allowNewRun: newRun)
            FileHandle.standardError.write(Data("run \(run.id) started (journal \(journal.path))\n".utf8))
            return engine.execute(run: run, workspace: workspace, journal: journal, service: ClientImportService(client: client))
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
    func execute(run: RunRecord, workspace: SourceWorkspace, journal: Journal, service: any ImportService) -> Int32 {
        var options = MigrationRunner.Options()
        options.concurrency = max(1, concurrency)
        let reporter = RunReporter(json: json)
        let runner = MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: workspace), service: service,
                                     options: options, emit: { reporter.handle($0) })
        // Lines keep coming while nothing completes (a job the server keeps pending).
        reporter.startTicking()
        let outcome = Mutex<Result<OutcomeCounts, RunStop>?>(nil)
        let done = DispatchSemaphore(value: 0)
        let task = Task {
            let result: Result<OutcomeCounts, RunStop>
            do throws(RunStop) { result = .success(try await runner.run()) } catch { result = .failure(error) }
            outcome.withLock { $0 = result }
            done.signal()
        }
        signal(SIGINT, SIG_IGN)
        let sigint = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        sigint.setEventHandler {
            FileHandle.standardError.write(Data("\ninterrupting: finishing the journal writes…\n".utf8))
            task.cancel()
        }
        sigint.resume()
        done.wait()
        reporter.stopTicking()
        sigint.cancel()
        let short = String(run.id.prefix(8))
        switch outcome.withLock({ $0 })! {
        case .success(let c):
            FileHandle.standardError.write(Data("finished: inserted \(c.inserted), updated \(c.updated), skipped \(c.skipped), failed \(c.failed). Report: authgear-migrate report --run \(short)\n".utf8))
            return c.failed > 0 ? 1 : 0
        case .failure(.unaccounted(let records)):
            FileHandle.standardError.write(Data("not finished: \(RunStop.unaccounted(records).description) --run \(short)\n".utf8))
            return RunStop.unaccounted(records).exitStatus
        case .failure(let stop):
            FileHandle.standardError.write(Data("stopped: \(stop.description)\nNothing is lost; continue with: authgear-migrate resume --run \(short)\n".utf8))
            return stop.exitStatus
        }
    }
}

/// Asks on the terminal; without one, requires --yes.
func confirm(_ summary: String, yes: Bool) throws -> Bool {
    FileHandle.standardError.write(Data((summary + "\n").utf8))
    if yes { return true }
    guard isatty(STDIN_FILENO) == 1 else {
        throw CLIError.usage("no terminal to confirm on: pass --yes to proceed without asking")
    }
    FileHandle.standardError.write(Data("Type yes to continue: ".utf8))
    guard let answer = readLine(strippingNewline: true) else { return false }
    return answer.trimmingCharacters(in: .whitespaces).lowercased() == "yes"
}
