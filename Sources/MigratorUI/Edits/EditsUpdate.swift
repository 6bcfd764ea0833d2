import Foundation
import MigrationCore
import TerminalKit

/// The edits view: opening it (the diff of every edited record), moving, filtering, revealing,
/// opening a record in the editor, undoing a record's edit, exporting the edits for a reviewer.
enum EditsUpdate {
    static func open(_ state: inout AppState) -> [Effect] {
        guard state.session != nil else { return [] }
        let back = state.screen == .edits ? state.edits.returnTo : state.screen
        state.edits = EditsViewState()
        state.edits.returnTo = back
        state.screen = .edits
        refresh(&state)
        return []
    }

    /// Rebuilds the rows from the current edits (after an edit, an undo, a return from the editor).
    static func refresh(_ state: inout AppState) {
        guard let session = state.session else { return }
        let edits = session.workspace.edits
        var rows: [EditsViewState.Row] = []
        for n in edits.changes.keys.sorted() {
            let line = session.line(n)
            switch edits.changes[n]! {
            case .excluded:
                rows.append(.init(record: n, line: line, kind: .excluded, pointer: .root, old: nil, new: nil))
            case .replaced(let edited):
                for c in RecordDiff.changes(from: session.original(n), to: edited) {
                    let kind: EditsViewState.Row.Kind = c.old == nil ? .added : (c.new == nil ? .deleted : .changed)
                    rows.append(.init(record: n, line: line, kind: kind, pointer: c.pointer, old: c.old, new: c.new))
                }
            }
        }
        state.edits.rows = rows
        state.edits.recordCount = edits.changes.count
        applyFilter(&state)
    }

    static func applyFilter(_ state: inout AppState) {
        let term = state.edits.filter
        let reveal = state.edits.revealSecrets
        state.edits.shown = term.isEmpty ? nil : state.edits.rows.indices.filter { state.edits.rows[$0].matches(term, reveal: reveal) }
        clamp(&state)
    }

    static func clamp(_ state: inout AppState) {
        let count = state.edits.count
        state.edits.cursor = min(max(0, state.edits.cursor), max(0, count - 1))
        let visible = EditsView.visibleRows(state)
        if state.edits.cursor < state.edits.top { state.edits.top = state.edits.cursor }
        if state.edits.cursor >= state.edits.top + visible { state.edits.top = state.edits.cursor - visible + 1 }
        state.edits.top = max(0, min(state.edits.top, max(0, count - visible)))
    }

    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let count = state.edits.count
        if let c = Update.moved(state.edits.cursor, count: count, page: max(1, state.size.height - 7), action) {
            state.edits.cursor = c
            clamp(&state)
            return []
        }
        let selected = count > 0 ? state.edits.row(at: state.edits.cursor).record : nil
        switch action {
        case .filterEdits:
            state.prompt = Prompt(.editsFilter, label: "show edits containing: ", text: state.edits.filter)
        case .back:
            if !state.edits.filter.isEmpty {
                state.edits.filter = ""
                applyFilter(&state)
                state.status = .info("filter cleared: every edit")
            } else {
                state.screen = state.edits.returnTo
            }
        case .edit, .open:
            guard let n = selected else { return [] }
            return EditorUpdate.open(&state, record: n, from: .edits)
        case .undo, .redo:
            guard let n = selected else { return [] }
            return [.edit(action == .undo ? .undo(record: n) : .redo(record: n))]
        case .revealSecrets:
            state.edits.revealSecrets.toggle()
            applyFilter(&state)
            state.status = .info(state.edits.revealSecrets ? "secrets revealed — press S again to hide them" : "secrets hidden")
        case .exportEdits:
            let base = (state.session?.path ?? "records.json" as String)
            state.prompt = Prompt(.exportEdits, label: "write the edits for a reviewer to: ",
                                  text: (base as NSString).deletingPathExtension + ".edits.json")
        default:
            break
        }
        return []
    }
}

extension KeyMap {
    /// The edits view.
    static var edits: [KeyBinding] {
        [
            KeyBinding([.char("/")], .filterEdits, "filter", "Show only the edits containing a text (record number, field or value)", hint: true),
            KeyBinding([.escape], .back, "back", "Clear the filter, else back to the records"),
            KeyBinding([.enter, .char("e")], .edit, "edit", "Open the record in the editor", hint: true),
            KeyBinding([.char("u")], .undo, "undo", "Undo the last edit of the selected record (a bulk operation as a whole)", hint: true),
            KeyBinding([.ctrl("r")], .redo, "redo", "Redo the undone edit of the selected record"),
            KeyBinding([.char("S")], .revealSecrets, "reveal", "Reveal secrets (password hashes, TOTP secrets); again to hide"),
            KeyBinding([.char("w")], .exportEdits, "export", "Write the edits as a file a second reviewer can read and apply (--edits FILE)", hint: true,
                       disabled: { $0.session?.workspace.edits.isEmpty == false ? nil : "there are no edits yet" }),
        ] + moveKeys + common
    }
}
