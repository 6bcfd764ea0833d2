import Foundation
import MigrationCore
import TerminalKit

/// The record editor: fields with their values (edited ones coloured), and the issues of the record.
enum EditorView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        guard let session = state.session else { return }
        let n = state.editor.record
        let status = session.status(n)
        var header = "Record \(n) · line \(session.line(n)) · "
        switch status {
        case .valid: header += "valid"
        case .warnings: header += "valid, with warnings"
        case .errors: header += "INVALID"
        case .excluded: header += "EXCLUDED from the import"
        }
        if session.isEdited(n), status != .excluded { header += " · edited (saved)" }
        let failure = state.editor.failure
        if let failure { header += " · FAILED on the server: \(failure.reason)" }
        let headerStyle = status == .errors || failure != nil ? Theme.error : (status == .excluded ? Theme.dim : Theme.ok)
        buffer.put(header, x: body.x + 1, y: body.y, style: headerStyle, maxWidth: body.width - 2)

        let issues = session.issues(n)
        var issueLines: [(String, Style)] = failure.map { serverLines($0, state.review, width: max(10, body.width - 4)) } ?? []
        for issue in issues {
            let text = "\(issue.severity == .error ? "✗" : "!") \(issue.pointer.isEmpty ? "(record)" : issue.pointer): \(issue.message) [\(issue.rule)]"
            for (i, line) in TextBox.wrap(text, width: max(10, body.width - 4)).enumerated() {
                issueLines.append(((i == 0 ? "" : "  ") + line, issue.severity == .error ? Theme.error : Theme.warning))
            }
        }
        let issueHeight = min(max(3, issueLines.count + 2), max(3, body.height / 2))
        let (fieldsRect, issuesRect) = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1).splitBottom(issueHeight)
        let rows = EditorUpdate.rows(state)
        let original = session.original(n)
        let faulty = Set(issues.map(\.pointer))
        let nameWidth = min(34, max(12, (rows.map { $0.depth * 2 + $0.name.cellWidth }.max() ?? 12) + 1))
        let box = fieldsRect
        buffer.box(box, title: "Fields", style: Theme.dim)
        let inner = box.inset(1)
        var top = state.editor.top
        if state.editor.selected < top { top = state.editor.selected }
        if state.editor.selected >= top + inner.height { top = state.editor.selected - inner.height + 1 }
        if rows.isEmpty {
            buffer.put(session.loadProblem(n).map { "Not valid JSON in the source: \($0.message)" } ?? "(no fields) — a to add one",
                       x: inner.x, y: inner.y, style: Theme.error, maxWidth: inner.width)
        }
        let valueX = inner.x + nameWidth + 1, valueRoom = inner.width - nameWidth - 1
        // A revealed secret on the selected row is wrapped onto the lines below it, to be read whole.
        let wrapped = selectedSecretLines(rows, state, room: valueRoom)
        if wrapped.count > 1, state.editor.selected - top + wrapped.count > inner.height {
            top = min(state.editor.selected, state.editor.selected + wrapped.count - inner.height)
        }
        var y = inner.y
        for (i, row) in rows.dropFirst(top).enumerated() {
            guard y < inner.maxY else { break }
            let isSelected = top + i == state.editor.selected
            let name = String(repeating: "  ", count: row.depth) + row.name
            let changed = original?.value(at: row.pointer) != row.value
            let bad = faulty.contains(row.pointer.description) || faulty.contains { $0.hasPrefix(row.pointer.description + "/") && !row.isObject }
            var style: Style = bad ? Theme.error : (changed ? Theme.edited : .plain)
            if status == .excluded { style = Theme.dim }
            buffer.putFitted(name, x: inner.x, y: y, width: nameWidth, style: style.bolded)
            let valueText: String
            if row.isObject { valueText = "{…}" } else if Secrets.isSecret(row.pointer) && !state.editor.revealSecrets {
                valueText = Secrets.mask + "  (S reveals)"
                style = Theme.secret
            } else {
                valueText = JSONWriter().string(row.value)
            }
            let lines = isSelected && wrapped.count > 1 ? wrapped : [valueText + (changed ? "  ✎" : "")]
            for (k, line) in lines.enumerated() where y + k < inner.maxY {
                buffer.put(line, x: valueX, y: y + k, style: lines.count > 1 ? Theme.secret : style, maxWidth: valueRoom)
            }
            let height = min(lines.count, inner.maxY - y)
            if isSelected {
                buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: height)) { $0.reverse = true }
            }
            y += height
        }
        let local = issues.isEmpty ? "No problems" : "Problems (\(issues.count))"
        buffer.box(issuesRect, title: failure == nil ? local : "Server failure · here: " + local.lowercased(),
                   style: failure != nil ? Theme.error : (issues.isEmpty ? Theme.ok : Theme.dim))
        let issueInner = issuesRect.inset(1)
        for (i, line) in issueLines.prefix(issueInner.height).enumerated() {
            buffer.put(line.0, x: issueInner.x, y: issueInner.y + i, style: line.1, maxWidth: issueInner.width)
        }
        if issueLines.count > issueInner.height {
            buffer.put(" +\(issueLines.count - issueInner.height) more lines (widen the terminal) ", x: issuesRect.x + 2, y: issuesRect.maxY - 1, style: Theme.dim)
        }
    }

    /// What the server said about the record's last attempt (from the journal), and what to do.
    static func serverLines(_ f: ReviewState.Item, _ review: ReviewState, width: Int) -> [(String, Style)] {
        var parts = ["✗ server: \(f.reason)" + (f.message.isEmpty ? "" : ": \(f.message)")]
        if let cause = f.cause { parts.append("  cause: \(cause)") }
        if let clash = f.clash { parts.append("  \(clash)") }
        parts.append(review.editedSinceFailure(f) ? "  ✎ edited since it failed — r retries it (asks first)"
                                                  : "  not edited since it failed: fix it here, then r retries it")
        var out: [(String, Style)] = []
        for (k, part) in parts.enumerated() {
            for (i, line) in TextBox.wrap(part, width: width).enumerated() {
                out.append(((i == 0 ? "" : "    ") + line, k == parts.count - 1 ? Theme.key : Theme.error))
            }
        }
        return out
    }

    /// The selected field's value in pieces of `room` cells when it is a revealed secret too wide
    /// to show on one line; otherwise one piece or none (drawn as usual).
    static func selectedSecretLines(_ rows: [FieldRow], _ state: AppState, room: Int) -> [String] {
        guard state.editor.revealSecrets, room >= 8, rows.indices.contains(state.editor.selected) else { return [] }
        let row = rows[state.editor.selected]
        guard !row.isObject, Secrets.isSecret(row.pointer) else { return [] }
        let text = JSONWriter().string(row.value)
        guard text.cellWidth > room else { return [] }
        var pieces: [String] = [], piece = "", used = 0
        for c in text {
            let w = CellWidth.of(c)
            if used + w > room, !piece.isEmpty { pieces.append(piece); piece = ""; used = 0 }
            piece.append(c)
            used += w
        }
        if !piece.isEmpty { pieces.append(piece) }
        return pieces
    }
}
