import AuthgearAPI
import MigrationCore
import MigrationEngine

/// What `verify` and `rollback` start from: the run's own source (its edits applied; not validated:
/// they read the records and the journal, not verdicts) and an Admin API
/// connection to the run's own target. Connection settings that point at another endpoint or project
/// are refused: checking or deleting users there would be about another project.
struct RunProject {
    let workspace: SourceWorkspace
    let admin: AdminAPIConnection

    static func open(run: RunRecord, connection: ConnectionOptions, allowChangedSource: Bool) throws -> RunProject {
        let workspace: SourceWorkspace
        do { workspace = try RunCoordinator.openSource(for: run, allowChangedSource: allowChangedSource, validate: false) } catch {
            throw CLIError.unreadable("\(error)")
        }
        let settings = try connection.resolve()
        if settings.endpoint.value != run.endpoint || settings.projectID.value != run.projectID {
            throw CLIError.usage("run \(run.id) imported into \(run.endpoint) project \(run.projectID), but the connection settings point to \(settings.endpoint.value) project \(settings.projectID.value)")
        }
        return RunProject(workspace: workspace, admin: AdminAPIConnection(try connection.client(settings)))
    }
}
