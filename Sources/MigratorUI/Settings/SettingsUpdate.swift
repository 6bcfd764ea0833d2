import Foundation
import MigrationCore

/// Import settings, the connection check, and the launch confirmation.
enum SettingsUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        let fields = SettingsField.allCases
        if let c = Update.moved(state.settings.selected, count: fields.count, page: fields.count, action) {
            state.settings.selected = c
            return []
        }
        switch action {
        case .edit, .open:
            let field = fields[state.settings.selected]
            switch field {
            case .upsert:
                state.settings.upsert.toggle()
            case .identifier:
                let all = ImportIdentifier.allCases
                state.settings.identifier = all[(all.firstIndex(of: state.settings.identifier)! + 1) % all.count]
            case .concurrency:
                state.prompt = Prompt(.settingsField(field), label: "concurrency (1-16): ", text: String(state.settings.concurrency))
            default:
                state.prompt = Prompt(.settingsField(field), label: "\(label(field)): ", text: value(field, state.settings))
            }
            return []
        case .check:
            state.settings.checking = true
            state.settings.check = []
            return [.checkConnection(state.settings)]
        case .launch:
            return confirmLaunch(&state)
        case .back:
            state.screen = .records
            return []
        default:
            return []
        }
    }

    static func set(_ state: inout AppState, _ field: SettingsField, _ text: String) -> [Effect] {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch field {
        case .endpoint: state.settings.endpoint = t
        case .projectID: state.settings.projectID = t
        case .keyID: state.settings.keyID = t
        case .keyFile: state.settings.keyFile = PromptUpdate.expand(t)
        case .concurrency:
            guard let n = Int(t), (1...16).contains(n) else {
                state.status = .error("concurrency must be a whole number from 1 to 16")
                return []
            }
            state.settings.concurrency = n
        case .identifier, .upsert: break
        }
        state.settings.check = []
        return []
    }

    static func confirmLaunch(_ state: inout AppState) -> [Effect] {
        guard let session = state.session else { return [] }
        // One rule with the engine (RunCoordinator.requireFullyRead): nothing is launched from a
        // source that was not read to its end.
        if let failure = state.loading?.readFailure {
            state.status = .error(failure)
            return []
        }
        guard state.loading?.indexComplete ?? true else {
            state.status = .error("the source is still being read; launch when indexing has finished (see the status line)")
            return []
        }
        guard let report = session.totals, state.loading?.validationComplete ?? true else {
            state.status = .error("validation is still running; launch when it has finished (see the status line)")
            return []
        }
        guard state.settings.isComplete else {
            state.status = .error("set endpoint, project, key ID and key file first")
            return []
        }
        if state.settings.identifier != session.identifier || state.settings.upsert != session.workspace.settings.upsert {
            state.status = .error("identifier/upsert changed: the records are re-validated for them — launch again when validation finishes")
            state.loading?.validationComplete = false
            state.loading?.validated = 0
            return [.validateInBackground]
        }
        let send = report.sendable
        guard send > 0 else {
            state.status = .error("no valid records to send: fix them first (f → with errors)")
            return []
        }
        let s = state.settings
        var lines = [
            "Will send \(send) records in batches of at most 500,000 bytes.",
            "Left out: \(report.errors) invalid, \(report.excluded) excluded.",
        ]
        if report.withoutPassword > 0 {
            lines.append("\(Format.count(report.withoutPassword)) user\(report.withoutPassword == 1 ? "" : "s") will have no password (hash not importable): they reset it or sign in passwordless.")
        }
        state.overlay = .confirm(Confirmation(
            title: "Launch the import?",
            lines: lines + [
                "Target: \(s.endpoint)  project \(s.projectID)",
                "Identifier: \(s.identifier.rawValue)   upsert: \(s.upsert ? "ON (existing users are updated)" : "off (existing users are skipped)")   concurrency: \(s.concurrency)",
                "Every batch and outcome is journalled; the run can be resumed after any stop.",
            ],
            key: "y", action: .launch))
        return []
    }

    static func label(_ f: SettingsField) -> String {
        switch f {
        case .endpoint: return "Endpoint"
        case .projectID: return "Project ID"
        case .keyID: return "Key ID"
        case .keyFile: return "Key file"
        case .identifier: return "Identifier"
        case .upsert: return "Upsert"
        case .concurrency: return "Concurrency"
        }
    }

    static func value(_ f: SettingsField, _ s: ImportSettings) -> String {
        switch f {
        case .endpoint: return s.endpoint
        case .projectID: return s.projectID
        case .keyID: return s.keyID
        case .keyFile: return s.keyFile
        case .identifier: return s.identifier.rawValue
        case .upsert: return s.upsert ? "on — existing users are updated" : "off — existing users are skipped"
        case .concurrency: return String(s.concurrency)
        }
    }
}
