import Foundation
import MigrationCore
import MigratorUI

/// Sorting the records table on a worker thread (a million identifiers are read from the mapped file).
extension LiveEffects {
    func sortRows(_ sort: RecordSort, rows: [Int]?, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        let (index, edits, report, field) = (session.index, session.workspace.edits, session.report, session.identifier.field)
        sortGeneration.store(generation, ordering: .relaxed)
        Thread.detachNewThread {
            guard let sorted = sort.sorted(rows, index: index, edits: edits, report: report, identifierField: field,
                                           shouldContinue: { self.sortGeneration.load(ordering: .relaxed) == generation }) else { return }
            mailbox.post(.sortResult(generation: generation, rows: sorted))
        }
    }
}
