import Foundation
import MigrationEngine
import TerminalKit

/// Every run of the journal (newest first) with its source, target, times, totals and state;
/// the selected one's details below; Enter shows its summary with failures by reason.
enum RunsView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let r = state.runs
        guard r.loaded else {
            buffer.put("reading the journal…", x: body.x + 2, y: body.y + 1, style: Theme.dim)
            return
        }
        guard !r.entries.isEmpty else {
            buffer.put("The journal has no runs yet. Open a file and press L to launch one.", x: body.x + 2, y: body.y + 1, style: Theme.dim)
            return
        }
        if r.showingSummary, let e = r.selectedEntry {
            drawSummary(&buffer, body, e, state)
            return
        }
        if let rollback = r.rollback {
            let (listRect, panelRect) = body.splitBottom(min(body.height - 3, max(9, body.height / 2)))
            drawList(&buffer, listRect, state)
            RollbackView.draw(&buffer, panelRect, rollback)
            return
        }
        let (listRect, detailRect) = body.splitBottom(min(7, body.height / 3))
        drawList(&buffer, listRect, state)
        if let e = r.selectedEntry { drawDetail(&buffer, detailRect, e, state) }
    }

    /// The state as a word, styled by what it asks of the operator.
    static func stateStyle(_ c: RunHistoryEntry.Condition) -> Style {
        switch c {
        case .finished: return Theme.ok
        case .running, .runningElsewhere: return Theme.key
        case .paused, .stopped: return Theme.warning
        case .interrupted: return Theme.error
        }
    }

    static func isOpenSource(_ e: RunHistoryEntry, _ state: AppState) -> Bool {
        state.session != nil && state.run.runID == e.run.id
    }

    static func drawList(_ buffer: inout ScreenBuffer, _ rect: Rect, _ state: AppState) {
        let r = state.runs
        buffer.box(rect, title: "Runs in the journal (\(r.entries.count))", style: Theme.key)
        let inner = rect.inset(1)
        guard inner.height > 1 else { return }
        // Columns by width: everything from 140 cells, no finished time and target below, no start time below 100.
        let wide = inner.width >= 140
        let dated = inner.width >= 100
        let numbers = wide ? ["inserted", "updated", "skipped", "failed", "pending"] : (dated ? ["done", "failed", "pending"] : ["failed", "pending"])
        let numberWidth = 9
        let fixed = 2 + 8 + (dated ? 2 + 16 : 0) + (wide ? 2 + 16 : 0) + 2 + numbers.count * (numberWidth + 1) + 2 + 17 + (wide ? 2 + 20 : 0)
        let sourceWidth = max(8, inner.width - fixed)
        var header = "  " + "run".fitted(toWidth: 8)
        if dated { header += "  " + "started".fitted(toWidth: 16) }
        if wide { header += "  " + "finished".fitted(toWidth: 16) }
        header += "  " + "source".fitted(toWidth: sourceWidth)
        if wide { header += "  " + "target".fitted(toWidth: 20) }
        for n in numbers { header += " " + n.fitted(toWidth: numberWidth, alignRight: true) }
        header += "  state"
        buffer.put(header, x: inner.x, y: inner.y, style: Theme.header, maxWidth: inner.width)
        let rows = inner.height - 1
        let start = max(0, min(r.selected - rows + 1, r.entries.count - rows))
        for (i, e) in r.entries.enumerated().dropFirst(start).prefix(rows) {
            let y = inner.y + 1 + i - start
            let c = e.counts
            var line = (isOpenSource(e, state) ? "▸ " : "  ") + String(e.run.id.prefix(8)).fitted(toWidth: 8)
            if dated { line += "  " + Format.date(e.run.createdAt, in: state.timeZone) }
            if wide { line += "  " + (e.finishedAt.map { Format.date($0, in: state.timeZone) } ?? "—").fitted(toWidth: 16) }
            line += "  " + (e.run.sourcePath as NSString).lastPathComponent.fitted(toWidth: sourceWidth)
            if wide { line += "  " + e.run.projectID.fitted(toWidth: 20) }
            let values = wide ? [c.inserted, c.updated, c.skipped, c.failed, e.withoutOutcome]
                : (dated ? [c.inserted + c.updated + c.skipped, c.failed, e.withoutOutcome] : [c.failed, e.withoutOutcome])
            for v in values { line += " " + Format.count(v).fitted(toWidth: numberWidth, alignRight: true) }
            line += "  "
            let used = buffer.put(line, x: inner.x, y: y, maxWidth: inner.width)
            buffer.put(e.condition.rawValue, x: inner.x + used, y: y, style: stateStyle(e.condition), maxWidth: max(0, inner.width - used))
            if start + i == r.selected { buffer.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { $0.reverse = true } }
        }
    }

    /// What a run is: source, target, times, totals, state.
    static func facts(_ e: RunHistoryEntry, _ state: AppState) -> [(String, String)] {
        let run = e.run
        let c = e.counts
        var source = "\(run.sourcePath) (\(Format.count(run.recordCount)) records, \(Format.bytes(run.sourceSize)))"
        if isOpenSource(e, state) { source += " — the open file" }
        var condition = e.condition.rawValue
        switch e.condition {
        case .interrupted: condition += ": the process that ran it is gone; resume continues it"
        case .runningElsewhere: condition += e.holder.map { ": \($0)" } ?? ""
        case .paused, .stopped: condition += run.pausedReason.map { ": \($0)" } ?? ""
        case .finished, .running: break
        }
        return [
            ("run", run.id),
            ("source", source),
            ("target", "\(run.endpoint) project \(run.projectID) · identifier \(run.identifier) · upsert \(run.upsert ? "on" : "off")"),
            ("started", Format.date(run.createdAt, in: state.timeZone) + "   finished " + (e.finishedAt.map { Format.date($0, in: state.timeZone) } ?? "—")),
            ("totals", "inserted \(Format.count(c.inserted)) · updated \(Format.count(c.updated)) · skipped \(Format.count(c.skipped)) · failed \(Format.count(c.failed)) · pending \(Format.count(e.withoutOutcome))"),
            ("state", condition),
        ]
    }

    static func drawFacts(_ buffer: inout ScreenBuffer, _ inner: Rect, _ facts: [(String, String)]) -> Int {
        for (i, f) in facts.prefix(inner.height).enumerated() {
            buffer.put(f.0.fitted(toWidth: 9), x: inner.x, y: inner.y + i, style: Theme.key)
            buffer.put(f.1, x: inner.x + 9, y: inner.y + i, maxWidth: inner.width - 9)
        }
        return min(inner.height, facts.count)
    }

    static func drawDetail(_ buffer: inout ScreenBuffer, _ rect: Rect, _ e: RunHistoryEntry, _ state: AppState) {
        buffer.box(rect, title: "Run \(e.run.id.prefix(8)) — Enter: summary", style: Theme.dim)
        _ = drawFacts(&buffer, rect.inset(1), Array(facts(e, state).dropFirst()))
    }

    static func drawSummary(_ buffer: inout ScreenBuffer, _ body: Rect, _ e: RunHistoryEntry, _ state: AppState) {
        buffer.box(body, title: "Run \(e.run.id.prefix(8)) — summary (Esc: every run)", style: Theme.key)
        let inner = body.inset(1)
        var y = inner.y + drawFacts(&buffer, inner, facts(e, state)) + 1
        guard y < inner.maxY else { return }
        buffer.put("Failed, by reason", x: inner.x, y: y, style: Theme.header)
        y += 1
        if e.failedByReason.isEmpty { buffer.put("no failed records", x: inner.x + 2, y: y, style: Theme.ok); y += 1 }
        for reason in e.failedByReason where y < inner.maxY - 2 {
            buffer.put(Format.count(reason.count).fitted(toWidth: 9, alignRight: true), x: inner.x, y: y, style: Theme.error)
            buffer.put(reason.reason, x: inner.x + 11, y: y, maxWidth: inner.width - 11)
            y += 1
        }
        y += 1
        if let plan = e.resumePlan, e.isResumable {
            for line in TextBox.wrap("Resume: " + plan, width: inner.width).prefix(max(0, inner.maxY - y - 2)) {
                buffer.put(line, x: inner.x, y: y, style: Theme.warning)
                y += 1
            }
            y += 1
        }
        if y < inner.maxY {
            let open = isOpenSource(e, state)
            let hint = open ? "p progress, v review and the outcome column are this run's (Esc, then Esc to the records)"
                            : "o opens its source: its progress, outcomes and review show there"
            buffer.put(hint, x: inner.x, y: y, style: Theme.dim, maxWidth: inner.width)
        }
    }
}
