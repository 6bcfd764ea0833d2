import Foundation
import MigrationCore
import TerminalKit

/// Small drawing helpers shared by the screens.
enum Widgets {
    /// 1234567 → "1,234,567" (locale-independent, so snapshots are stable).
    static func count(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func bytes(_ n: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var v = Double(n)
        var u = 0
        while v >= 1000, u < units.count - 1 { v /= 1000; u += 1 }
        return u == 0 ? "\(n) B" : String(format: v >= 100 ? "%.0f %@" : "%.1f %@", v, units[u])
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
    }

    /// Splits text into lines of at most `width` columns, breaking at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ", omittingEmptySubsequences: false) {
                var w = String(word)
                let candidate = line.isEmpty ? w : line + " " + w
                if candidate.cellWidth <= width { line = candidate; continue }
                if !line.isEmpty { lines.append(line); line = "" }
                while w.cellWidth > width {
                    let head = w.truncated(toWidth: width, ellipsis: false)
                    lines.append(head)
                    w = String(w.dropFirst(head.count))
                }
                line = w
            }
            lines.append(line)
        }
        return lines
    }

    /// A horizontal gauge: `[██████░░░░] 60%`.
    static func gauge(_ buffer: inout ScreenBuffer, x: Int, y: Int, width: Int, fraction: Double, style: Style) {
        let inner = max(0, width - 7)
        let f = min(1, max(0, fraction.isFinite ? fraction : 0))
        let filled = Int((Double(inner) * f).rounded(.down))
        buffer.put("[", x: x, y: y)
        buffer.put(String(repeating: "█", count: filled), x: x + 1, y: y, style: style)
        buffer.put(String(repeating: "░", count: inner - filled), x: x + 1 + filled, y: y, style: .plain.dimmed)
        buffer.put("]" + String(format: "%4d%%", Int(f * 100)), x: x + 1 + inner, y: y)
    }

    /// One table cell's text for a JSON value: scalars as written, containers summarised.
    static func cellText(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        switch value {
        case .string(let s): return s.replacingOccurrences(of: "\n", with: "⏎")
        case .number(let n): return n
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[\(a.count)]"
        case .object(let o): return "{\(o.count)}"
        }
    }

    /// Pretty-printed JSON, one entry per line with the pointer of the field the line shows.
    static func prettyLines(_ value: JSONValue, mask: Bool) -> [(text: String, pointer: String)] {
        var out: [(String, String)] = []
        let writer = JSONWriter()
        func scalar(_ v: JSONValue, _ p: JSONPointer) -> String {
            if mask, Secrets.isSecret(p), v.stringValue != nil || v.numberText != nil { return "\"\(Secrets.mask)\"" }
            return writer.string(v)
        }
        func emit(_ v: JSONValue, _ p: JSONPointer, indent: Int, prefix: String, comma: Bool) {
            let pad = String(repeating: "  ", count: indent)
            let tail = comma ? "," : ""
            switch v {
            case .object(let members) where !members.isEmpty:
                out.append((pad + prefix + "{", p.description))
                for (i, m) in members.enumerated() {
                    emit(m.value, p.appending(m.key), indent: indent + 1, prefix: writer.string(.string(m.key)) + ": ", comma: i < members.count - 1)
                }
                out.append((pad + "}" + tail, p.description))
            case .array(let items) where !items.isEmpty:
                out.append((pad + prefix + "[", p.description))
                for (i, item) in items.enumerated() {
                    emit(item, p.appending(i), indent: indent + 1, prefix: "", comma: i < items.count - 1)
                }
                out.append((pad + "]" + tail, p.description))
            default:
                out.append((pad + prefix + scalar(v, p) + tail, p.description))
            }
        }
        emit(value, .root, indent: 0, prefix: "", comma: false)
        return out
    }
}
