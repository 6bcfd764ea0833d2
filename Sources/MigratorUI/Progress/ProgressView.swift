import Foundation
import MigrationEngine
import TerminalKit

/// Live progress: gauge, totals, throughput and ETA, one row per batch, the failure feed.
enum ProgressView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let now = state.now
        let run = state.run
        guard run.runID != nil || run.active else {
            buffer.put("No run yet. From the records, press L to set up and launch an import.", x: body.x + 2, y: body.y + 1, style: Theme.dim)
            return
        }
        var y = body.y + 1
        let c = run.counts
        // "Finished" once the run has ended (the engine's last event comes just before it returns:
        // until then quitting still has a run to stop).
        var headline = run.finished != nil && !run.active ? "Finished" : (run.active ? "Importing" : "Paused")
        if let id = run.runID { headline += " · run \(id.prefix(8))" }
        buffer.put(headline, x: body.x + 2, y: y, style: run.finished != nil ? Theme.ok : (run.active ? Theme.key : Theme.warning))
        y += 1
        // Every figure below comes from the journal's totals: settled + pending = planned.
        Gauge(fraction: run.fraction, filledStyle: Theme.ok).render(into: &buffer, area: Rect(x: body.x + 2, y: y, width: body.width - 4, height: 1))
        y += 1
        let totals: [(String, Int, Style)] = [("inserted", c.inserted, Theme.ok), ("updated", c.updated, Theme.ok),
                                               ("skipped", c.skipped, Theme.warning), ("failed", c.failed, Theme.error),
                                               ("pending", run.pending, Theme.dim)]
        var x = body.x + 2
        for (name, value, style) in totals {
            x += buffer.put("\(name) ", x: x, y: y)
            x += buffer.put(Format.count(value), x: x, y: y, style: style.bolded)
            x += buffer.put("   ", x: x, y: y)
        }
        buffer.put("of \(Format.count(run.plannedCount))", x: x, y: y, style: Theme.dim, maxWidth: max(0, body.maxX - x - 1))
        y += 1
        var pace: [String] = []
        if run.active {
            // While paused there is no pace to speak of: no rate, no ETA.
            if let rate = run.rate(now: now) { pace.append(String(format: "%.0f records/s", rate)) }
            if let eta = run.eta(now: now) { pace.append("ETA \(Format.duration(eta))") }
            pace.append("\(run.inFlightBatches) batch\(run.inFlightBatches == 1 ? "" : "es") in flight")
        }
        if run.active || run.activeSeconds > 0 {
            pace.append("elapsed \(Format.duration(run.elapsed(now: now)))"
                        + (run.activeBeforeSession ? " this session" : "") + (run.active ? "" : " (paused time not counted)"))
        }
        buffer.put(pace.joined(separator: " · "), x: body.x + 2, y: y, maxWidth: body.width - 4)
        y += 1
        if let reason = run.pausedReason, run.finished == nil, !run.active {
            // Whole, however long (a 403's checklist: one item a line, wrapped), up to a third of the screen.
            let lines = RunViewState.checklistLines("‖ " + reason).flatMap { TextBox.wrap($0, width: max(10, body.width - 4)) }
            let room = max(1, body.height / 2)
            for (i, line) in lines.prefix(room).enumerated() {
                let cut = i == room - 1 && lines.count > room
                buffer.put(cut ? "… (b shows all of it)" : line, x: body.x + 2, y: y, style: Theme.warning, maxWidth: body.width - 4)
                y += 1
            }
            y -= 1
        } else if run.active, let job = run.oldestPendingJob(now: now), let id = job.jobID {
            // The server has not answered this job yet: say for how long.
            let age = max(0, now.timeIntervalSince(job.since))
            buffer.put("job \(id) (batch \(job.number)) pending for \(Format.duration(age))", x: body.x + 2, y: y,
                       style: age > RunViewState.longPendingSeconds ? Theme.warning : Theme.dim, maxWidth: body.width - 4)
        }
        y += 1
        let remaining = Rect(x: body.x, y: y, width: body.width, height: body.maxY - y)
        let (batchRect, feedRect) = remaining.splitTop(max(3, remaining.height / 2))
        drawBatches(&buffer, batchRect, run, now: now)
        drawFeed(&buffer, feedRect, run)
    }

    static func drawBatches(_ buffer: inout ScreenBuffer, _ rect: Rect, _ run: RunViewState, now: Date) {
        buffer.box(rect, title: "Batches (\(run.batches.count))", style: Theme.dim)
        let inner = rect.inset(1)
        guard inner.height > 1 else { return }
        let jobWidth = min(34, max(12, inner.width - 50))
        buffer.put("batch  records  state      " + "job".fitted(toWidth: jobWidth) + "    age  detail", x: inner.x, y: inner.y, style: Theme.header, maxWidth: inner.width)
        // Open batches first, then the most recent completed ones.
        let ordered = run.batches.filter { $0.state != "completed" } + run.batches.filter { $0.state == "completed" }.reversed()
        let start = min(run.selected, max(0, ordered.count - (inner.height - 1)))
        for (i, b) in ordered.dropFirst(start).prefix(inner.height - 1).enumerated() {
            let age = max(0, now.timeIntervalSince(b.since))
            // A job the server keeps pending says for how long, in warning style.
            let longPending = (b.state == "pending" || b.state == "sent") && age > RunViewState.longPendingSeconds
            let style: Style = b.state == "completed" ? Theme.dim : (b.state == "retrying" || longPending ? Theme.warning : .plain)
            let detail = longPending ? "pending \(Format.duration(age)), server still processing" + (b.note.map { " · " + $0 } ?? "") : (b.note ?? "")
            let line = String(b.number).fitted(toWidth: 5, alignRight: true) + "  " + String(b.records).fitted(toWidth: 7, alignRight: true) + "  "
                + b.state.fitted(toWidth: 9) + "  " + (b.jobID ?? "—").fitted(toWidth: jobWidth) + "  "
                + (b.state == "planned" ? "—" : Format.duration(age)).fitted(toWidth: 5, alignRight: true) + "  " + detail
            buffer.put(line, x: inner.x, y: inner.y + 1 + i, style: style, maxWidth: inner.width)
        }
    }

    static func drawFeed(_ buffer: inout ScreenBuffer, _ rect: Rect, _ run: RunViewState) {
        buffer.box(rect, title: "Failures (\(Format.count(run.failedCount))) and events", style: Theme.dim)
        let inner = rect.inset(1)
        // Events are wrapped, never cut: a long reason is read whole.
        var lines: [(String, Style)] = run.events.suffix(3).flatMap { event -> [(String, Style)] in
            var e = event
            // The pause that stopped the run is shown whole above the batches: here its first clause.
            if let reason = run.pausedReason, !run.active, run.finished == nil, e == "paused: " + reason, e.cellWidth > inner.width {
                e = "paused: \(RunViewState.headline(reason)) — above"
            }
            return TextBox.wrap(e, width: max(10, inner.width)).enumerated().map { ($0.offset == 0 ? $0.element : "  " + $0.element, Theme.warning) }
        }
        lines += run.feed.map { ("record \($0.record): \($0.reason) — \($0.message)", Theme.error) }
        if lines.isEmpty { lines = [("no failures so far", Theme.dim)] }
        for (i, l) in lines.prefix(inner.height).enumerated() {
            buffer.put(l.0, x: inner.x, y: inner.y + i, style: l.1, maxWidth: inner.width)
        }
    }
}
