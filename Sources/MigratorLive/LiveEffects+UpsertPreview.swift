import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI

extension LiveEffects {
    /// `U`: reads the skipped users' current values from the project (UpsertPreview) off the UI
    /// thread, and posts the confirmation; when the project cannot be read, the confirmation says
    /// what the records set instead, and the log says why.
    func previewUpsert(_ records: [Int], session: SourceSession, state: AppState, mailbox: Mailbox) {
        let workspace = Self.snapshot(session)
        let counts = RunCoordinator.upsertPreview(records: records, workspace: workspace)
        guard let runID = state.run.runID else {
            mailbox.post(.upsertPreview(records: records, changes: counts.changes, ignored: counts.ignored))
            return
        }
        let log = self.log
        let settings = state.settings
        let connection: LiveTarget.Connection
        let journal: Journal
        let run: RunRecord
        do {
            connection = try connect(settings)
            journal = try openJournal()
            guard let found = try journal.run(id: runID) else { throw RunCoordinator.Failure("run \(runID) is not in the journal") }
            run = found
        } catch {
            log.write("upsert preview: the users' current values cannot be read: \(error)")
            mailbox.post(.upsertPreview(records: records, changes: counts.changes, ignored: counts.ignored))
            return
        }
        let makeClient = connection.makeClient
        let client: ImportClient
        do { client = try makeClient() } catch {
            log.write("upsert preview: \(error)")
            mailbox.post(.upsertPreview(records: records, changes: counts.changes, ignored: counts.ignored))
            return
        }
        let graphQL = AdminGraphQLClient(connection: AdminAPIConnection(client))
        mailbox.post(.done("reading the current values of \(records.count.counted("user")) from the project…"))
        Task.detached {
            do {
                let preview = try await UpsertPreview.compute(run: run, records: records, workspace: workspace, journal: journal, graphQL: graphQL)
                mailbox.post(.upsertPreview(records: records, changes: counts.changes, ignored: counts.ignored, current: preview.lines))
            } catch {
                log.write("upsert preview: the users' current values cannot be read: \(error)")
                mailbox.post(.upsertPreview(records: records, changes: counts.changes, ignored: counts.ignored))
            }
        }
    }
}
