import Foundation
import MigrationCore

/// The record editor: typed edits of one field at a time, delete, exclude, undo/redo.
enum EditorUpdate {
    static func open(_ state: inout AppState, record: Int, from screen: Screen) -> [Effect] {
        state.editor.record = record
        state.editor.selected = 0
        state.editor.top = 0
        state.editor.returnTo = screen
        state.editor.revealSecrets = false
        state.editor.failure = screen == .review ? state.review.failure(of: record) : nil
        if let issue = state.session?.issues(record).first(where: { !$0.pointer.isEmpty }),
           let rows = state.session?.record(record).map(FieldRow.rows) {
            // Start on the field at fault: the row itself, else the deepest row that contains it.
            func covers(_ row: FieldRow) -> Bool {
                let p = row.pointer.description
                return issue.pointer == p || issue.pointer.hasPrefix(p + "/")
            }
            if let i = rows.lastIndex(where: covers) { state.editor.selected = i }
        }
        state.screen = .editor
        return []
    }

    static func rows(_ state: AppState) -> [FieldRow] {
        state.session?.record(state.editor.record).map(FieldRow.rows) ?? []
    }

    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let rows = rows(state)
        if let c = Update.moved(state.editor.selected, count: rows.count, page: max(1, state.size.height - 10), action) {
            state.editor.selected = c
            return []
        }
        let n = state.editor.record
        let row = rows.indices.contains(state.editor.selected) ? rows[state.editor.selected] : nil
        switch action {
        case .edit, .editJSON:
            guard let row else { return [] }
            if let session = state.session, session.loadProblem(n) != nil, !session.isEdited(n) {
                state.status = .error("record \(n) is not valid JSON in the source; fix it in the file")
                return []
            }
            if Secrets.isSecret(row.pointer) && !state.editor.revealSecrets {
                state.status = .error("\(row.pointer) is a secret: press S to reveal it before editing")
                return []
            }
            let asString = action == .edit && row.value.stringValue != nil
            let initial = asString ? row.value.stringValue! : JSONWriter().string(row.value)
            state.prompt = Prompt(.editValue(pointer: row.pointer.description, asString: asString),
                                  label: "\(row.pointer) \(asString ? "(text)" : "(JSON)") = ", text: initial)
            return []
        case .addField:
            state.prompt = Prompt(.addField, label: "add field (path=value): ")
            return []
        case .deleteField:
            guard let row else { return [] }
            return [.edit(.set(record: n, pointer: row.pointer.description, value: nil))]
        case .toggleExclude:
            return [.edit((state.session?.isExcluded(n) ?? false) ? .include(n) : .exclude(n))]
        case .undo: return [.edit(.undo(record: n))]
        case .redo: return [.edit(.redo(record: n))]
        case .revealSecrets:
            state.editor.revealSecrets.toggle()
            return []
        case .retry:
            // A failed record opened from Review: retried through Review's path and confirmation.
            guard state.editor.failure != nil else { return [] }
            return ReviewUpdate.confirmRetry(&state, records: [n], scope: "Record \(n)")
        case .previousRecord, .nextRecord:
            let list = state.editor.returnTo == .review ? state.review.currentItems.map(\.record)
                : (state.editor.returnTo == .verify ? state.verify.currentProblems.map(\.record) : nil)
            return step(&state, forward: action == .nextRecord, list: list)
        case .back:
            state.screen = state.editor.returnTo
            state.prompt = nil
            // A record fixed from Verify is marked for the re-send with upsert (U).
            if state.screen == .verify, state.session?.isEdited(n) == true { state.verify.marked.insert(n) }
            if state.screen == .edits { EditsUpdate.refresh(&state) }
            return state.screen == .review ? [.loadReview(state.review.tab)] : []
        default:
            return []
        }
    }

    /// The next or previous record: in the review group when opened from review, else in the table's rows.
    static func step(_ state: inout AppState, forward: Bool, list: [Int]?) -> [Effect] {
        if let list, let i = list.firstIndex(of: state.editor.record) {
            let j = i + (forward ? 1 : -1)
            guard list.indices.contains(j) else { return [] }
            let back = state.editor.returnTo
            return open(&state, record: list[j], from: back)
        }
        let total = state.records.rowCount(total: state.session?.count ?? 0)
        let j = state.records.cursor + (forward ? 1 : -1)
        guard j >= 0, j < total else { return [] }
        state.records.cursor = j
        Update.clampRecords(&state)
        return open(&state, record: state.records.record(atRow: j), from: state.editor.returnTo)
    }
}
