import Foundation
import MigrationCore
import MigrationEngine
import TerminalKit

/// The pure heart of the UI: a message in, the new state and the effects to perform out.
/// It reads the open source through `state.session` but changes it only through effects.
public enum Update {
    public static func update(_ state: inout AppState, _ message: Message) -> [Effect] {
        let effects = dispatch(&state, message)
        ReviewUpdate.noteEdits(&state, effects)
        return effects
    }

    static func dispatch(_ state: inout AppState, _ message: Message) -> [Effect] {
        switch message {
        case .key(let key):
            return handleKey(&state, key)
        case .resized(let w, let h):
            state.size = (w, h)
            clampRecords(&state)
            return []
        case .tick(let now):
            state.now = now
            return []
        default:
            return WorkResults.apply(&state, message)
        }
    }

    static func handleKey(_ state: inout AppState, _ key: Key) -> [Effect] {
        if state.prompt != nil { return PromptUpdate.key(&state, key) }
        if let overlay = state.overlay { return overlayKey(&state, overlay, key) }
        if state.status != nil { state.status = nil }
        guard let binding = KeyMap.binding(for: key, in: state) else {
            if let message = KeyMap.disabledMessage(for: key, in: state) { state.status = .info(message) }
            return []
        }
        return perform(&state, binding.action)
    }

    /// Runs a screen action (also used by tests to drive flows by name).
    public static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        switch action {
        case .help:
            state.overlay = .help
            state.helpOffset = 0
            return []
        case .quit:
            if state.runInFlight {
                state.overlay = .confirm(Confirmation(
                    title: "An import is running",
                    lines: ["Quitting stops it cleanly: in-flight jobs are recorded in the journal,",
                            "and the run can be resumed later (here, or with `authgear-migrate resume`)."],
                    key: "y", action: .quit))
                return []
            }
            state.quitting = true
            return [.quit]
        case .command, .jump:
            state.prompt = Prompt(.command, label: ":")
            return []
        case .runs where state.screen != .runs:
            return RunsUpdate.open(&state)
        case .verify where state.screen != .verify:
            return VerifyUpdate.start(&state, runID: KeyMap.verifyTarget(state))
        default:
            break
        }
        switch state.screen {
        case .picker: return PickerUpdate.perform(&state, action)
        case .mapping: return MappingUpdate.perform(&state, action)
        case .records: return RecordsUpdate.perform(&state, action)
        case .editor: return EditorUpdate.perform(&state, action)
        case .settings: return SettingsUpdate.perform(&state, action)
        case .progress: return RunUpdate.perform(&state, action)
        case .review: return ReviewUpdate.perform(&state, action)
        case .runs: return RunsUpdate.perform(&state, action)
        case .verify: return VerifyUpdate.perform(&state, action)
        case .edits: return EditsUpdate.perform(&state, action)
        }
    }

    static func overlayKey(_ state: inout AppState, _ overlay: Overlay, _ key: Key) -> [Effect] {
        switch overlay {
        case .help:
            switch key {
            case .down, .char("j"): state.helpOffset += 1
            case .pageDown, .char(" "): state.helpOffset += max(1, state.size.height - 8)
            case .up, .char("k"): state.helpOffset = max(0, state.helpOffset - 1)
            case .pageUp: state.helpOffset = max(0, state.helpOffset - max(1, state.size.height - 8))
            default: state.overlay = nil
            }
            return []
        case .confirm(let c):
            if key == .char(c.key) {
                state.overlay = nil
                return confirmed(&state, c.action)
            }
            if key == .escape || key == .char("n") || key == .char("q") {
                state.overlay = nil
                state.status = .info("cancelled")
            }
            return []
        case .banner:
            state.overlay = nil
            if key == .enter || key == .escape { return [] }
            return handleKey(&state, key)
        case .bulk(let bulk):
            return BulkUpdate.key(&state, bulk, key)
        case .menu(var menu):
            switch key {
            case .up, .char("k"): menu.selected = max(0, menu.selected - 1)
            case .down, .char("j"): menu.selected = min(menu.items.count - 1, menu.selected + 1)
            case .enter where menu.purpose == .columns, .char(" ") where menu.purpose == .columns:
                // The column picker stays open: each column is switched on or off in turn.
                RecordsUpdate.toggleColumn(&state, &menu)
            case .pageUp: menu.selected = max(0, menu.selected - max(1, state.size.height - 6))
            case .pageDown, .char(" "): menu.selected = min(menu.items.count - 1, menu.selected + max(1, state.size.height - 6))
            case .home, .char("g"): menu.selected = 0
            case .end, .char("G"): menu.selected = menu.items.count - 1
            case .escape, .char("q"): state.overlay = nil; return []
            case .enter:
                state.overlay = nil
                return menuChosen(&state, menu)
            default: break
            }
            state.overlay = .menu(menu)
            return []
        }
    }

    static func confirmed(_ state: inout AppState, _ action: ConfirmedAction) -> [Effect] {
        switch action {
        case .quit:
            state.quitting = true
            return [.quit]
        case .launch:
            state.run = RunViewState()
            state.run.begin(now: state.now)
            state.screen = .progress
            return [.launch(state.settings)]
        case .cancelRun:
            return [.pauseRun]
        case .resume(let id):
            if state.run.runID != id { state.run = RunViewState() }
            state.run.runID = id
            state.run.begin(now: state.now)
            state.screen = .progress
            return [.resume(runID: id, settings: state.settings)]
        case .openSource(let path, let mappingPath):
            state.status = .info("opening \(path)…")
            return [.openSource(path: path, mappingPath: mappingPath)]
        case .retryAllFailed:
            startSecondPass(&state)
            return [.retryAllFailed]
        case .retryFailed(let records):
            startSecondPass(&state)
            return [.retryFailed(records)]
        case .rerunSkipped(let records):
            startSecondPass(&state)
            return [.rerunSkipped(records)]
        case .launchDespiteFailedCheck:
            state.settings.acceptedFailedCheck = state.settings.check
            return SettingsUpdate.confirmLaunch(&state)
        }
    }

    /// A second pass is a new invocation of the run: fresh pace, clock and snapshot.
    static func startSecondPass(_ state: inout AppState) {
        state.run.begin(now: state.now)
        state.screen = .progress
        state.review.marked = []
        state.verify.marked = []
    }

    static func menuChosen(_ state: inout AppState, _ menu: Menu) -> [Effect] {
        let item = menu.items[menu.selected]
        switch menu.purpose {
        case .filter:
            return RecordsUpdate.applyFilter(&state, RecordsUpdate.filter(fromMenuItem: item, search: state.records.search))
        case .columns:
            return []
        case .sort:
            return RecordsUpdate.chooseSort(&state, menu.selected)
        case .mappingSource, .mappingTarget, .mappingConversion:
            return MappingUpdate.menuChosen(&state, menu)
        }
    }

    /// Keeps the records cursor inside the rows after a resize or a filter change.
    static func clampRecords(_ state: inout AppState) {
        let total = state.records.rowCount(total: state.session?.count ?? 0)
        state.records.cursor = min(max(0, state.records.cursor), max(0, total - 1))
        let visible = AppView.tableHeight(state)
        if state.records.cursor < state.records.top { state.records.top = state.records.cursor }
        if state.records.cursor >= state.records.top + visible { state.records.top = state.records.cursor - visible + 1 }
        state.records.top = max(0, min(state.records.top, max(0, total - visible)))
    }

    /// Moves a list cursor for a movement action; returns nil for other actions.
    static func moved(_ cursor: Int, count: Int, page: Int, _ action: Action) -> Int? {
        let last = max(0, count - 1)
        switch action {
        case .up: return max(0, cursor - 1)
        case .down: return min(last, cursor + 1)
        case .pageUp: return max(0, cursor - max(1, page))
        case .pageDown: return min(last, cursor + max(1, page))
        case .top: return 0
        case .bottom: return last
        default: return nil
        }
    }
}
