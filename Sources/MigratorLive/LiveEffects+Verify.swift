import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI
import Synchronization

extension LiveEffects {
    /// `V`: verifies a run against its own target (RunVerifier) off the UI thread: the source is
    /// opened on a thread of its own, the verifier runs as a task; its progress, notices, problems
    /// (in batches) and end come back through the mailbox. A newer verification silences an older one.
    func verify(_ id: String, settings: ImportSettings, mailbox: Mailbox) {
        verifyTask.withLock { $0?.cancel() }
        let generation = verifyGeneration.add(1, ordering: .relaxed).newValue
        let log = self.log
        let current: @Sendable () -> Bool = { [self] in verifyGeneration.load(ordering: .relaxed) == generation }
        let post: @Sendable (Message) -> Void = { m in if current() { mailbox.post(m) } }
        Thread.detachNewThread { [self] in
            post(.verifyProgress(runID: id, VerifyState.Progress(phase: "opening the run's source", done: 0, total: 0)))
            let project: LiveRunProject
            do { project = try openRunProject(id, settings: settings) } catch {
                log.write("verify \(id): \(error)")
                post(.verifyEnded(runID: id, .failed("\(error)")))
                return
            }
            guard current() else { return }
            let batch = ProblemBatch(runID: id, post: post)
            let verifier = RunVerifier(run: project.run, workspace: project.workspace, graphQL: AdminGraphQLClient(connection: project.admin),
                                       export: UserExportClient(connection: project.admin),
                                       onProblem: { batch.add($0) },
                                       onEvent: { event in
                                           batch.flush()
                                           switch event {
                                           case .progress(let phase, let done, let total):
                                               post(.verifyProgress(runID: id, VerifyState.Progress(phase: phase, done: done, total: total)))
                                           case .notice(let text):
                                               log.write("verify \(id.prefix(8)): \(text)")
                                               post(.verifyNotice(runID: id, text))
                                           }
                                       })
            log.write("verify \(id) against \(project.run.endpoint) project \(project.run.projectID)")
            let task = Task.detached {
                let end: VerifyEnd
                do {
                    let summary = try await verifier.verify(journal: project.journal)
                    end = .finished(summary)
                    log.write("verify \(id): checked \(summary.checked), verified \(summary.verified), missing \(summary.missing), mismatched \(summary.mismatched)")
                } catch {
                    end = Task.isCancelled || error is CancellationError ? .cancelled : .failed("\(error)")
                    log.write("verify \(id) ended: \(error)")
                }
                batch.flush()
                post(.verifyEnded(runID: id, end))
            }
            verifyTask.withLock { $0 = task }
        }
    }
}

/// Problems as the verifier finds them, posted a batch at a time (a million missing users are
/// not a million messages); flushed before every progress event and at the end.
final class ProblemBatch: Sendable {
    static let size = 256
    let runID: String
    let post: @Sendable (Message) -> Void
    let pending = Mutex<[VerifyProblem]>([])

    init(runID: String, post: @escaping @Sendable (Message) -> Void) {
        self.runID = runID
        self.post = post
    }

    func add(_ problem: VerifyProblem) {
        let full: [VerifyProblem]? = pending.withLock { p in
            p.append(problem)
            guard p.count >= Self.size else { return nil }
            defer { p.removeAll(keepingCapacity: true) }
            return p
        }
        if let full { post(.verifyProblems(runID: runID, full)) }
    }

    func flush() {
        let all = pending.withLock { p in defer { p.removeAll() }; return p }
        if !all.isEmpty { post(.verifyProblems(runID: runID, all)) }
    }
}
