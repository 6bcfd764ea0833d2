import Foundation

/// Failure review: groups by reason, records of a group, retry, re-run skipped with upsert, export.
enum ReviewUpdate {
    static func perform(_ state: inout AppState, _ action: Action) -> [Effect] {
        var r = state.review
        let page = max(1, state.size.height - 8)
        if r.itemsFocused, let c = Update.moved(r.item, count: r.currentItems.count, page: page, action) {
            state.review.item = c
            return []
        }
        if !r.itemsFocused, let c = Update.moved(r.group, count: r.groups.count, page: page, action) {
            state.review.group = c
            state.review.item = 0
            return []
        }
        switch action {
        case .nextTab:
            let tabs = ReviewState.Tab.allCases
            r.tab = tabs[(tabs.firstIndex(of: r.tab)! + 1) % tabs.count]
            r.group = 0
            r.item = 0
            r.itemsFocused = false
            r.marked = []
            r.loaded = false
            state.review = r
            return [.loadReview(r.tab)]
        case .open:
            if !r.itemsFocused {
                guard !r.currentItems.isEmpty else { return [] }
                state.review.itemsFocused = true
                return []
            }
            guard r.currentItems.indices.contains(r.item) else { return [] }
            return EditorUpdate.open(&state, record: r.currentItems[r.item].record, from: .review)
        case .left:
            state.review.itemsFocused = false
            return []
        case .mark:
            guard r.itemsFocused, r.currentItems.indices.contains(r.item) else { return [] }
            let n = r.currentItems[r.item].record
            if r.marked.contains(n) { state.review.marked.remove(n) } else { state.review.marked.insert(n) }
            state.review.item = min(r.item + 1, r.currentItems.count - 1)
            return []
        case .retry:
            let records = selection(r)
            guard !records.isEmpty else { return [] }
            return confirmRetry(&state, records: records, scope: r.marked.isEmpty ? "Group: \(r.groups[r.group].key)" : "Marked records: \(records.count)")
        case .markEditedSinceFailure:
            let edited = r.editedSinceFailureRecords
            guard !edited.isEmpty else {
                state.status = .info("no failed record was edited since it failed (fix one with Enter, then come back)")
                return []
            }
            state.review.marked = Set(edited)
            state.status = .info("marked the \(Format.count(edited.count)) record\(edited.count == 1 ? "" : "s") edited since they failed — r retries them")
            return []
        case .rerunUpsert:
            let records = r.marked.isEmpty ? r.groups.flatMap { $0.records.map(\.record) } : r.marked.sorted()
            guard !records.isEmpty else { return [] }
            guard !state.runInFlight else {
                state.status = .error("a run is in flight: wait for it to finish or pause it first")
                return []
            }
            return [.previewUpsert(records)]
        case .exportReport:
            let name = "authgear-migrate-\(r.tab.rawValue).csv"
            state.prompt = Prompt(.exportReport, label: "export \(r.tab.rawValue) report (.csv or .ndjson) to: ", text: name)
            return []
        case .progress:
            state.screen = .progress
            return []
        case .back:
            state.screen = state.session == nil ? .progress : .records
            return []
        default:
            return []
        }
    }

    /// The retry confirmation (the one path of Review and the editor): `y` sends them again.
    static func confirmRetry(_ state: inout AppState, records: [Int], scope: String) -> [Effect] {
        guard !state.runInFlight else {
            state.status = .error("a run is in flight: wait for it to finish or pause it first")
            return []
        }
        let r = state.review
        let failures = records.compactMap(r.failure(of:))
        let edited = failures.filter(r.editedSinceFailure).count
        var lines = ["They are sent again with their current edits;",
                     "records that still do not validate stay out and are listed.",
                     scope]
        if !failures.isEmpty {
            lines.append(edited == failures.count ? "All \(edited == 1 ? "of it" : "\(Format.count(edited)) of them") edited since \(edited == 1 ? "it" : "they") failed."
                         : "\(Format.count(edited)) of them edited since they failed; \(Format.count(failures.count - edited)) not edited (the server may refuse them again).")
        }
        state.overlay = .confirm(Confirmation(
            title: "Retry \(records.count) failed record\(records.count == 1 ? "" : "s")?",
            lines: lines, key: "y", action: .retryFailed(records)))
        return []
    }

    /// Stamps the records an update asked to edit (the editor, the table, any bulk operation that
    /// goes through `Effect.edit`), so that Review can tell failures edited since they failed.
    static func noteEdits(_ state: inout AppState, _ effects: [Effect]) {
        for case .edit(let op) in effects {
            for n in op.records { state.review.editedAt[n] = state.now }
        }
    }

    /// The marked records, else the records of the selected group.
    static func selection(_ r: ReviewState) -> [Int] {
        if !r.marked.isEmpty { return r.marked.sorted() }
        return r.currentItems.map(\.record)
    }

    /// The upsert confirmation: what it will set and what the server ignores for existing users.
    static func confirmUpsert(_ state: inout AppState, records: [Int], changes: [String: Int], ignored: [String: Int],
                              current: [String]? = nil) {
        func list(_ d: [String: Int]) -> String { d.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }.joined(separator: ", ") }
        var lines: [String]
        if let current {
            // Read from the project: what really changes, and what upsert ignores (in `current`).
            lines = ["These users already exist. Compared with their current values in the project:"] + current
        } else {
            lines = ["These users already exist. With upsert the server will set:",
                     "  " + (changes.isEmpty ? "nothing" : list(changes))]
        }
        if current == nil, !ignored.isEmpty {
            lines += ["IGNORED for existing users (the server does not warn):", "  " + list(ignored)]
        }
        lines.append("Their user_ids stay the same.")
        // From Verify the records are any the operator fixed (missing, mismatched, found though failed), not only skipped ones.
        let title = state.screen == .verify ? "Re-send \(records.count) record\(records.count == 1 ? "" : "s") with upsert?"
            : "Re-run \(records.count) skipped user\(records.count == 1 ? "" : "s") with upsert?"
        state.overlay = .confirm(Confirmation(title: title,
                                              lines: lines, key: "y", action: .rerunSkipped(records)))
    }
}

extension EditOperation {
    /// The records the operation changes.
    var records: [Int] {
        switch self {
        case .set(let n, _, _): return [n]
        case .exclude(let n), .include(let n), .revert(let n): return [n]
        case .undo(let n), .redo(let n): return [n]
        }
    }
}
