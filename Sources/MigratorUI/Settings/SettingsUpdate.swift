import Foundation
import MigrationCore

/// Import settings, the connection check, and the launch confirmation.
enum SettingsUpdate {
    /// The status line while earlier runs' outcomes are counted before a launch (cleared when they are).
    static let countingDelta = StatusLine.info("counting the records earlier runs into this target already imported…")

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
                return revalidate(&state)
            case .sendAll:
                state.settings.sendAll.toggle()
            case .canary:
                state.prompt = Prompt(.settingsField(field), label: "canary: records to send first, then stop for a go (0 = none): ",
                                      text: String(state.settings.canary == 0 ? 10 : state.settings.canary))
            case .identifier:
                let all = ImportIdentifier.allCases
                state.settings.identifier = all[(all.firstIndex(of: state.settings.identifier)! + 1) % all.count]
                return revalidate(&state)
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

    /// Identifier or upsert changed: the records are validated again for them at once (what is
    /// valid, and duplicates, depend on both), so the counts on screen are never the old ones.
    static func revalidate(_ state: inout AppState) -> [Effect] {
        guard state.session != nil, !state.runInFlight else { return [] }
        state.loading?.validationComplete = false
        state.loading?.validated = 0
        state.status = .info("re-validating the records for identifier \(state.settings.identifier.rawValue), upsert \(state.settings.upsert ? "on" : "off")…")
        return [.validateInBackground]
    }

    /// A validation pass ended while the form is shown: the launch delta is counted again for the new report.
    static func validationFinished(_ state: inout AppState) -> [Effect] {
        guard state.screen == .settings, state.session != nil else { return [] }
        if let status = state.status, status.text.hasPrefix("re-validating the records") { state.status = nil }
        return [.countDelta(state.settings)]
    }

    static func set(_ state: inout AppState, _ field: SettingsField, _ text: String) -> [Effect] {
        let t = text.trimmingCharacters(in: .whitespaces)
        switch field {
        case .endpoint, .projectID:
            if field == .endpoint { state.settings.endpoint = t } else { state.settings.projectID = t }
            state.settings.check = []
            // Another target has other runs: the open file's run into it is looked up (unless one is in flight).
            return state.runInFlight || state.session == nil ? [] : [.loadSourceRuns]
        case .keyID: state.settings.keyID = t
        case .keyFile: state.settings.keyFile = PromptUpdate.expand(t)
        case .concurrency:
            guard let n = Int(t), (1...16).contains(n) else {
                state.status = .error("concurrency must be a whole number from 1 to 16")
                return []
            }
            state.settings.concurrency = n
        case .canary:
            guard let n = Int(t), n >= 0 else {
                state.status = .error("canary: a number of records (0 for none)")
                return []
            }
            state.settings.canary = n
        case .identifier, .upsert, .sendAll: break
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
        let failed = state.settings.failedCheckSteps
        if !failed.isEmpty, state.settings.acceptedFailedCheck != state.settings.check {
            // The check said this target will refuse the run: ask before going on.
            state.overlay = .confirm(Confirmation(
                title: "The connection check failed — launch anyway?",
                lines: failed.map { "✗ \($0.name): \($0.detail)" } + [
                    "A run against these settings will most likely stop at its first batch (nothing is lost: it stays resumable).",
                    "Esc goes back to fix the settings (c checks again); y goes on to the launch confirmation.",
                ],
                key: "y", action: .launchDespiteFailedCheck))
            return []
        }
        if state.settings.identifier != session.identifier || state.settings.upsert != session.workspace.settings.upsert {
            state.status = .error("identifier/upsert changed: the records are re-validated for them — launch again when validation finishes")
            state.loading?.validationComplete = false
            state.loading?.validated = 0
            return [.validateInBackground]
        }
        let sendable = report.sendable
        guard sendable > 0 else {
            state.status = .error("no valid records to send: fix them first (f → with errors)")
            return []
        }
        let s = state.settings
        // What earlier runs into this target already imported is counted first (the engine's DeltaPlan).
        guard let delta = state.launchDelta, delta.isFor(s), delta.sendable == sendable else {
            state.launchPending = true
            state.status = countingDelta
            return [.countDelta(s)]
        }
        let send = s.sendAll ? sendable : sendable - delta.done
        guard send > 0 else {
            state.status = .error("all \(Format.count(sendable)) sendable records already have a successful outcome in earlier runs into this target: set \"Send\" to all records to send them again")
            return []
        }
        var deltaLines: [String] = []
        if delta.done > 0 {
            deltaLines.append("\(Format.count(delta.done)) of the \(Format.count(sendable)) sendable records already have a successful outcome in earlier runs into this target;")
            deltaLines.append(s.sendAll ? "sending all of them again (upsert \(s.upsert ? "on: they are updated" : "off: they are skipped"))."
                                        : "sending only the other \(Format.count(send)) (\"Send\" in the form sends all).")
        }
        let canary = min(s.canary, send)
        var passwordLines: [String] = []
        if report.withoutPassword > 0 {
            passwordLines.append("\(Format.count(report.withoutPassword)) user\(report.withoutPassword == 1 ? "" : "s") will have no password (hash not importable): they reset it or sign in passwordless.")
        }
        state.overlay = .confirm(Confirmation(
            title: "Launch the import?",
            lines: [
                "Will send \(send) records in batches of at most 500,000 bytes.",
                "Left out: \(report.errors) invalid, \(report.excluded) excluded.",
            ] + deltaLines + passwordLines + [
                canary > 0 ? "Canary: the first \(canary) records go first; the run stops for a go / no-go before the rest." : "Canary: none (set one in the form).",
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
        case .sendAll: return "Send"
        case .canary: return "Canary"
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
        case .sendAll: return s.sendAll ? "all records — also those earlier runs into this target imported" : "only new records — not those earlier runs into this target imported"
        case .canary: return s.canary == 0 ? "none" : "the first \(s.canary) records, then a go / no-go"
        }
    }
}
