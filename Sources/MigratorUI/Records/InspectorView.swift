import Foundation
import MigrationCore
import TerminalKit

/// One record in full: its JSON (secrets masked unless revealed) and its issues, with the
/// lines of the fields at fault highlighted.
enum InspectorView {
    static func draw(_ buffer: inout ScreenBuffer, _ rect: Rect, session: SourceSession, record n: Int, reveal: Bool) {
        var title = "Record \(n) · line \(session.line(n))"
        if session.isExcluded(n) { title += " · EXCLUDED" } else if session.isEdited(n) { title += " · edited" }
        buffer.box(rect, title: title, style: Theme.dim)
        let inner = rect.inset(1)
        guard !inner.isEmpty else { return }
        let issues = session.issues(n)
        var issueLines: [(String, Style)] = []
        for issue in issues {
            let where_ = issue.pointer.isEmpty ? "(record)" : issue.pointer
            let style = issue.severity == .error ? Theme.error : Theme.warning
            let head = "\(issue.severity == .error ? "✗" : "!") \(where_): "
            for (i, l) in TextBox.wrap(head + issue.message + " [\(issue.rule)]", width: inner.width - 2).enumerated() {
                issueLines.append(((i == 0 ? "" : "  ") + l, style))
            }
        }
        if issues.isEmpty { issueLines.append(("✓ no problems found", Theme.ok)) }
        let issueRows = min(issueLines.count + 1, max(2, inner.height / 2))
        let (jsonRect, issuesRect) = inner.splitBottom(issueRows)
        if let value = session.record(n) {
            let faulty = Set(issues.map(\.pointer).filter { !$0.isEmpty })
            let lines = displayLines(JSONText.prettyLines(value, mask: !reveal), width: jsonRect.width, reveal: reveal)
            // Scroll so the first faulty field is visible.
            let firstFault = lines.firstIndex { faulty.contains($0.pointer) } ?? 0
            let start = max(0, min(firstFault - jsonRect.height / 2, lines.count - jsonRect.height))
            for (i, line) in lines.dropFirst(start).prefix(jsonRect.height).enumerated() {
                let style: Style = faulty.contains(line.pointer) ? Theme.error.underlined : (line.secret ? Theme.secret : .plain)
                buffer.put(line.text, x: jsonRect.x + line.indent, y: jsonRect.y + i, style: style, maxWidth: jsonRect.width - line.indent)
            }
        } else if let p = session.loadProblem(n) {
            buffer.put("line \(p.line), column \(p.column): \(p.message)", x: jsonRect.x, y: jsonRect.y, style: Theme.error, maxWidth: jsonRect.width)
        }
        buffer.put(String(repeating: "─", count: issuesRect.width), x: issuesRect.x, y: issuesRect.y, style: Theme.dim)
        for (i, l) in issueLines.prefix(issuesRect.height - 1).enumerated() {
            buffer.put(l.0, x: issuesRect.x, y: issuesRect.y + 1 + i, style: l.1, maxWidth: issuesRect.width)
        }
    }

    /// One screen line of the record's JSON: its text without the indentation, where it starts.
    struct DisplayLine {
        var text: String
        var indent: Int
        var pointer: String
        var secret: Bool
    }

    /// The JSON lines as drawn: a revealed secret too long for the pane is wrapped onto further
    /// lines (at the same indentation) so it can be read whole; other lines are cut with `…`.
    static func displayLines(_ lines: [(text: String, pointer: String)], width: Int, reveal: Bool) -> [DisplayLine] {
        var out: [DisplayLine] = []
        for line in lines {
            let indent = line.text.prefix { $0 == " " }.count
            let text = String(line.text.dropFirst(indent))
            let secret = reveal && Secrets.isSecret(JSONPointer(line.pointer) ?? .root)
            let room = width - indent
            guard secret, room >= 8, text.cellWidth > room else {
                out.append(DisplayLine(text: text, indent: indent, pointer: line.pointer, secret: secret))
                continue
            }
            var rest = Substring(text)
            while !rest.isEmpty {
                var piece = "", used = 0
                while let c = rest.first, used + CellWidth.of(c) <= room { piece.append(c); used += CellWidth.of(c); rest.removeFirst() }
                if piece.isEmpty { piece.append(rest.removeFirst()) }
                out.append(DisplayLine(text: piece, indent: indent, pointer: line.pointer, secret: true))
            }
        }
        return out
    }
}
