/// JSON text for people to read and edit (mapping files): one member per line, two spaces per
/// level; arrays of scalars and small objects of scalars stay on one line.
public enum PrettyJSON {
    public static func text(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        write(value, depth: 0, to: &out)
        return out
    }

    private static func isFlat(_ value: JSONValue) -> Bool {
        switch value {
        case .array(let items): return items.allSatisfy(isScalar)
        case .object(let members): return members.count <= 4 && members.allSatisfy { isScalar($0.value) || isFlatArray($0.value) }
        default: return true
        }
    }
    private static func isScalar(_ v: JSONValue) -> Bool {
        switch v { case .array, .object: return false; default: return true }
    }
    private static func isFlatArray(_ v: JSONValue) -> Bool {
        if case .array(let items) = v { return items.allSatisfy(isScalar) }
        return false
    }

    private static func write(_ value: JSONValue, depth: Int, to out: inout [UInt8]) {
        let writer = JSONWriter()
        if isFlat(value), depth > 0 {
            switch value {
            case .object(let members):
                out.append(UInt8(ascii: "{"))
                for (i, m) in members.enumerated() {
                    if i > 0 { out.append(contentsOf: Array(", ".utf8)) }
                    writer.writeString(m.key, to: &out)
                    out.append(contentsOf: Array(": ".utf8))
                    write(m.value, depth: depth + 1, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            case .array(let items):
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(contentsOf: Array(", ".utf8)) }
                    writer.write(item, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            default:
                writer.write(value, to: &out)
            }
            return
        }
        let pad = [UInt8](repeating: 0x20, count: (depth + 1) * 2)
        switch value {
        case .object(let members):
            guard !members.isEmpty else { out.append(contentsOf: Array("{}".utf8)); return }
            out.append(contentsOf: Array("{\n".utf8))
            for (i, m) in members.enumerated() {
                out.append(contentsOf: pad)
                writer.writeString(m.key, to: &out)
                out.append(contentsOf: Array(": ".utf8))
                write(m.value, depth: depth + 1, to: &out)
                out.append(contentsOf: Array((i + 1 < members.count ? ",\n" : "\n").utf8))
            }
            out.append(contentsOf: [UInt8](repeating: 0x20, count: depth * 2))
            out.append(UInt8(ascii: "}"))
        case .array(let items):
            guard !items.isEmpty else { out.append(contentsOf: Array("[]".utf8)); return }
            out.append(contentsOf: Array("[\n".utf8))
            for (i, item) in items.enumerated() {
                out.append(contentsOf: pad)
                write(item, depth: depth + 1, to: &out)
                out.append(contentsOf: Array((i + 1 < items.count ? ",\n" : "\n").utf8))
            }
            out.append(contentsOf: [UInt8](repeating: 0x20, count: depth * 2))
            out.append(UInt8(ascii: "]"))
        default:
            writer.write(value, to: &out)
        }
    }
}
