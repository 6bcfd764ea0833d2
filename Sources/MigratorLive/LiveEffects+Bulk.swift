import Foundation
import MigrationCore
import MigratorUI
import Synchronization

/// Bulk operations on the marked records (worked out and re-validated off the UI thread, then
/// applied as one undo step) and the export of the edits for a reviewer.
extension LiveEffects {
    func previewBulk(_ request: BulkRequest, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        guard let report = session.report, state.loading?.validationComplete == true else {
            mailbox.post(.bulkFailed(generation: generation, "wait for validation to finish, then preview again"))
            return
        }
        bulkGeneration.store(generation, ordering: .relaxed)
        let (index, edits, settings) = (session.index, session.workspace.edits, session.workspace.settings)
        let log = self.log
        Thread.detachNewThread {
            let started = Date()
            let lastPost = Mutex(Date.distantPast)
            let plan = BulkPlan.compute(request.operation, records: request.records, index: index, edits: edits,
                                        settings: settings, report: report,
                                        progress: { done, total in
                                            let now = Date()
                                            let due = lastPost.withLock { last -> Bool in
                                                guard now.timeIntervalSince(last) > 0.1 else { return false }
                                                last = now
                                                return true
                                            }
                                            if due { mailbox.post(.bulkProgress(generation: generation, done: done, total: total)) }
                                        },
                                        shouldContinue: { self.bulkGeneration.load(ordering: .relaxed) == generation })
            guard let plan, self.bulkGeneration.load(ordering: .relaxed) == generation else { return }
            self.bulkPlan.withLock { $0 = (generation, plan) }
            log.write(String(format: "bulk preview %@ on %d records in %.2f s: %d change", request.operation.label,
                             request.records.count, Date().timeIntervalSince(started), plan.counts.changed))
            mailbox.post(.bulkPreviewed(generation: generation, counts: plan.counts))
        }
    }

    func applyBulk(_ request: BulkRequest, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        let planned = bulkPlan.withLock { saved -> BulkPlan? in
            defer { saved = nil }
            return saved?.generation == generation ? saved?.plan : nil
        }
        guard let plan = planned, plan.operation == request.operation else {
            mailbox.post(.failed("\(request.operation.label): the preview is gone; press b and preview again"))
            return
        }
        guard plan.base == session.workspace.edits else {
            mailbox.post(.failed("\(request.operation.label): records were edited since the preview; press b and preview again"))
            return
        }
        do {
            try session.apply(plan)
            let c = plan.counts
            let valid = request.operation == .exclude ? "" : ", \(c.becomeValid.counted("record")) now valid"
            mailbox.post(.done("\(request.operation.label): \(c.changed.counted("record")) changed\(valid) — u on any of them undoes the whole operation"))
            log.write("bulk \(request.operation.label): \(c.changed) records changed")
        } catch {
            mailbox.post(.failed("the operation was applied but the edits could not be saved: \(error)"))
        }
    }

    func exportEdits(_ path: String, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        let (index, edits, identifier) = (session.index, session.workspace.edits, session.identifier.field)
        Thread.detachNewThread {
            do {
                try EditsFile.write(edits, index: index, identifier: identifier, to: path)
                let shown = URL(fileURLWithPath: path).standardizedFileURL.path
                mailbox.post(.done("wrote \(edits.changes.count.counted("edited record")) to \(shown) (mode 0600: it may hold password hashes); apply it with --edits \(shown)"))
            } catch {
                mailbox.post(.failed("cannot write \(path): \(error)"))
            }
        }
    }
}
