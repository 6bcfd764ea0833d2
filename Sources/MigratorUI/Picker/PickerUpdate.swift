import Foundation

/// The file picker and the CSV mapping step.
enum PickerUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let p = state.picker
        let count = p.recentFocused ? p.recent.count : p.entries.count + 1   // row 0 is ".."
        if let c = Update.moved(p.selected, count: count, page: max(1, state.size.height - 8), action) {
            state.picker.selected = c
            return []
        }
        switch action {
        case .open:
            if p.recentFocused {
                guard p.recent.indices.contains(p.selected) else { return [] }
                return [.openSource(path: p.recent[p.selected], mappingPath: nil)]
            }
            if p.selected == 0 { return parent(&state) }
            guard p.entries.indices.contains(p.selected - 1) else { return [] }
            let entry = p.entries[p.selected - 1]
            let path = (p.directory as NSString).appendingPathComponent(entry.name)
            if entry.isDirectory { return [.listDirectory(path)] }
            if let note = entry.note {
                state.status = .error(note)
                return []
            }
            return [.openSource(path: path, mappingPath: nil)]
        case .parent:
            return parent(&state)
        case .typePath:
            state.prompt = Prompt(.path, label: "open: ", text: p.directory.hasSuffix("/") ? p.directory : p.directory + "/")
            return []
        case .toggleRecent:
            guard !p.recent.isEmpty else {
                state.status = .info("no recent files yet")
                return []
            }
            state.picker.recentFocused.toggle()
            state.picker.selected = 0
            return []
        case .back:
            state.screen = .records
            return []
        default:
            return []
        }
    }

    static func parent(_ state: inout AppState) -> [Effect] {
        let up = (state.picker.directory as NSString).deletingLastPathComponent
        return [.listDirectory(up.isEmpty ? "/" : up)]
    }
}
