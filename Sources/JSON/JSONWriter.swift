/// Serialises `JSONValue`s to compact JSON bytes.
///
/// Numbers are written exactly as they were read; member order is kept unless `sortedKeys`.
public struct JSONWriter: Sendable {
    /// Sort object keys by their UTF-8 bytes (as Go's encoding/json does for maps).
    public var sortedKeys = false
    /// Escape `<`, `>`, `&`, U+2028 and U+2029 as Go's encoding/json does by default.
    public var escapeHTML = false

    public init(sortedKeys: Bool = false, escapeHTML: Bool = false) {
        self.sortedKeys = sortedKeys
        self.escapeHTML = escapeHTML
    }

    /// The compact JSON text of `value`.
    public func bytes(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(value, to: &out)
        return out
    }

    /// The compact JSON text of `value` as a string.
    public func string(_ value: JSONValue) -> String {
        String(decoding: bytes(value), as: UTF8.self)
    }

    /// Appends the compact JSON text of `value` to `out`.
    public func write(_ value: JSONValue, to out: inout [UInt8]) {
        writeShallow(value, depth: 0, to: &out)
    }

    /// Levels written by plain recursion (records are a few levels deep); deeper values go to the
    /// iterative writer, so 10,000 levels of nesting cannot overflow the thread's stack.
    private static let recursionLimit = 32

    private func writeShallow(_ value: JSONValue, depth: Int, to out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let text): out.append(contentsOf: text.utf8)
        case .string(let s): writeString(s, to: &out)
        case .array, .object:
            guard depth < JSONWriter.recursionLimit else { return writeDeep(value, to: &out) }
            if case .array(let items) = value {
                out.append(UInt8(ascii: "["))
                for (i, item) in items.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    writeShallow(item, depth: depth + 1, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            } else if case .object(let members) = value {
                out.append(UInt8(ascii: "{"))
                for (i, m) in (sortedKeys ? JSONWriter.sortedDeduplicated(members) : members).enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    writeString(m.key, to: &out)
                    out.append(UInt8(ascii: ":"))
                    writeShallow(m.value, depth: depth + 1, to: &out)
                }
                out.append(UInt8(ascii: "}"))
            }
        }
    }

    /// The iterative writer (explicit stack) for values nested beyond the recursion limit.
    private func writeDeep(_ value: JSONValue, to out: inout [UInt8]) {
        enum Pending { case value(JSONValue), member(String, JSONValue), byte(UInt8) }
        var stack: [Pending] = [.value(value)]
        while let next = stack.popLast() {
            switch next {
            case .byte(let b): out.append(b)
            case .member(let key, let v):
                writeString(key, to: &out)
                out.append(UInt8(ascii: ":"))
                stack.append(.value(v))
            case .value(let v):
                switch v {
                case .null: out.append(contentsOf: "null".utf8)
                case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
                case .number(let text): out.append(contentsOf: text.utf8)
                case .string(let s): writeString(s, to: &out)
                case .array(let items):
                    out.append(UInt8(ascii: "["))
                    stack.append(.byte(UInt8(ascii: "]")))
                    for (i, item) in items.enumerated().reversed() {
                        stack.append(.value(item))
                        if i > 0 { stack.append(.byte(UInt8(ascii: ","))) }
                    }
                case .object(let members):
                    out.append(UInt8(ascii: "{"))
                    stack.append(.byte(UInt8(ascii: "}")))
                    let ordered = sortedKeys ? JSONWriter.sortedDeduplicated(members) : members
                    for (i, m) in ordered.enumerated().reversed() {
                        stack.append(.member(m.key, m.value))
                        if i > 0 { stack.append(.byte(UInt8(ascii: ","))) }
                    }
                }
            }
        }
    }

    /// Members sorted by key bytes, keeping only the last of duplicate keys (a Go map's view).
    static func sortedDeduplicated(_ members: [JSONMember]) -> [JSONMember] {
        // Keyed by UTF-8 bytes: Swift String equality would merge canonically equivalent keys.
        var last: [[UInt8]: Int] = [:]
        for (i, m) in members.enumerated() { last[Array(m.key.utf8)] = i }
        return last.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { members[$0.value] }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `s` as a JSON string literal.
    public func writeString(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { writeString(utf8: $0, to: &out) }
    }

    /// Appends the valid UTF-8 text `u` as a JSON string literal (what `writeString` writes for
    /// the `String` of these bytes).
    public func writeString(utf8 u: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        do {
            // Runs of bytes that need no escape are copied at once (a String is valid UTF-8,
            // so its multi-byte sequences are copied as they are).
            var runStart = 0
            var i = 0
            let n = u.count
            func flush() { if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: u[runStart..<i])) } }
            while i < n {
                let b = u[i]
                if b >= 0x80 {
                    // U+2028 / U+2029 (E2 80 A8 / A9) are escaped in HTML-safe output.
                    if escapeHTML, b == 0xE2, i + 2 < n, u[i + 1] == 0x80, u[i + 2] == 0xA8 || u[i + 2] == 0xA9 {
                        flush()
                        appendUnicodeEscape(u[i + 2] == 0xA8 ? 0x2028 : 0x2029, to: &out)
                        i += 3
                        runStart = i
                        continue
                    }
                    i += 1
                    continue
                }
                let plain = b >= 0x20 && b != 0x22 && b != 0x5C && !(escapeHTML && (b == 0x3C || b == 0x3E || b == 0x26))
                if plain { i += 1; continue }
                flush()
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default: appendUnicodeEscape(UInt32(b), to: &out)
                }
                i += 1
                runStart = i
            }
            flush()
        }
        out.append(UInt8(ascii: "\""))
    }

    private func appendUnicodeEscape(_ v: UInt32, to out: inout [UInt8]) {
        out.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        for shift in stride(from: 12, through: 0, by: -4) {
            out.append(JSONWriter.hexDigits[Int((v >> UInt32(shift)) & 0xF)])
        }
    }
}

extension JSONValue {
    /// Compact JSON text, members in source order.
    public var jsonText: String { JSONWriter().string(self) }
}

/// Removes insignificant white space from a valid JSON text without touching anything else
/// (number spellings, escapes, key order and duplicates stay as written).
public enum JSONCompactor {
    /// Appends the compact form of valid JSON `bytes` to `out`: runs between white space outside
    /// strings are copied whole (a byte-by-byte append cost most of a request body's build).
    public static func compact(_ bytes: UnsafeRawBufferPointer, into out: inout [UInt8]) {
        let n = bytes.count
        var inString = false
        var i = 0
        var run = 0
        while i < n {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { i += 2; continue }  // the escaped byte stays in the run
                if b == UInt8(ascii: "\"") { inString = false }
            } else if b == UInt8(ascii: "\"") {
                inString = true
            } else if b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 {
                if i > run { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<i])) }
                run = i + 1
            }
            i += 1
        }
        if n > run { out.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[run..<n])) }
    }

    /// The length of the compact form of valid JSON `bytes`.
    public static func compactLength(_ bytes: UnsafeRawBufferPointer) -> Int {
        var inString = false
        var i = 0
        var count = 0
        let n = bytes.count
        while i < n {
            let b = bytes[i]
            if inString {
                if b == UInt8(ascii: "\\") { count += 2; i += 2; continue }
                if b == UInt8(ascii: "\"") { inString = false }
                count += 1
            } else if b == UInt8(ascii: "\"") {
                inString = true
                count += 1
            } else if !(b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) {
                count += 1
            }
            i += 1
        }
        return count
    }
}
