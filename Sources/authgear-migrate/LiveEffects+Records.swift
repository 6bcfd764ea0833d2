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
                    guard now.timeIntervalSince(last) > 0.1 else { return false }
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

    /// Computes a filter's rows in chunks, first matches first; a newer filter cancels this one.
    func runFilter(_ filter: RecordFilter, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        filterGeneration.store(generation, ordering: .relaxed)
        let index = session.index
        let edits = session.workspace.edits
        let report = session.report
        let needsReport: Bool
        switch filter {
        case .problems, .errors, .warnings, .rule: needsReport = true
        default: needsReport = false
        }
        if needsReport, report == nil || state.loading?.validationComplete != true {
            mailbox.post(.done("the filter fills in when validation finishes"))
            return   // `validationFinished` re-applies the filter
        }
        Thread.detachNewThread {
            let total = index.count
            let chunk = 16_384
            var start = 0
            var batchStart = Date()
            var pending: [Int] = []
            var sentAny = false
            func flush(_ complete: Bool) {
                mailbox.post(.filterResult(generation: generation, rows: pending, complete: complete))
                pending.removeAll(keepingCapacity: true)
                batchStart = Date()
            }
            switch filter {
            case .edited, .excluded:
                let rows = edits.changes.filter { filter == .excluded ? $0.value == .excluded : $0.value != .excluded }.keys.sorted()
                pending = rows
                flush(true)
                return
            case .rule(let rule):
                pending = report!.issues.filter { $0.value.contains { $0.rule == rule } }.keys.sorted()
                flush(true)
                return
            default: break
            }
            let needle = Array(filter.textNeedle.utf8).map(Self.lower)
            while start < total {
                guard self.filterGeneration.load(ordering: .relaxed) == generation else { return }
                let end = min(total, start + chunk)
                for n in start..<end {
                    let keep: Bool
                    switch filter {
                    case .problems: keep = report!.status[n] == .errors || report!.status[n] == .warnings
                    case .errors: keep = report!.status[n] == .errors
                    case .warnings: keep = report!.status[n] == .warnings
                    case .text:
                        if case .replaced(let v)? = edits[n] { keep = Self.contains(JSONWriter().bytes(v), needle) }
                        else { keep = Self.contains(index.rawBytes(index.span(n)), needle) }
                    default: keep = true
                    }
                    if keep { pending.append(n) }
                }
                start = end
                // The first matches go out at once; then every 50 ms.
                if !pending.isEmpty, !sentAny || Date().timeIntervalSince(batchStart) > 0.05 { flush(false); sentAny = true }
            }
            flush(true)
        }
    }

    /// Finds the next (or previous) row whose record contains `term`, wrapping around.
    func search(_ term: String, from: Int, forward: Bool, generation: Int, state: AppState, mailbox: Mailbox) {
        guard let session = state.session else { return }
        filterGeneration.store(generation, ordering: .relaxed)
        let index = session.index
        let edits = session.workspace.edits
        let rows = state.records.rows
        let count = rows?.count ?? index.count
        let needle = Array(term.utf8).map(Self.lower)
        Thread.detachNewThread {
            guard count > 0 else { mailbox.post(.searchResult(generation: generation, row: nil, term: term)); return }
            for step in 0..<count {
                if step % 16_384 == 0, self.filterGeneration.load(ordering: .relaxed) != generation { return }
                let row = ((forward ? from + step : from - step) % count + count) % count
                let n = rows.map { $0[row] } ?? row
                let hit: Bool
                if case .replaced(let v)? = edits[n] { hit = Self.contains(JSONWriter().bytes(v), needle) }
                else { hit = Self.contains(index.rawBytes(index.span(n)), needle) }
                if hit {
                    mailbox.post(.searchResult(generation: generation, row: row, term: term))
                    return
                }
            }
            mailbox.post(.searchResult(generation: generation, row: nil, term: term))
        }
    }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// ASCII-case-insensitive substring test over raw bytes.
    static func contains<C: Collection>(_ haystack: C, _ needle: [UInt8]) -> Bool where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if lower(haystack[i]) == first {
                var k = 1
                while k < needle.count, lower(haystack[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
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
            case .undo:
                var undone: Int?
                try session.edit { undone = $0.undo() }
                mailbox.post(undone.map { .done("undid the last edit of record \($0)") } ?? .done("nothing to undo"))
            case .redo:
                var redone: Int?
                try session.edit { redone = $0.redo() }
                mailbox.post(redone.map { .done("redid the edit of record \($0)") } ?? .done("nothing to redo"))
            }
            log.write("edit \(Self.describe(op))")
        } catch {
            mailbox.post(.failed("the edit was applied but could not be saved: \(error)"))
        }
    }

    /// An edit for the log: which record and field, never the value.
    static func describe(_ op: EditOperation) -> String {
        switch op {
        case .set(let n, let p, let v): return "record \(n) \(p) \(v == nil ? "deleted" : "set")"
        case .exclude(let n): return "record \(n) excluded"
        case .include(let n), .revert(let n): return "record \(n) reverted"
        case .undo: return "undo"
        case .redo: return "redo"
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
                let written = try writer.write(to: path, include: { report.status[$0] != .excluded })
                mailbox.post(.done("wrote \(written) records (edits applied, excluded left out) to \(path)"))
            } catch {
                mailbox.post(.failed("cannot write \(path): \(error)"))
            }
        }
    }
}

extension RecordFilter {
    var textNeedle: String { if case .text(let t) = self { return t.lowercased() } else { return "" } }
}
