import Foundation
import MigrationCore
import TerminalKit

/// Keys of the bulk overlay, and the runtime's answers to its preview.
enum BulkUpdate {
    /// `b` on the records screen: the overlay for the marked records.
    static func open(_ state: inout AppState) -> [Effect] {
        guard !state.records.marks.isEmpty else { return [] }
        state.overlay = .bulk(BulkState(records: state.records.marks))
        return []
    }

    static func key(_ state: inout AppState, _ bulk: BulkState, _ key: Key) -> [Effect] {
        var b = bulk
        switch b.phase {
        case .previewing:
            if key == .escape || key == .ctrl("c") {
                b.phase = .choosing
                state.overlay = .bulk(b)
                return [.cancelBulk]
            }
            return []
        case .preview(let counts):
            switch key {
            case .char("y"):
                state.overlay = nil
                guard let request = b.request, counts.changed > 0 else {
                    state.status = .info("nothing to change: the operation leaves every marked record as it is")
                    return []
                }
                state.status = .info("applying \(request.operation.label) to \(Format.count(counts.changed)) records…")
                return [.applyBulk(request, generation: b.generation)]
            case .escape, .char("n"), .backspace:
                b.phase = .choosing
                state.overlay = .bulk(b)
            default: break
            }
            return []
        case .choosing:
            break
        }
        switch key {
        case .escape, .ctrl("c"):
            state.overlay = nil
            return []
        case .tab, .backTab:
            let stops = b.stops
            let i = stops.firstIndex(of: b.focus) ?? 0
            b.focus = stops[(i + (key == .tab ? 1 : stops.count - 1)) % stops.count]
        case .enter:
            switch b.operation() {
            case .failure(let e):
                b.error = e.text
                if b.kind.needsField, b.focus == .list { b.focus = .field }
            case .success(let op):
                b.error = nil
                state.bulkGeneration += 1
                b.generation = state.bulkGeneration
                let request = BulkRequest(operation: op, records: b.records)
                b.request = request
                b.phase = .previewing(done: 0, total: b.records.count)
                state.overlay = .bulk(b)
                return [.previewBulk(request, generation: b.generation)]
            }
        default:
            if b.focus == .list {
                var k = b.kind.rawValue
                switch key {
                case .up, .char("k"): k = max(0, k - 1)
                case .down, .char("j"): k = min(BulkState.Kind.allCases.count - 1, k + 1)
                case .char(let c) where c.wholeNumberValue.map { (1...BulkState.Kind.allCases.count).contains($0) } == true:
                    k = c.wholeNumberValue! - 1
                default: break
                }
                if k != b.kind.rawValue {
                    b.kind = BulkState.Kind(rawValue: k)!
                    b.field = LineEditor(b.kind.defaultField)
                    b.value = LineEditor()
                    b.error = nil
                }
            } else if b.focus == .field {
                _ = b.field.handle(key)
            } else {
                _ = b.value.handle(key)
            }
        }
        state.overlay = .bulk(b)
        return []
    }

    static func result(_ state: inout AppState, _ message: Message) -> [Effect] {
        guard case .bulk(var b)? = state.overlay else { return [] }
        switch message {
        case .bulkProgress(let g, let done, let total) where g == b.generation:
            guard case .previewing = b.phase else { return [] }
            b.phase = .previewing(done: done, total: total)
        case .bulkPreviewed(let g, let counts) where g == b.generation:
            guard case .previewing = b.phase else { return [] }
            b.phase = .preview(counts)
        case .bulkFailed(let g, let text) where g == b.generation:
            b.phase = .choosing
            b.error = text
        default:
            return []
        }
        state.overlay = .bulk(b)
        return []
    }
}
