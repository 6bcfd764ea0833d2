import ArgumentParser
import AuthgearAPI
import ConnectionSetup
import Foundation
import MigrationCore
import MigrationEngine

/// `authgear-migrate rollback --run ID`: deletes the users a run inserted.
struct RollbackCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Delete the users a run inserted (undo a rehearsal on a staging project).",
        discussion: """
        Deletes exactly the users the run inserted — never users it updated or skipped, which existed \
        before — and only while a user still has the login ID it was created with; the others are listed \
        and left alone. Deletions go at most 5 per Admin GraphQL request and each is recorded in the \
        journal as soon as the server confirms it, so a rollback that is interrupted or killed continues \
        where it stopped when run again, and a second rollback deletes nothing (exit 0). Deletion is \
        immediate and cannot be undone.

        The confirmation states how many users will be deleted and the target (endpoint and project); \
        without a terminal --yes is required. A profile in profiles.json with "protected": true protects \
        its target (its endpoint and project_id): rollback refuses it whatever the connection settings.

        Exit status: 0 every user to delete is deleted (or was already), 1 some users were left alone or \
        a deletion was refused, 2 rollback could not run (protected target, no terminal without --yes, \
        credentials, journal).
        """
    )

    @OptionGroup var where_: JournalOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Do not ask for confirmation.") var yes = false
    @Flag(help: "Roll back even though the source file changed since the run began.") var allowChangedSource = false

    func run() throws {
        try runReportingErrors {
            guard where_.run != nil else { throw CLIError.usage("rollback needs --run ID (see `authgear-migrate runs`)") }
            let journal = try where_.open()
            let lock = try JournalLock.acquire(journal: journal.path, command: "rollback")
            defer { lock.release() }
            let run = try where_.resolveRun(journal)
            let environment = ProcessInfo.processInfo.environment
            if let path = ProfileFile.defaultPath(environment: environment),
               let name = try ProfileFile.load(path: path)?.protectedProfile(endpoint: run.endpoint, projectID: run.projectID) {
                throw CLIError.usage("\(run.endpoint) project \(run.projectID) is protected (profile \"\(name)\" in \(path) has \"protected\": true): rollback refuses to delete users there")
            }
            let project = try RunProject.open(run: run, connection: connection, allowChangedSource: allowChangedSource)
            let workspace = project.workspace, admin = project.admin
            let rollback = RunRollback(run: run, workspace: workspace, journal: journal, graphQL: AdminGraphQLClient(connection: admin))
            let candidates = try rollback.candidates()
            let open = candidates.filter { $0.disposition == nil }.count
            let counts = try journal.outcomeCounts(run: run.id)
            if open == 0 {
                print("nothing to roll back: run \(run.id) inserted \(candidates.count) user(s), all already deleted or gone")
                return 0
            }
            let text = """
                Rollback of run \(run.id): DELETE up to \(open.groupedDigits) user(s) this run inserted from \(run.endpoint) project \(run.projectID).
                  Users still holding the login ID they were created with are deleted; others are listed and left alone.
                  Never touched: \(counts.updated.groupedDigits) updated and \(counts.skipped.groupedDigits) skipped user(s) (they existed before the run).
                  \(candidates.count - open > 0 ? "\(candidates.count - open) already deleted by an earlier rollback. " : "")Deletion is immediate and cannot be undone.
                """
            try confirm(text, yes: yes, nothing: "nothing deleted")
            let progress = VerifyProgress()
            let summary = try runBlocking {
                try await RunRollback(run: run, workspace: workspace, journal: journal, graphQL: AdminGraphQLClient(connection: admin),
                                      onProgress: { progress.show(phase: "deleting", done: $0, total: $1) }).execute()
            }
            progress.clear()
            _ = rollback
            for l in summary.leftAlone { print("left alone: record \(l.record), user \(l.userID): \(l.reason)") }
            for f in summary.failed { print("not deleted: record \(f.record), user \(f.userID): \(f.reason)") }
            print("deleted \(summary.deleted.groupedDigits), already gone \(summary.alreadyGone.groupedDigits), left alone \(summary.leftAlone.count.groupedDigits), refused \(summary.failed.count.groupedDigits)")
            return summary.leftAlone.isEmpty && summary.failed.isEmpty ? 0 : 1
        }
    }
}

extension UserExportError: CommandFailure {}
extension AdminGraphQLError: CommandFailure {}
