import ArgumentParser
import Foundation
import MigrationCore
import MigrationEngine
import MigratorLive
import MigratorUI
import NcursesTerminal

/// `authgear-migrate tui [FILE]` (also what runs with no command): the interactive migration.
struct TUICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tui",
        abstract: "The interactive migration (the default with no command): pick, preview, fix, launch, watch, review.",
        discussion: """
        Opens FILE (or a file picker), indexes and validates it in the background, and shows every record \
        with what the server would say about it. Edit records (saved beside the journal, never in the \
        source), set the target and launch; the run is journalled exactly like `import`, so it can be \
        resumed here or with `authgear-migrate resume`. The open file shows its own latest run into the \
        target (outcomes, progress, review; an unfinished one is offered for resumption); another file's \
        unfinished run is offered as "open that file", never shown as this one's. R lists every run of the \
        journal. Press ? on any screen for its keys. Honours NO_COLOR and --no-color. \
        The TUI owns the terminal and never prompts outside its screen: an encrypted key's passphrase \
        comes from AUTHGEAR_KEY_PASSPHRASE only (the other commands fall back to a prompt on the terminal). \
        Logs go to $XDG_STATE_HOME/authgear-migrate/tui.log, never to the screen.
        """
    )

    @Argument(help: ArgumentHelp("The source file to open (JSON import document, JSON array, NDJSON or CSV).", valueName: "file"))
    var file: String?
    @Option(help: ArgumentHelp("CSV column mapping file (else the TUI asks for one).", valueName: "file"))
    var mapping: String?
    @Option(help: ArgumentHelp("Source format: authgear, json-array, ndjson or csv. Default: detected from the content."))
    var format: SourceFormat?
    @OptionGroup var connection: ConnectionOptions
    @Option(help: ArgumentHelp("The journal (SQLite). Default: $XDG_STATE_HOME/authgear-migrate/journal.sqlite.", valueName: "file"))
    var journal: String?
    @Flag(help: "No colours (attributes only). Also when NO_COLOR is set.") var noColor = false
    @Option(help: ArgumentHelp("Log file. Default: $XDG_STATE_HOME/authgear-migrate/tui.log.", valueName: "file"))
    var log: String?

    func run() throws {
        try runReportingErrors {
            guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
                throw CLIError.usage("the TUI needs a terminal; in scripts use validate, import, resume, retry, status and report (see --help)")
            }
            if let file, !FileManager.default.fileExists(atPath: file) {
                throw CLIError.unreadable("\(file): no such file")
            }
            let colors = !noColor && (ProcessInfo.processInfo.environment["NO_COLOR"] ?? "").isEmpty
            let log = TUILog(path: log ?? StateDirectory.path("tui.log"))
            NcursesTerminal.prepareLocale()
            let terminal: NcursesTerminal
            do { terminal = try NcursesTerminal(colors: colors) } catch {
                throw CLIError.usage("cannot start the terminal UI: \(error)")
            }
            var state = AppState()
            state.colors = colors
            state.logPath = log.path
            let handler = LiveEffects(target: LiveTarget(connection), journalPath: journal ?? Journal.defaultPath, log: log, format: format)
            let runtime = UIRuntime(terminal: terminal, state: state, handler: handler)
            log.write("tui started (\(terminal.size.width)x\(terminal.size.height))")
            var start: [Effect] = [.loadSettings, .listDirectory(FileManager.default.currentDirectoryPath), .loadRecent]
            // The runs of the file are looked up once it is open; without one, unfinished runs are offered.
            start.append(file.map { .openSource(path: $0, mappingPath: mapping) } ?? .loadSourceRuns)
            runtime.run(startingWith: start)
            handler.stopRun(wait: true)
            log.write("tui quit")
            if let id = runtime.state.run.runID, runtime.state.run.finished == nil {
                print("Run \(id.prefix(8)) is paused with everything recorded. Continue with: authgear-migrate resume --run \(id.prefix(8))  (or reopen the TUI)")
            }
            return 0
        }
    }
}
