import ArgumentParser
import Foundation

/// `authgear-migrate`: moves user accounts from a legacy system into an Authgear project
/// through the User Import API.
@main
struct AuthgearMigrate: ParsableCommand {
    /// The version alone (as in the User-Agent); `--version` also names the commit (BuildInfo).
    static let version = BuildInfo.version

    static let configuration = CommandConfiguration(
        commandName: "authgear-migrate",
        abstract: "Move user accounts into an Authgear project through the User Import API.",
        discussion: """
        Sources: an Authgear import document ({"identifier","upsert","records"}), a bare JSON array of \
        records, NDJSON (one record per line) or CSV with a header row (mapped to record fields). \
        The format is detected from the content; --format overrides it.

        With no command, authgear-migrate opens the interactive TUI (`tui`): pick a source, preview \
        and fix records, launch, watch the import live, review failures and re-run skipped users. \
        Everything it does, the commands below also do headless, for scripts.

        Records are checked against the server's own rules before anything is sent: \
        `validate` lists what is wrong with which record, line and field; `export` writes an \
        import document the API accepts.

        Exit status: 0 success, 1 some records are not valid or failed, 2 the command could not run \
        (unreadable file, bad options, refused credentials).
        """,
        version: BuildInfo.versionLine(),
        subcommands: [TUICommand.self, ValidateCommand.self, ExportCommand.self, CheckCommand.self, ImportCommand.self, ResumeCommand.self, RetryCommand.self, StatusCommand.self, RunsCommand.self, ReportCommand.self, VerifyCommand.self, RollbackCommand.self, SandboxCommand.self],
        defaultSubcommand: TUICommand.self
    )

    /// Parses and runs like ArgumentParser's own `main()`, except that a usage error (an unknown
    /// option, a missing or malformed value) exits 2 as README's exit-status table says, not 64.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let status = contractStatus(exitCode(for: error).rawValue)
            if status != exitCode(for: error).rawValue {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(status)
            }
            exit(withError: error)
        }
    }

    /// ArgumentParser's status for a usage error (`EX_USAGE`, 64) is this tool's 2 ("the command
    /// could not run: bad options"); every other status is the command's own.
    static func contractStatus(_ parserStatus: Int32) -> Int32 {
        parserStatus == ExitCode.validationFailure.rawValue ? 2 : parserStatus
    }
}
