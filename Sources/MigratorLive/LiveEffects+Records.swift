import Foundation
import MigrationCore
import MigratorUI
import Synchronization

/// Validation, filters, search, edits and export of the open source.
extension LiveEffects {
    func validate(state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        let wanted = ValidationSettings(identifier: state.settings.identifier, upsert: state.settings.upsert,
                                        project: session.workspace.settings.project)
        session.workspace.settings = wanted
        let pass = session.workspace.pass          // a value: index, edits and settings as of now
        let generation = validationGeneration.add(1, ordering: .relaxed).newValue
        let log = self.log
        Thread.detachNewThread {
            let started = Date()
            let lastPost = Mutex(Date.distantPast)
            let report = pass.run(progress: { done, total in
                let now = Date()
                let due = lastPost.withLock { last -> Bool in
                    // The last record's progress always goes out: what remains is the duplicate
                    // check, which the status line names (dropping it left "validating 99%").
                    guard now.timeIntervalSince(last) > 0.1 || done >= total else { return false }
                    last = now
                    return true
                }
                if due { mailbox.post(.validationProgress(done: done, total: total)) }
            }, shouldContinue: { self.validationGeneration.load(ordering: .relaxed) == generation })
            guard self.validationGeneration.load(ordering: .relaxed) == generation else { return }
            log.write(String(format: "validated %d records in %.2f s: %d invalid, %d with warnings", report.recordCount,
                             Date().timeIntervalSince(started), report.errorCount, report.warningCount))
            mailbox.post(.validationFinished(ValidationReportBox(report: report, edits: pass.edits)))
        }
    }

    /// Computes a filter's rows on a worker thread (first matches first); a newer filter or search cancels it.
    func runFilter(_ filter: RecordFilter, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        filterGeneration.store(generation, ordering: .relaxed)
        if RecordScan.needsReport(filter), session.report == nil || state.loading?.validationComplete != true {
            mailbox.post(.done("the filter fills in when validation finishes"))
            return   // `validationFinished` re-applies the filter
        }
        let (index, edits, report, reveal) = (session.index, session.workspace.edits, session.report, state.records.revealSecrets)
        Thread.detachNewThread {
            RecordScan.filter(filter, index: index, edits: edits, report: report, revealSecrets: reveal,
                              shouldContinue: { self.filterGeneration.load(ordering: .relaxed) == generation },
                              emit: { rows, complete in mailbox.post(.filterResult(generation: generation, rows: rows, complete: complete)) })
        }
    }

    /// Finds the next (or previous) matching row on a worker thread.
    func search(_ term: String, from: Int, forward: Bool, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        filterGeneration.store(generation, ordering: .relaxed)
        let (index, edits, rows, reveal) = (session.index, session.workspace.edits, state.records.rows, state.records.revealSecrets)
        Thread.detachNewThread {
            let row = RecordScan.search(term, from: from, forward: forward, rows: rows, index: index, edits: edits, revealSecrets: reveal,
                                        shouldContinue: { self.filterGeneration.load(ordering: .relaxed) == generation })
            guard self.filterGeneration.load(ordering: .relaxed) == generation else { return }
            mailbox.post(.searchResult(generation: generation, row: row, term: term))
        }
    }

    func edit(_ op: EditOperation, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        do {
            switch op {
            case .set(let n, let pointerText, let value):
                guard let pointer = JSONPointer(pointerText) else { return }
                let base = session.record(n) ?? .object([])
                guard let changed = base.replacing(at: pointer, with: value) else {
                    mailbox.post(.failed("record \(n): cannot set \(pointerText) (its parent is not an object or array)"))
                    return
                }
                try session.edit { $0.replace(n, with: changed) }
                mailbox.post(.done(value == nil ? "record \(n): deleted \(pointerText) — u undoes" : "record \(n): \(pointerText) changed — u undoes"))
            case .exclude(let n):
                try session.edit { $0.exclude(n) }
                mailbox.post(.done("record \(n) excluded from the import — x again includes it"))
            case .include(let n), .revert(let n):
                try session.edit { $0.revert(n) }
                mailbox.post(.done("record \(n) restored as in the source"))
            case .undo(let n):
                var outcome = EditOverlay.Outcome.nothing
                try changeEdits(session, state: state, mailbox: mailbox) { outcome = $0.undoEntry(record: n) }
                switch outcome {
                case .nothing: mailbox.post(.done("record \(n) has no edit to undo"))
                case .record: mailbox.post(.done("undid the last edit of record \(n)"))
                case .group(let label, let count): mailbox.post(.done("undid \(label) on \(count.counted("record")) (one operation) — ^R redoes it"))
                case .blocked(let label, let m): mailbox.post(.failed("cannot undo \(label) as a whole: record \(m) was edited since — undo that edit first (u on record \(m))"))
                }
            case .redo(let n):
                var outcome = EditOverlay.Outcome.nothing
                try changeEdits(session, state: state, mailbox: mailbox) { outcome = $0.redoEntry(record: n) }
                switch outcome {
                case .nothing: mailbox.post(.done("record \(n) has no undone edit to redo"))
                case .record: mailbox.post(.done("redid the edit of record \(n)"))
                case .group(let label, let count): mailbox.post(.done("redid \(label) on \(count.counted("record"))"))
                case .blocked(let label, let m): mailbox.post(.failed("cannot redo \(label) as a whole: record \(m) was edited since"))
                }
            }
            log.write("edit \(Self.describe(op))")
        } catch {
            mailbox.post(.failed("the edit was applied but could not be saved: \(error)"))
        }
    }

    /// Applies an undo or redo: re-validated record by record when it touches few records, else
    /// installed at once and re-validated by a background pass (an operation on 10,000 records).
    func changeEdits(_ session: SourceSession, state: AppState, mailbox: Mailbox, _ change: (inout EditOverlay) -> Void) throws {
        var edits = session.workspace.edits
        change(&edits)
        let touched = Set(edits.changes.keys).union(session.workspace.edits.changes.keys).filter { edits[$0] != session.workspace.edits[$0] }
        guard touched.count > BulkPlan.incrementalLimit, session.report != nil else {
            try session.edit { $0 = edits }
            return
        }
        try session.replaceEdits(edits)
        mailbox.post(.revalidating)
        validate(state: state, mailbox: mailbox)
    }

    /// An edit for the log: which record and field, never the value.
    static func describe(_ op: EditOperation) -> String {
        switch op {
        case .set(let n, let p, let v): return "record \(n) \(p) \(v == nil ? "deleted" : "set")"
        case .exclude(let n): return "record \(n) excluded"
        case .include(let n), .revert(let n): return "record \(n) reverted"
        case .undo(let n): return "record \(n) undo"
        case .redo(let n): return "record \(n) redo"
        }
    }

    func exportEdited(_ path: String, state: AppState, mailbox: Mailbox) {
        guard let session = state.session, let report = session.report else {
            mailbox.post(.failed("wait for validation to finish before exporting"))
            return
        }
        let (index, edits, identifier, upsert) = (session.index, session.workspace.edits, session.identifier, session.workspace.settings.upsert)
        Thread.detachNewThread {
            do {
                let writer = ImportDocumentWriter(index: index, edits: edits, identifier: identifier, upsert: upsert)
                let written = try writer.write(to: path, report: report, include: { report.status[$0] != .excluded })
                mailbox.post(.done("wrote \(written) records (edits applied, excluded left out) to \(URL(fileURLWithPath: path).standardizedFileURL.path)"))
            } catch {
                mailbox.post(.failed("cannot write \(path): \(error)"))
            }
        }
    }
}
