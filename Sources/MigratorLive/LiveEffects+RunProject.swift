import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI

/// What the TUI's verify and rollback start from, as the commands' RunProject: the run, its own
/// source (its edits applied) and an Admin API connection to the run's own target. Settings that
/// point at another endpoint or project are refused: checking or deleting users there would be
/// about another project.
struct LiveRunProject {
    let journal: Journal
    let run: RunRecord
    let workspace: SourceWorkspace
    let admin: AdminAPIConnection
}

extension LiveEffects {
    /// The run `id` and the target the form's settings resolve to, refused when they differ.
    /// Blocking (it may open the journal): call it off the UI thread.
    func runAndTarget(_ id: String, settings: ImportSettings) throws -> (Journal, RunRecord, LiveTarget.Connection) {
        guard let journal = existingJournal(), let run = try journal.run(id: id) else {
            throw RunCoordinator.Failure("run \(id.prefix(8)) is not in the journal \(journalPath)")
        }
        let connection = try connect(settings)
        if RunTarget(endpoint: connection.endpoint, projectID: connection.projectID) != RunTarget(endpoint: run.endpoint, projectID: run.projectID) {
            throw RunCoordinator.Failure("run \(id.prefix(8)) imported into \(run.endpoint) project \(run.projectID), but the settings point to \(connection.endpoint) project \(connection.projectID): fix them in import settings (L)")
        }
        return (journal, run, connection)
    }

    /// Opens the run's source as the run saw it (a changed source is refused) and the client.
    /// Blocking (it reads the whole source's index): call it off the UI thread.
    func openRunProject(_ id: String, settings: ImportSettings) throws -> LiveRunProject {
        let (journal, run, connection) = try runAndTarget(id, settings: settings)
        let workspace = try RunCoordinator.openSource(for: run)
        return LiveRunProject(journal: journal, run: run, workspace: workspace, admin: AdminAPIConnection(try connection.makeClient()))
    }

    /// Why rollback refuses each target of these runs (a protected profile), for the Runs screen's `D`.
    func protectedTargets(_ entries: [RunHistoryEntry]) -> [RunTarget: String] {
        var out: [RunTarget: String] = [:]
        for e in entries {
            let t = RunTarget(endpoint: e.run.endpoint, projectID: e.run.projectID)
            if out[t] == nil, let reason = target.protection(e.run.endpoint, e.run.projectID) { out[t] = reason }
        }
        return out
    }
}
