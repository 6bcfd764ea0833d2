import Foundation
import TerminalKit

/// Failure review: tabs, groups with counts, the records of the group, the selected record's message.
enum ReviewView {
    static func draw(_ buffer: inout ScreenBuffer, _ body: Rect, _ state: AppState) {
        let r = state.review
        var x = body.x + 1
        for tab in ReviewState.Tab.allCases {
            let label = " \(tab.rawValue) "
            x += buffer.put(label, x: x, y: body.y, style: tab == r.tab ? Theme.selected.bolded : Theme.dim) + 1
        }
        let total = r.groups.reduce(0) { $0 + $1.records.count }
        let edited = r.editedSinceFailureRecords.count
        buffer.put("\(Format.count(total)) record\(total == 1 ? "" : "s")" + (r.marked.isEmpty ? "" : " · \(r.marked.count) marked")
                   + (edited == 0 ? "" : " · ✎ \(Format.count(edited)) edited since they failed (e marks them)"),
                   x: x + 2, y: body.y, style: Theme.key)
        let area = Rect(x: body.x, y: body.y + 1, width: body.width, height: body.height - 1)
        if !r.loaded {
            buffer.put("loading…", x: area.x + 2, y: area.y + 1, style: Theme.dim)
            return
        }
        if r.groups.isEmpty {
            let text: String
            switch r.tab {
            case .failed: text = "No failed records."
            case .skipped: text = "No skipped users."
            case .warnings: text = "No warnings."
            }
            buffer.put(text, x: area.x + 2, y: area.y + 1, style: Theme.ok)
            return
        }
        let (groupsRect, rest) = area.splitLeft(min(40, area.width / 3))
        let (itemsRect, detailRect) = rest.splitBottom(min(6, rest.height / 3))
        let groupTitle: String
        switch r.tab {
        case .failed: groupTitle = "Failed, by reason"
        case .skipped: groupTitle = "Skipped, by kind"
        case .warnings: groupTitle = "Warnings"
        }
        buffer.box(groupsRect, title: groupTitle, style: r.itemsFocused ? Theme.dim : Theme.key)
        let gi = groupsRect.inset(1)
        let gStart = max(0, r.group - gi.height + 1)
        for (i, g) in r.groups.dropFirst(gStart).prefix(gi.height).enumerated() {
            let count = Format.count(g.records.count)
            buffer.putFitted(g.key, x: gi.x, y: gi.y + i, width: gi.width - count.count - 1)
            buffer.put(count, x: gi.maxX - count.count, y: gi.y + i, style: Theme.key)
            if gStart + i == r.group {
                buffer.restyle(Rect(x: gi.x, y: gi.y + i, width: gi.width, height: 1)) { $0.reverse = true; if !r.itemsFocused { $0.bold = true } }
            }
        }
        buffer.box(itemsRect, title: "Records", style: r.itemsFocused ? Theme.key : Theme.dim)
        let ii = itemsRect.inset(1)
        let items = r.currentItems
        let idWidth = min(30, ii.width / 3)
        let numberWidth = RecordsView.numberWidth(largest: items.map(\.record).max() ?? 0, minimum: 7)
        let columns = itemColumns(r.tab)
        // Marks: ● marked for retry, ✎ edited since it failed.
        buffer.put("   " + "record".fitted(toWidth: numberWidth, alignRight: true) + "  " + "identifier".fitted(toWidth: idWidth) + "  "
                   + columns.map(\.title).joined(separator: "  "), x: ii.x, y: ii.y, style: Theme.header, maxWidth: ii.width)
        let rows = ii.height - 1
        let iStart = max(0, r.item - rows + 1)
        for (i, item) in items.dropFirst(iStart).prefix(max(0, rows)).enumerated() {
            let mark = (r.marked.contains(item.record) ? "●" : " ") + (r.tab == .failed && r.editedSinceFailure(item) ? "✎" : " ") + " "
            let values = columns.map { c in c.width.map { c.value(item).fitted(toWidth: $0) } ?? c.value(item) }
            let line = mark + String(item.record).fitted(toWidth: numberWidth, alignRight: true) + "  " + item.identifier.fitted(toWidth: idWidth) + "  "
                + values.joined(separator: "  ")
            buffer.put(line, x: ii.x, y: ii.y + 1 + i, maxWidth: ii.width)
            if r.itemsFocused, iStart + i == r.item { buffer.restyle(Rect(x: ii.x, y: ii.y + 1 + i, width: ii.width, height: 1)) { $0.reverse = true } }
        }
        buffer.box(detailRect, title: "Detail", style: Theme.dim)
        let di = detailRect.inset(1)
        if items.indices.contains(r.item) {
            let item = items[r.item]
            var text = "record \(item.record) · \(item.identifier) · \(item.reason): \(item.message)"
            if let id = item.userID { text += " · user \(id)" }
            if let detail = item.detail { text += " · \(detail)" }
            if r.tab == .failed { text += r.editedSinceFailure(item) ? " · ✎ edited since it failed: r retries it" : " · Enter fixes it in the editor" }
            for (i, line) in TextBox.wrap(text, width: di.width).prefix(di.height).enumerated() {
                buffer.put(line, x: di.x, y: di.y + i, style: r.tab == .failed ? Theme.error : .plain)
            }
        }
    }

    /// The columns after record and identifier, named by what they hold on each tab.
    struct ItemColumn {
        var title: String
        /// Nil: the last column, as long as it needs.
        var width: Int?
        var value: (ReviewState.Item) -> String
    }

    static func itemColumns(_ tab: ReviewState.Tab) -> [ItemColumn] {
        switch tab {
        case .failed: return [ItemColumn(title: "server message", width: nil) { $0.message }]
        case .skipped: return [ItemColumn(title: "user_id", width: nil) { $0.userID ?? "—" }]
        case .warnings: return [ItemColumn(title: "outcome".fitted(toWidth: 8), width: 8) { $0.reason },
                                ItemColumn(title: "user_id", width: nil) { $0.userID ?? "—" }]
        }
    }
}
