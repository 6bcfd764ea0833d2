import Foundation
import MigrationCore
import TerminalKit

/// Import settings, the connection check's steps, and what launching will send.
enum SettingsView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let s = state.settings
        var y = body.y + 1
        buffer.put("Target and options (flags, environment and profile fill these in; Enter changes one)", x: body.x + 2, y: y, style: Theme.dim, maxWidth: body.width - 4)
        y += 2
        for (i, field) in SettingsField.allCases.enumerated() {
            let label = SettingsUpdate.label(field)
            var value = SettingsUpdate.value(field, s)
            if value.isEmpty { value = "(not set)" }
            let style: Style = value == "(not set)" ? Theme.warning : .plain
            buffer.putFitted(label, x: body.x + 2, y: y, width: 14, style: .plain.bolded)
            buffer.put(value, x: body.x + 17, y: y, style: style, maxWidth: body.width - 19)
            if i == s.selected { buffer.restyle(Rect(x: body.x + 1, y: y, width: body.width - 2, height: 1)) { $0.reverse = true } }
            y += 1
        }
        y += 1
        if let session = state.session {
            if let l = state.loading, !l.validationComplete, session.totals != nil {
                // The counts on file are for other settings: say so until the new pass ends.
                let pct = Int(Double(l.validated) / Double(max(1, l.validationTotal)) * 100)
                buffer.put("Re-validating for identifier \(s.identifier.rawValue), upsert \(s.upsert ? "on" : "off")… \(pct)% (the counts follow)",
                           x: body.x + 2, y: y, style: Theme.dim, maxWidth: body.width - 4)
            } else if let t = session.totals {
                var send = "Will send \(Format.count(t.sendable)) records"
                if let d = state.launchDelta, d.isFor(s), d.sendable == t.sendable, d.done > 0 {
                    send = s.sendAll ? "Will send all \(Format.count(t.sendable)) records (\(Format.count(d.done)) already imported)"
                                     : "Will send \(Format.count(t.sendable - d.done)) records (\(Format.count(d.done)) already imported)"
                }
                buffer.put(send + " · left out: \(Format.count(t.errors)) invalid, \(Format.count(t.excluded)) excluded",
                           x: body.x + 2, y: y, style: t.errors > 0 ? Theme.warning : Theme.ok, maxWidth: body.width - 4)
            } else {
                buffer.put("Validation is still running…", x: body.x + 2, y: y, style: Theme.dim)
            }
            y += 2
        }
        buffer.put("Connection check" + (s.checking ? " — checking…" : (s.check.isEmpty ? " — press c" : "")), x: body.x + 2, y: y, style: Theme.header)
        y += 1
        for step in s.check where y < body.maxY {
            buffer.put(step.ok ? "✓" : "✗", x: body.x + 2, y: y, style: step.ok ? Theme.ok : Theme.error)
            buffer.putFitted(step.name, x: body.x + 4, y: y, width: 18)
            for line in TextBox.wrap(step.detail, width: body.width - 25) where y < body.maxY {
                buffer.put(line, x: body.x + 23, y: y, style: step.ok ? .plain : Theme.error)
                y += 1
            }
        }
    }
}
