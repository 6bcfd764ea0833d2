import MigrationCore

/// JSON values as the records table and the inspector show them.
enum JSONText {
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
