import Foundation
import MigrationCore
import TerminalKit

/// Keys while the bottom-line prompt is open, and what submitting each kind of prompt does.
enum PromptUpdate {
    static func key(_ state: inout AppState, _ key: Key) -> [Effect] {
        guard var prompt = state.prompt else { return [] }
        switch key {
        case .escape, .ctrl("c"), .ctrl("g"):
            state.prompt = nil
            if case .rollbackConfirm = prompt.kind { RollbackUpdate.cancelConfirmation(&state) }
            return []
        case .enter:
            state.prompt = nil
            return submit(&state, prompt)
        case .tab:
            if prompt.kind == .path { return [.completePath(prompt.text.text)] }
            return []
        default:
            _ = prompt.text.handle(key)
            state.prompt = prompt
            return []
        }
    }

    static func submit(_ state: inout AppState, _ prompt: Prompt) -> [Effect] {
        let text = prompt.text.text
        switch prompt.kind {
        case .search:
            guard !text.isEmpty else { return [] }
            return RecordsUpdate.startSearch(&state, term: text, forward: true)
        case .command:
            return command(&state, text.trimmingCharacters(in: .whitespaces))
        case .editValue(let pointer, let asString):
            let value: JSONValue
            if asString { value = .string(text) } else {
                do { value = try JSONParser.parse(Array(text.utf8)) } catch {
                    state.prompt = prompt
                    state.status = .error("not valid JSON (\(error)); strings need quotes here — or press Esc and use Enter to edit as text")
                    return []
                }
            }
            return [.edit(.set(record: state.editor.record, pointer: pointer, value: value))]
        case .addField:
            guard let eq = text.firstIndex(of: "=") else {
                state.prompt = prompt
                state.status = .error("write path=value, e.g. custom_attributes.tier=\"gold\" or email_verified=true")
                return []
            }
            let path = String(text[..<eq]).trimmingCharacters(in: .whitespaces)
            let raw = String(text[text.index(after: eq)...])
            guard let pointer = pointer(fromPath: path) else {
                state.prompt = prompt
                state.status = .error("\(path): not a field path (use name.sub or /name/sub)")
                return []
            }
            let value = (try? JSONParser.parse(Array(raw.utf8))) ?? .string(raw)
            return [.edit(.set(record: state.editor.record, pointer: pointer.description, value: value))]
        case .path:
            let path = expand(text)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                return [.listDirectory(path)]
            }
            return [.openSource(path: path, mappingPath: nil)]
        case .settingsField(let field):
            return SettingsUpdate.set(&state, field, text)
        case .exportReport:
            guard !text.isEmpty else { return [] }
            return [.exportReport(tab: state.review.tab, path: expand(text))]
        case .exportEdited:
            guard !text.isEmpty else { return [] }
            return [.exportEdited(path: expand(text))]
        case .runReport(let runID):
            guard !text.isEmpty else { return [] }
            return [.writeRunReport(runID: runID, path: expand(text))]
        case .rollbackConfirm(let runID):
            return RollbackUpdate.submit(&state, runID: runID, typed: text)
        case .mappingTarget(let header):
            return MappingUpdate.setTarget(&state, header: header, field: text.trimmingCharacters(in: .whitespaces))
        case .mappingSource:
            let source = text.trimmingCharacters(in: .whitespaces)
            guard SourcePath(source) != nil else {
                state.prompt = prompt
                state.status = .error("\(source): not a JSON pointer into the source record (e.g. /email, /profile/login, /user_metadata/*)")
                return []
            }
            state.overlay = .menu(MappingUpdate.targetMenu(source: source))
            return []
        case .mappingNewRow(let source):
            let field = text.trimmingCharacters(in: .whitespaces)
            guard MappingChoices.isField(field) else {
                state.prompt = prompt
                state.status = .error("\(field): not a record field (e.g. email, name, custom_attributes.tier)")
                return []
            }
            return MappingUpdate.addRow(&state, source: source, field: field)
        case .mappingOption(let row, let choice):
            return MappingUpdate.setConversion(&state, row: row, choice, text: text)
        case .editsFilter:
            state.edits.filter = text
            EditsUpdate.applyFilter(&state)
            return []
        case .exportEdits:
            guard !text.isEmpty else { return [] }
            return [.exportEdits(path: expand(text))]
        }
    }

    /// `:123` jumps to record 123; `:q` quits; `:export FILE` writes the edited records; `:open PATH` opens a file.
    static func command(_ state: inout AppState, _ text: String) -> [Effect] {
        if let n = Int(text) { return RecordsUpdate.jump(&state, toRecord: n) }
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        switch parts.first {
        case "q", "quit": return Update.perform(&state, .quit)
        case "export" where parts.count == 2, "w" where parts.count == 2: return [.exportEdited(path: expand(parts[1]))]
        case "open" where parts.count == 2, "e" where parts.count == 2:
            if state.runInFlight {
                state.status = .error("a run of this file is in flight: pause it first (P on the progress screen), then open another file")
                return []
            }
            return [.openSource(path: expand(parts[1]), mappingPath: nil)]
        case "export", "w", "open", "e":
            state.status = .error(":\(parts[0]) needs a file name, e.g. :\(parts[0]) ~/users.json")
            return []
        case "help": state.overlay = .help; return []
        case nil: return []
        default:
            state.status = .error("unknown command :\(text) — try :123 (record number), :export FILE, :open FILE, :q")
            return []
        }
    }

    /// `a.b.c` or `/a/b/c` as a JSON pointer.
    static func pointer(fromPath path: String) -> JSONPointer? {
        if path.hasPrefix("/") { return JSONPointer(path) }
        let tokens = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard !tokens.isEmpty, !tokens.contains(where: \.isEmpty) else { return nil }
        return JSONPointer(tokens: tokens)
    }

    static func expand(_ path: String) -> String {
        path.hasPrefix("~/") ? FileManager.default.homeDirectoryForCurrentUser.path + path.dropFirst(1) : path
    }
}
