import Foundation
import MigrationCore

/// The records table: moving, searching, filtering, excluding, and the ways out of it.
enum RecordsUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let total = state.records.rowCount(total: state.session?.count ?? 0)
        if let c = Update.moved(state.records.cursor, count: total, page: AppView.tableHeight(state) - 1, action) {
            state.records.cursor = c
            Update.clampRecords(&state)
            return []
        }
        switch action {
        case .edit, .open:
            guard total > 0 else { return [] }
            return EditorUpdate.open(&state, record: state.records.record(atRow: state.records.cursor), from: .records)
        case .search:
            // A new search starts empty (n and N repeat the last one).
            state.prompt = Prompt(.search, label: "/", text: "")
            return []
        case .back:
            return clearFilter(&state)
        case .nextMatch, .previousMatch:
            guard let term = state.records.search else { return [] }
            return startSearch(&state, term: term, forward: action == .nextMatch)
        case .filter:
            var items = ["all records", "with problems", "with errors", "with warnings", "edited", "excluded"]
            if let s = state.records.search { items.append("containing \"\(s)\"") }
            if let report = state.session?.report {
                items += report.countsByRule().map {
                    "rule \($0.rule)  (\($0.count) \($0.severity == .error ? "error" : "warning")\($0.count == 1 ? "" : "s"))"
                }
            }
            state.overlay = .menu(Menu(title: "Show records", items: items, purpose: .filter))
            return []
        case .toggleExclude:
            guard total > 0, let session = state.session else { return [] }
            let n = state.records.record(atRow: state.records.cursor)
            return [.edit(session.isExcluded(n) ? .include(n) : .exclude(n))]
        case .undo, .redo:
            // Undo belongs to the record on the cursor, not to whichever record was edited last.
            guard total > 0 else { return [] }
            let n = state.records.record(atRow: state.records.cursor)
            return [.edit(action == .undo ? .undo(record: n) : .redo(record: n))]
        case .mark, .markAll, .clearMarks:
            return RecordMarks.perform(&state, action)
        case .bulk:
            return BulkUpdate.open(&state)
        case .editsView:
            return EditsUpdate.open(&state)
        case .toggleInspector:
            state.records.inspector.toggle()
            return []
        case .revealSecrets:
            state.records.revealSecrets.toggle()
            state.status = .info(state.records.revealSecrets ? "secrets revealed — press S again to hide them" : "secrets hidden")
            return []
        case .settings:
            state.screen = .settings
            if let id = state.session?.identifier { state.settings.identifier = id }
            if let s = state.session { state.settings.upsert = s.workspace.settings.upsert }
            return state.session == nil ? [] : [.countDelta(state.settings)]
        case .progress:
            state.screen = .progress
            return []
        case .review:
            state.screen = .review
            return [.loadReview(state.review.tab)]
        case .exportEdited:
            let base = (state.session?.path ?? "records.json")
            state.prompt = Prompt(.exportEdited, label: "export edited records to: ",
                                  text: (base as NSString).deletingPathExtension + ".edited.json")
            return []
        case .openFile:
            state.screen = .picker
            return [.listDirectory(state.picker.directory), .loadRecent]
        default:
            return performTable(&state, action) ?? []
        }
    }

    static func filter(fromMenuItem item: String, search: String?) -> RecordFilter {
        switch item {
        case "with problems": return .problems
        case "with errors": return .errors
        case "with warnings": return .warnings
        case "edited": return .edited
        case "excluded": return .excluded
        default:
            if item.hasPrefix("rule ") { return .rule(String(item.dropFirst(5).prefix { $0 != " " })) }
            if item.hasPrefix("containing"), let search { return .text(search) }
            return .all
        }
    }

    /// Starts showing `filter`: the rows arrive from the runtime in chunks (first matches first).
    static func applyFilter(_ state: inout AppState, _ filter: RecordFilter) -> [Effect] {
        state.records.filter = filter
        state.records.filterGeneration += 1
        state.records.sortGeneration += 1   // a sort of the old rows is stale
        state.records.sorting = false
        state.records.cursor = 0
        state.records.top = 0
        if filter == .all {
            state.records.rows = nil
            state.records.filtering = false
            return resort(&state)
        }
        state.records.rows = []
        state.records.filtering = true
        return [.filter(filter, generation: state.records.filterGeneration)]
    }

    /// Esc: back to every record with the cursor still on the record it was on, and no search.
    static func clearFilter(_ state: inout AppState) -> [Effect] {
        let hadSearch = state.records.search != nil
        state.records.search = nil
        state.records.searching = false
        guard state.records.filter != .all else {
            if hadSearch { state.status = .info("search cleared") }
            return []
        }
        let total = state.records.rowCount(total: state.session?.count ?? 0)
        let n = total > 0 && state.records.cursor < total ? state.records.record(atRow: state.records.cursor) : 0
        let effects = applyFilter(&state, .all)
        state.records.cursor = n
        Update.clampRecords(&state)
        state.status = .info("filter cleared: every record")
        return effects
    }

    static func startSearch(_ state: inout AppState, term: String, forward: Bool) -> [Effect] {
        state.records.search = term
        state.records.searching = true
        state.records.filterGeneration += 1
        let from = forward ? state.records.cursor + 1 : state.records.cursor - 1
        return [.search(term: term, fromRow: from, forward: forward, generation: state.records.filterGeneration)]
    }

    /// Moves the cursor to record `n` (clearing a filter that hides it).
    static func jump(_ state: inout AppState, toRecord n: Int) -> [Effect] {
        guard let session = state.session, n >= 0, n < session.count else {
            state.status = .error("no record \(n): records are numbered 0 to \(max(0, (state.session?.count ?? 0) - 1))")
            return []
        }
        if let rows = state.records.rows {
            if let i = rows.firstIndex(of: n) { state.records.cursor = i } else {
                state.records.rows = nil
                state.records.filter = .all
                state.records.cursor = n
                state.status = .info("filter cleared to show record \(n)")
            }
        } else {
            state.records.cursor = n
        }
        if state.screen != .records && state.screen != .editor { state.screen = .records }
        Update.clampRecords(&state)
        return []
    }
}
