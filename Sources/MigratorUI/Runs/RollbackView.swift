import Foundation
import TerminalKit

/// The rollback panel under the runs list: the plan and the typed confirmation, the progress,
/// then what was deleted, what was left alone and why, what the server refused.
enum RollbackView {
    static func draw(_ buffer: inout ScreenBuffer, _ rect: Rect, _ r: RollbackState) {
        buffer.fill(rect)
        let style: Style
        switch r.phase {
        case .confirming, .running, .cancelling: style = Theme.warning.bolded
        case .failed: style = Theme.error
        default: style = Theme.key
        }
        buffer.box(rect, title: "Rollback of run \(r.runID.prefix(8))", style: style)
        let inner = rect.inset(1)
        var y = inner.y
        func line(_ text: String, _ style: Style = .plain) {
            for part in TextBox.wrap(text, width: inner.width) where y < inner.maxY {
                buffer.put(part, x: inner.x, y: y, style: style)
                y += 1
            }
        }
        switch r.phase {
        case .planning:
            line("reading the journal: which users the run inserted…", Theme.dim)
        case .confirming:
            guard let plan = r.plan else { return }
            for (i, text) in RollbackUpdate.confirmationLines(plan).enumerated() { line(text, i == 0 ? Theme.key : .plain) }
            y += 1
            line("Type the project id \(plan.projectID) below and press Enter to delete; Esc cancels.", Theme.warning.bolded)
        case .running(let done, let total):
            line("Deleting from \(r.plan.map { "\($0.endpoint) project \($0.projectID)" } ?? "the project")… \(Format.count(done)) of \(Format.count(total)) users looked at", Theme.warning)
            if y < inner.maxY {
                Gauge(fraction: total > 0 ? Double(done) / Double(total) : 0, filledStyle: Theme.warning).render(into: &buffer, area: Rect(x: inner.x, y: y, width: min(60, inner.width), height: 1))
                y += 1
            }
            line("Each deletion is journaled as the server confirms it: Esc stops after the request in flight, D again continues.", Theme.dim)
        case .cancelling:
            line("Stopping after the request in flight… (every deletion so far is journaled; D again continues)", Theme.warning)
        case .cancelled:
            line("Rollback stopped. What was deleted is journaled; D continues where it stopped.", Theme.warning)
        case .failed(let reason):
            line("Rollback refused or could not run: \(reason)", Theme.error)
        case .finished(let result):
            drawResult(result, plan: r.plan, line: line)
        }
    }

    static func drawResult(_ result: RollbackResult, plan: RollbackPlan?, line: (String, Style) -> Void) {
        let target = plan.map { " from \($0.endpoint) project \($0.projectID)" } ?? ""
        if result.deleted == 0, result.alreadyGone == 0, result.leftAlone.isEmpty, result.failed.isEmpty {
            line("Nothing to roll back: every user the run inserted was already deleted or gone (\(Format.count(result.settledEarlier)) settled by an earlier rollback).", Theme.ok)
            return
        }
        let clean = result.leftAlone.isEmpty && result.failed.isEmpty
        line("Rollback done\(target): deleted \(Format.count(result.deleted)) · already gone \(Format.count(result.alreadyGone)) · left alone \(Format.count(result.leftAlone.count)) · refused \(Format.count(result.failed.count))",
             clean ? Theme.ok : Theme.warning)
        if let plan, plan.updated + plan.skipped > 0 {
            line("Never touched: \(Format.count(plan.updated)) updated and \(Format.count(plan.skipped)) skipped (they existed before the run).", Theme.dim)
        }
        for u in result.leftAlone { line("left alone: record \(u.record), user \(u.userID): \(u.reason)", Theme.warning) }
        for u in result.failed { line("refused: record \(u.record), user \(u.userID): \(u.reason)", Theme.error) }
    }
}
