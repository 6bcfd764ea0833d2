import Foundation

/// The CSV mapping step.
enum MappingUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let m = state.mapping
        if let c = Update.moved(m.selected, count: m.columns.count, page: 10, action) {
            state.mapping.selected = c
            return []
        }
        switch action {
        case .edit:
            guard m.columns.indices.contains(m.selected) else { return [] }
            let col = m.columns[m.selected]
            state.prompt = Prompt(.mappingTarget(header: col.header), label: "\(col.header) → field (empty = skip): ", text: col.field ?? "")
            return []
        case .skipColumn:
            guard m.columns.indices.contains(m.selected) else { return [] }
            let col = m.columns[m.selected]
            let restored = col.entry?.stringValue ?? col.entry?["field"]?.stringValue ?? col.header
            return setTarget(&state, header: col.header, field: col.field == nil ? restored : "")
        case .acceptMapping:
            return [.applyMapping(path: m.path, columns: m.columns)]
        case .back:
            state.screen = .picker
            return []
        default:
            return []
        }
    }

    static func setTarget(_ state: inout AppState, header: String, field: String) -> [Effect] {
        // The selected row first: an extended mapping can have several rows for one source pointer.
        let selected = state.mapping.selected
        let columns = state.mapping.columns
        guard let i = columns.indices.contains(selected) && columns[selected].header == header
            ? selected : columns.firstIndex(where: { $0.header == header }) else { return [] }
        state.mapping.columns[i].field = field.isEmpty ? nil : field
        return [.previewMapping(path: state.mapping.path, columns: state.mapping.columns)]
    }
}
