import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI

extension LiveEffects {
    /// `D` on the Runs screen: what a rollback of the run would delete, read from the journal —
    /// or why it is refused (a protected target, settings pointing elsewhere).
    func planRollback(_ id: String, settings: ImportSettings, mailbox: Mailbox) {
        Thread.detachNewThread { [self] in
            do {
                let (journal, run, _) = try runAndTarget(id, settings: settings)
                if let reason = target.protection(run.endpoint, run.projectID) { throw RollbackRefusal(reason) }
                let candidates = try journal.rollbackCandidates(run: id)
                let counts = try journal.outcomeCounts(run: id)
                let open = candidates.filter { $0.disposition == nil }.count
                mailbox.post(.rollbackPlanned(runID: id, .success(RollbackPlan(
                    runID: id, sourcePath: run.sourcePath, endpoint: run.endpoint, projectID: run.projectID, toDelete: open,
                    settledEarlier: candidates.count - open, updated: counts.updated, skipped: counts.skipped))))
            } catch let refusal as RollbackRefusal {
                mailbox.post(.rollbackPlanned(runID: id, .failure(refusal)))
            } catch {
                mailbox.post(.rollbackPlanned(runID: id, .failure(RollbackRefusal("\(error)"))))
            }
        }
    }

    /// Deletes the users the run inserted (RunRollback), holding the journal's lock, after checking
    /// once more that the typed project id is the run's and its target is not protected.
    func rollback(_ id: String, typedProjectID: String, settings: ImportSettings, mailbox: Mailbox) {
        let log = self.log
        Thread.detachNewThread { [self] in
            let lock: JournalLock
            let project: LiveRunProject
            do {
                let (_, run, _) = try runAndTarget(id, settings: settings)
                guard typedProjectID == run.projectID else {
                    throw RollbackRefusal("\"\(typedProjectID)\" is not the project id \(run.projectID): nothing was deleted")
                }
                if let reason = target.protection(run.endpoint, run.projectID) { throw RollbackRefusal(reason) }
                lock = try JournalLock.acquire(journal: journalPath, command: "tui rollback")
                do { project = try openRunProject(id, settings: settings) } catch {
                    lock.release()
                    throw error
                }
            } catch {
                mailbox.post(.rollbackEnded(runID: id, .failed((error as? RollbackRefusal)?.reason ?? "\(error)")))
                return
            }
            log.write("rollback of run \(id) in \(project.run.endpoint) project \(project.run.projectID)")
            let rollback = RunRollback(run: project.run, workspace: project.workspace, journal: project.journal,
                                       graphQL: AdminGraphQLClient(connection: project.admin),
                                       onProgress: { done, total in
                                           if done % 25 == 0 || done == total { mailbox.post(.rollbackProgress(runID: id, done: done, total: total)) }
                                       })
            let task = Task.detached {
                let end: RollbackEnd
                do {
                    let s = try await rollback.execute()
                    func users(_ list: [RunRollback.LeftAlone]) -> [RollbackResult.User] {
                        list.map { RollbackResult.User(record: $0.record, userID: $0.userID, reason: $0.reason) }
                    }
                    end = .finished(RollbackResult(deleted: s.deleted, alreadyGone: s.alreadyGone, settledEarlier: s.settledEarlier,
                                                   leftAlone: users(s.leftAlone), failed: users(s.failed)))
                    log.write("rollback of run \(id): deleted \(s.deleted), already gone \(s.alreadyGone), left alone \(s.leftAlone.count), refused \(s.failed.count)")
                } catch {
                    end = Task.isCancelled || error is CancellationError ? .cancelled : .failed("\(error)")
                    log.write("rollback of run \(id) ended: \(error)")
                }
                lock.release()
                mailbox.post(.rollbackEnded(runID: id, end))
            }
            rollbackTask.withLock { $0 = task }
        }
    }

    /// Stops a running rollback and waits for its journal writes (a deletion the server committed
    /// is journaled before the process goes; at most 10 s).
    func stopRollback() {
        guard let task = rollbackTask.withLock({ $0 }) else { return }
        task.cancel()
        let done = DispatchSemaphore(value: 0)
        Task.detached { await task.value; done.signal() }
        _ = done.wait(timeout: .now() + 10)
    }
}
