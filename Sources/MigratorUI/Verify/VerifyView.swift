import Foundation
import MigrationCore
import MigrationEngine
import TerminalKit

/// The Verify screen: what the verifier is doing (or its totals), what it cannot check, then
/// the problems by kind on the left, the group's records in the middle, the selected one's
/// differences below. Secret fields are masked whatever the verifier handed over.
enum VerifyView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let v = state.verify
        guard v.runID != nil else {
            buffer.put("Nothing verified yet: press V on the records, review or runs screen.", x: body.x + 2, y: body.y + 1, style: Theme.dim)
            return
        }
        let width = body.width - 4
        var y = body.y
        // Wrapped, not cut: the totals and what cannot be checked are read whole on a narrow terminal too.
        for (text, style) in header(v) {
            for part in TextBox.wrap(text, width: width) where y < body.maxY - 3 {
                buffer.put(part, x: body.x + 2, y: y, style: style, maxWidth: width)
                y += 1
            }
        }
        if v.phase == .running || v.phase == .cancelling, let p = v.progress, p.total > 0, y < body.maxY {
            Gauge(fraction: Double(p.done) / Double(p.total), filledStyle: Theme.ok).render(into: &buffer, area: Rect(x: body.x + 2, y: y, width: min(60, width), height: 1))
            y += 1
        }
        for notice in v.notices.suffix(2) where y < body.maxY {
            buffer.put("! " + notice, x: body.x + 2, y: y, style: Theme.warning, maxWidth: width)
            y += 1
        }
        let area = Rect(x: body.x, y: y, width: body.width, height: body.maxY - y)
        guard area.height >= 3 else { return }
        if v.groups.isEmpty {
            let text: String
            switch v.phase {
            case .finished(let s) where s.allVerified && s.existsAlthoughFailed == 0: text = "Every checked record is a user holding what was sent."
            case .finished: text = "No problems listed."
            case .running, .cancelling: text = "No problems so far."
            default: text = ""
            }
            buffer.put(text, x: area.x + 2, y: area.y + 1, style: Theme.ok, maxWidth: width)
            return
        }
        let (groupsRect, rest) = area.splitLeft(min(36, area.width / 3))
        let (itemsRect, detailRect) = rest.splitBottom(min(7, rest.height / 3))
        drawGroups(&buffer, groupsRect, v)
        drawItems(&buffer, itemsRect, v)
        drawDetail(&buffer, detailRect, v)
    }

    /// The headline, then progress or totals, then what cannot be checked.
    static func header(_ v: VerifyState) -> [(String, Style)] {
        var lines: [(String, Style)] = []
        switch v.phase {
        case .idle: break
        case .running:
            lines.append(("Verifying \(v.title)", Theme.key))
            lines.append((progressText(v.progress), .plain))
        case .cancelling:
            lines.append(("Stopping the verification of \(v.title)…", Theme.warning))
            lines.append((progressText(v.progress), Theme.dim))
        case .cancelled:
            lines.append(("Verification of \(v.title) cancelled (it changed nothing) — V verifies again", Theme.warning))
        case .failed(let reason):
            lines.append(("Verification of \(v.title) could not run: \(reason)", Theme.error))
        case .finished(let s):
            lines.append((s.allVerified ? "Verified \(v.title): every checked record is in the project"
                                        : "Verified \(v.title): \(Format.count(s.missing + s.mismatched)) record\(s.missing + s.mismatched == 1 ? "" : "s") missing or mismatched",
                          s.allVerified ? Theme.ok : Theme.error))
            lines.append(("checked \(Format.count(s.checked)) · verified \(Format.count(s.verified)) · missing \(Format.count(s.missing)) · mismatched \(Format.count(s.mismatched))"
                          + " · exists although the run failed \(Format.count(s.existsAlthoughFailed)) (of \(Format.count(s.failedLookedFor)) failed or never sent)", .plain))
            lines.append(("read by " + (s.method == "export" ? "one user export" : "login-ID lookups")
                          + (s.exportMissed > 0 ? " · \(Format.count(s.exportMissed)) users the export did not contain looked up" : ""), Theme.dim))
            if !s.uncheckable.isEmpty {
                let list = s.uncheckable.sorted { $0.key < $1.key }.map { "\($0.key) (\(Format.count($0.value)))" }.joined(separator: ", ")
                lines.append(("cannot be checked: \(list) — the server never exports password hashes, and lookups do not expose TOTP secrets", Theme.warning))
            }
        }
        if v.received > VerifyState.listLimit {
            lines.append(("\(Format.count(v.received - VerifyState.listLimit)) more problems not listed here: `authgear-migrate verify --run \(v.runID ?? "ID") --json` lists them all", Theme.warning))
        }
        return lines
    }

    /// "looking up users: 1,200 of 40,000", "reading the export: 120,000 users read", "waiting for the export…".
    static func progressText(_ p: VerifyState.Progress?) -> String {
        guard let p else { return "starting…" }
        if p.total > 0 { return "\(p.phase): \(Format.count(p.done)) of \(Format.count(p.total))" }
        if p.done > 0 { return "\(p.phase): \(Format.count(p.done)) users read" }
        return p.phase + "…"
    }

    /// A difference's value as shown: secret fields masked, absent said.
    static func shown(_ value: String?, field: String) -> String {
        let pointer = JSONPointer(tokens: field.split(separator: ".").map(String.init))
        if Secrets.isSecret(pointer) { return value == nil ? "(absent)" : Secrets.mask }
        return value ?? "(absent)"
    }

    static func drawGroups(_ buffer: inout ScreenBuffer, _ rect: Rect, _ v: VerifyState) {
        buffer.box(rect, title: "Problems (\(Format.count(v.received)))", style: v.itemsFocused ? Theme.dim : Theme.key)
        let inner = rect.inset(1)
        guard inner.height > 0 else { return }
        let start = max(0, v.group - inner.height + 1)
        for (i, g) in v.groups.dropFirst(start).prefix(inner.height).enumerated() {
            let count = Format.count(g.problems.count)
            buffer.putFitted(g.title, x: inner.x, y: inner.y + i, width: inner.width - count.count - 1,
                             style: g.kind == .existsAlthoughFailed ? Theme.warning : Theme.error)
            buffer.put(count, x: inner.maxX - count.count, y: inner.y + i, style: Theme.key)
            if start + i == v.group {
                buffer.restyle(Rect(x: inner.x, y: inner.y + i, width: inner.width, height: 1)) { $0.reverse = true; if !v.itemsFocused { $0.bold = true } }
            }
        }
    }

    static func drawItems(_ buffer: inout ScreenBuffer, _ rect: Rect, _ v: VerifyState) {
        guard let g = v.currentGroup else { return }
        buffer.box(rect, title: g.title + (v.marked.isEmpty ? "" : " · \(v.marked.count) marked"), style: v.itemsFocused ? Theme.key : Theme.dim)
        let inner = rect.inset(1)
        guard inner.height > 1 else { return }
        let numberWidth = RecordsView.numberWidth(largest: g.problems.map(\.record).max() ?? 0, minimum: 6)
        let idWidth = min(28, inner.width / 3)
        let last = g.kind == .mismatched && g.field != nil ? "sent → found" : "what verify found"
        buffer.put("  " + "record".fitted(toWidth: numberWidth, alignRight: true) + "  " + "identifier".fitted(toWidth: idWidth) + "  " + last,
                   x: inner.x, y: inner.y, style: Theme.header, maxWidth: inner.width)
        let rows = inner.height - 1
        let start = max(0, v.item - rows + 1)
        for (i, p) in g.problems.dropFirst(start).prefix(rows).enumerated() {
            let y = inner.y + 1 + i
            let mark = v.marked.contains(p.record) ? "● " : "  "
            var text = mark + String(p.record).fitted(toWidth: numberWidth, alignRight: true) + "  " + (p.identifier ?? "").fitted(toWidth: idWidth) + "  "
            if let field = g.field, let d = g.difference(of: p) {
                text += shown(d.sent, field: field) + " → " + shown(d.found, field: field)
            } else {
                text += p.message
            }
            buffer.put(text, x: inner.x, y: y, maxWidth: inner.width)
            if v.itemsFocused, start + i == v.item { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.reverse = true } }
        }
    }

    /// The selected problem (or the group's first): where it is, what it is, every field that differs.
    static func drawDetail(_ buffer: inout ScreenBuffer, _ rect: Rect, _ v: VerifyState) {
        buffer.box(rect, title: "Detail — Enter opens the record, U re-sends with upsert", style: Theme.dim)
        let inner = rect.inset(1)
        let problems = v.currentProblems
        guard inner.height > 0, problems.indices.contains(v.item) else { return }
        let p = problems[v.item]
        var lines = ["record \(p.record) (line \(p.line)) · \(p.identifier ?? "no identifier") · \(p.state) · user \(p.userID ?? "—"): \(p.message)"]
        for d in p.differences {
            lines.append("  \(d.field): sent \(shown(d.sent, field: d.field)), found \(shown(d.found, field: d.field))")
        }
        var y = inner.y
        for line in lines {
            for part in TextBox.wrap(line, width: inner.width) where y < inner.maxY {
                buffer.put(part, x: inner.x, y: y, style: p.kind == .existsAlthoughFailed ? Theme.warning : .plain)
                y += 1
            }
        }
    }
}
