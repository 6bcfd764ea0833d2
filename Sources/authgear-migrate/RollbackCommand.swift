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
        where it stopped when run again, and a second rollback deletes nothing (exit 0). Users left alone \
        are recorded too: a later rollback lists them and does not look at them again (delete them by hand \
        if they must go). Deletion is immediate and cannot be undone.

        The confirmation states how many users will be deleted and the target (endpoint and project); \
        without a terminal --yes is required. A profile in profiles.json with "protected": true protects \
        its target (its endpoint and project_id): rollback refuses it whatever the connection settings.

        Exit status: 0 every user to delete is deleted (or was already), or there was nothing left to do; \
        1 this rollback deleted or looked at users and some of the run's users were left alone (by it or an \
        earlier, interrupted one) or a deletion was refused; 2 rollback could not run (protected target, no terminal without --yes, \
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
            let leftAloneEarlier = RunRollback.leftAlone(candidates)
            if open == 0 {
                let gone = candidates.count - leftAloneEarlier.count
                print("nothing to roll back: run \(run.id) inserted \(candidates.count.counted("user")): \(gone.groupedDigits) already deleted or gone"
                      + (leftAloneEarlier.isEmpty ? "" : ", \(leftAloneEarlier.count.groupedDigits) left alone by an earlier rollback (listed below; delete them by hand if they must go)"))
                Self.printLeftAlone(leftAloneEarlier, earlier: true)
                return 0
            }
            let text = """
                Rollback of run \(run.id): DELETE up to \(open.counted("user")) this run inserted from \(run.endpoint) project \(run.projectID).
                  Users still holding the login ID they were created with are deleted; others are listed and left alone.
                  Never touched: \(counts.updated.groupedDigits) updated and \(counts.skipped.groupedDigits) skipped (they existed before the run).
                  \(candidates.count - open > 0 ? "\(candidates.count - open) settled by an earlier rollback (\(leftAloneEarlier.count) of them left alone). " : "")Deletion is immediate and cannot be undone.
                """
            try confirm(text, yes: yes, nothing: "nothing deleted")
            let progress = VerifyProgress()
            let summary = try runBlocking {
                try await RunRollback(run: run, workspace: workspace, journal: journal, graphQL: AdminGraphQLClient(connection: admin),
                                      onProgress: { progress.show(phase: "deleting", done: $0, total: $1) }).execute()
            }
            progress.clear()
            Self.printLeftAlone(summary.leftAloneEarlier, earlier: true)
            Self.printLeftAlone(summary.leftAlone, earlier: false)
            for f in summary.failed { print("not deleted: record \(f.record), user \(f.userID): \(f.reason)") }
            let leftAlone = summary.leftAlone.count + summary.leftAloneEarlier.count
            print("deleted \(summary.deleted.groupedDigits), already gone \(summary.alreadyGone.groupedDigits), left alone \(leftAlone.groupedDigits)"
                  + (summary.leftAloneEarlier.isEmpty ? "" : " (\(summary.leftAloneEarlier.count.groupedDigits) by an earlier rollback)")
                  + ", refused \(summary.failed.count.groupedDigits)")
            return leftAlone == 0 && summary.failed.isEmpty ? 0 : 1
        }
    }
}

extension RollbackCommand {
    static func printLeftAlone(_ users: [RunRollback.LeftAlone], earlier: Bool) {
        for l in users { print("left alone\(earlier ? " (earlier rollback)" : ""): record \(l.record), user \(l.userID): \(l.reason)") }
    }
}

extension UserExportError: CommandFailure {}
extension AdminGraphQLError: CommandFailure {}
