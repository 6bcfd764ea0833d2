import Foundation

/// The records table's shape: which columns it shows (`c`), its order (`s`), and horizontal
/// scrolling (← →) when the columns do not fit.
extension RecordsUpdate {
    static func performTable(_ state: inout AppState, _ action: Action) -> [Effect]? {
        switch action {
        case .chooseColumns:
            guard let session = state.session else { return [] }
            state.overlay = .menu(Menu(title: "Columns (Space or Enter shows/hides, Esc closes)",
                                       items: columnItems(session.columns, state.columnChoice), purpose: .columns))
            return []
        case .sortRecords:
            let field = state.session?.identifier.field ?? "email"
            let items = RecordSort.Key.allCases.map { key -> String in
                let current = state.records.sort.key == key
                let shown = RecordSort(key: key, descending: current ? state.records.sort.descending : false).label(identifierField: field)
                return (current ? "• " : "  ") + shown + (current ? "  (again: reverse)" : "")
            }
            state.overlay = .menu(Menu(title: "Sort the records by", items: items,
                                       selected: RecordSort.Key.allCases.firstIndex(of: state.records.sort.key) ?? 0, purpose: .sort))
            return []
        case .left, .right:
            let shown = state.session.map { state.columnChoice.shown($0.columns).count } ?? 0
            let offset = state.records.columnOffset + (action == .right ? 1 : -1)
            state.records.columnOffset = max(0, min(offset, max(0, shown - 1)))
            return []
        default:
            return nil
        }
    }

    static func columnItems(_ names: [String], _ choice: ColumnChoice) -> [String] {
        names.map { (choice.hidden.contains($0) ? "[ ] " : "[x] ") + $0 }
    }

    /// Space/Enter in the column picker: shows or hides the selected column (one always stays).
    static func toggleColumn(_ state: inout AppState, _ menu: inout Menu) {
        guard let names = state.session?.columns, names.indices.contains(menu.selected) else { return }
        let name = names[menu.selected]
        if state.columnChoice.hidden.contains(name) {
            state.columnChoice.hidden.remove(name)
        } else if state.columnChoice.shown(names).count > 1 {
            state.columnChoice.hidden.insert(name)
        } else {
            state.status = .info("one column at least stays shown")
        }
        let shown = state.columnChoice.shown(names).count
        state.records.columnOffset = min(state.records.columnOffset, max(0, shown - 1))
        menu.items = columnItems(names, state.columnChoice)
    }

    /// A choice in the sort menu: that key, or the same key the other way round.
    static func chooseSort(_ state: inout AppState, _ selected: Int) -> [Effect] {
        let keys = RecordSort.Key.allCases
        guard keys.indices.contains(selected) else { return [] }
        let key = keys[selected]
        var sort = RecordSort(key: key)
        if state.records.sort.key == key { sort.descending = !state.records.sort.descending }
        state.records.sort = sort
        state.status = .info("sorted by " + sort.label(identifierField: state.session?.identifier.field ?? "email"))
        return resort(&state, force: true)
    }

    /// Asks for the rows in the current order (nothing while a filter is still scanning: it asks once complete).
    /// `force`: also back to the source's order (the default sort), which a filter's rows are already in
    /// unless they were sorted.
    static func resort(_ state: inout AppState, force: Bool = false) -> [Effect] {
        guard state.session != nil, !state.records.filtering else { return [] }
        guard !state.records.sort.isDefault || force else { return [] }
        state.records.sortGeneration += 1
        if state.records.sort.isDefault, state.records.filter == .all {
            // The source's order: every record, no list needed.
            let n = currentRecord(state)
            state.records.rows = nil
            state.records.sorting = false
            if let n { state.records.cursor = n }
            Update.clampRecords(&state)
            return []
        }
        state.records.sorting = true
        return [.sortRows(state.records.sort, rows: state.records.filter == .all ? nil : state.records.rows, generation: state.records.sortGeneration)]
    }

    /// A sort's rows arrived: shown, the cursor still on the record it was on.
    static func sorted(_ state: inout AppState, generation: Int, rows: [Int]) {
        guard generation == state.records.sortGeneration else { return }
        let n = currentRecord(state)
        state.records.rows = rows
        state.records.sorting = false
        if let n, let i = rows.firstIndex(of: n) { state.records.cursor = i }
        Update.clampRecords(&state)
    }

    static func currentRecord(_ state: AppState) -> Int? {
        let total = state.records.rowCount(total: state.session?.count ?? 0)
        guard total > 0, state.records.cursor < total else { return nil }
        return state.records.record(atRow: state.records.cursor)
    }
}
