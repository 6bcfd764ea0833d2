/// A strict RFC 8259 JSON parser over raw bytes.
///
/// Accepts every valid JSON text and refuses every invalid one: bad escapes, unpaired
/// surrogates, leading zeros, trailing commas, raw control characters in strings, invalid
/// UTF-8, `NaN`/`Infinity`, trailing bytes. It never recurses, so adversarial nesting
/// cannot overflow the stack; nesting deeper than `maxDepth` is a clear error.
public struct JSONParser {
    /// Nesting limit (Go's encoding/json, which the server uses, stops at 10,000).
    public static let defaultMaxDepth = 10_000

    private let bytes: UnsafeRawBufferPointer
    private var pos: Int
    private let end: Int
    private let maxDepth: Int
    /// Object members with these keys are skipped (their values checked for structure, not
    /// built): a server's echo of every record in a job result need not become a tree.
    private var skippedKeys: Set<String> = []

    /// Parses exactly one JSON value (surrounded by optional white space) from `bytes`; members
    /// named in `skipping` are left out of every object (at any depth).
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = defaultMaxDepth,
                             skipping: Set<String> = []) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes, pos: 0, end: bytes.count, maxDepth: maxDepth)
        parser.skippedKeys = skipping
        parser.skipWhitespace()
        let value = try parser.parseValue()
        parser.skipWhitespace()
        if parser.pos < parser.end {
            throw parser.error("unexpected \(parser.describe(parser.pos)) after the end of the JSON value", at: parser.pos)
        }
        return value
    }

    /// Parses a JSON text held in a Swift string.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Parses JSON held in a byte array.
    public static func parse(_ data: [UInt8], maxDepth: Int = defaultMaxDepth, skipping: Set<String> = []) throws(JSONSyntaxError) -> JSONValue {
        let result: Result<JSONValue, JSONSyntaxError> = data.withUnsafeBytes { buffer in
            do throws(JSONSyntaxError) { return .success(try parse(buffer, maxDepth: maxDepth, skipping: skipping)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    // MARK: - Values

    private enum Frame {
        case array([JSONValue])
        case object([JSONMember], pendingKey: String)
    }

    private mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
        var stack: [Frame] = []
        while true {
            // Parse one value, or open a container.
            var value: JSONValue
            guard pos < end else { throw error("unexpected end of input: a value was expected", at: pos) }
            let c = bytes[pos]
            switch c {
            case UInt8(ascii: "{"):
                guard stack.count < maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: pos) }
                pos += 1
                skipWhitespace()
                if pos < end, bytes[pos] == UInt8(ascii: "}") {
                    pos += 1
                    value = .object([])
                } else {
                    guard stack.count < maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: pos - 1) }
                    if let key = try nextKeptKey() {
                        stack.append(.object([], pendingKey: key))
                        skipWhitespace()
                        continue
                    }
                    value = .object([])
                }
            case UInt8(ascii: "["):
                guard stack.count < maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: pos) }
                pos += 1
                skipWhitespace()
                if pos < end, bytes[pos] == UInt8(ascii: "]") {
                    pos += 1
                    value = .array([])
                } else {
                    guard stack.count < maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: pos - 1) }
                    stack.append(.array([]))
                    continue
                }
            case UInt8(ascii: "\""):
                value = .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = .number(try parseNumber())
            case UInt8(ascii: "t"): try expectLiteral("true"); value = .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); value = .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); value = .null
            default:
                throw error("unexpected \(describe(pos)): a value was expected", at: pos)
            }

            // Attach the finished value to its container; close containers as far as possible.
            while true {
                guard let top = stack.popLast() else { return value }
                skipWhitespace()
                switch top {
                case .array(var items):
                    items.append(value)
                    guard pos < end else { throw error("unexpected end of input inside an array: ',' or ']' was expected", at: pos) }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        skipWhitespace()
                        if pos < end, bytes[pos] == UInt8(ascii: "]") { throw error("trailing comma before ']'", at: pos) }
                        stack.append(.array(items))
                    } else if bytes[pos] == UInt8(ascii: "]") {
                        pos += 1
                        value = .array(items)
                        continue
                    } else {
                        throw error("unexpected \(describe(pos)) inside an array: ',' or ']' was expected", at: pos)
                    }
                case .object(var members, let key):
                    members.append(JSONMember(key, value))
                    guard pos < end else { throw error("unexpected end of input inside an object: ',' or '}' was expected", at: pos) }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        skipWhitespace()
                        if pos < end, bytes[pos] == UInt8(ascii: "}") { throw error("trailing comma before '}'", at: pos) }
                        guard let next = try nextKeptKey() else {
                            value = .object(members)
                            continue
                        }
                        stack.append(.object(members, pendingKey: next))
                    } else if bytes[pos] == UInt8(ascii: "}") {
                        pos += 1
                        value = .object(members)
                        continue
                    } else {
                        throw error("unexpected \(describe(pos)) inside an object: ',' or '}' was expected", at: pos)
                    }
                }
                skipWhitespace()
                break
            }
        }
    }

    /// The next member's key, after skipping the members whose keys are skipped; nil when the
    /// object ended instead (its `}` consumed).
    private mutating func nextKeptKey() throws(JSONSyntaxError) -> String? {
        while true {
            let key = try parseKey()
            guard !skippedKeys.isEmpty, skippedKeys.contains(key) else { return key }
            try skipValue()
            skipWhitespace()
            guard pos < end else { throw error("unexpected end of input inside an object: ',' or '}' was expected", at: pos) }
            if bytes[pos] == UInt8(ascii: "}") { pos += 1; return nil }
            guard bytes[pos] == UInt8(ascii: ",") else { throw error("unexpected \(describe(pos)) inside an object: ',' or '}' was expected", at: pos) }
            pos += 1
            skipWhitespace()
            if pos < end, bytes[pos] == UInt8(ascii: "}") { throw error("trailing comma before '}'", at: pos) }
        }
    }

    /// Moves past one value without building it: strings are checked as strings, containers
    /// for balanced brackets outside strings, scalars as scalars.
    private mutating func skipValue() throws(JSONSyntaxError) {
        guard pos < end else { throw error("unexpected end of input: a value was expected", at: pos) }
        switch bytes[pos] {
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let open = pos
            var depth = 0
            repeat {
                guard pos < end else { throw error("unterminated container (opened here)", at: open) }
                switch bytes[pos] {
                case UInt8(ascii: "\""): try skipString(); continue
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    depth += 1
                    guard depth <= maxDepth else { throw error("nesting is deeper than \(maxDepth) levels", at: pos) }
                case UInt8(ascii: "}"), UInt8(ascii: "]"): depth -= 1
                default: break
                }
                pos += 1
            } while depth > 0
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try parseNumber()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        default: throw error("unexpected \(describe(pos)): a value was expected", at: pos)
        }
    }

    /// Moves past a string starting at its opening quote (escapes are stepped over, not decoded).
    private mutating func skipString() throws(JSONSyntaxError) {
        let open = pos
        pos += 1
        while pos < end {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { pos += 1; return }
            if b == UInt8(ascii: "\\") { pos += 2; continue }
            if b < 0x20 { throw error("raw control character \(hex(b)) inside a string: write it as an escape such as \\n or \\u00XX", at: pos) }
            pos += 1
        }
        throw error("unterminated string (opened here)", at: open)
    }

    /// Reads `"key"` and the following `:`, leaving `pos` at the value.
    private mutating func parseKey() throws(JSONSyntaxError) -> String {
        guard pos < end else { throw error("unexpected end of input: an object key was expected", at: pos) }
        guard bytes[pos] == UInt8(ascii: "\"") else {
            throw error("unexpected \(describe(pos)): an object key in double quotes was expected", at: pos)
        }
        let key = try parseString()
        skipWhitespace()
        guard pos < end, bytes[pos] == UInt8(ascii: ":") else {
            throw error(pos < end ? "unexpected \(describe(pos)) after an object key: ':' was expected" : "unexpected end of input: ':' was expected", at: pos)
        }
        pos += 1
        skipWhitespace()
        return key
    }

    // MARK: - Scalars

    private mutating func expectLiteral(_ word: StaticString) throws(JSONSyntaxError) {
        let n = word.utf8CodeUnitCount
        let start = pos
        var ok = pos + n <= end
        if ok {
            let w = word.utf8Start
            for i in 0..<n where bytes[pos + i] != w[i] { ok = false; break }
        }
        guard ok else {
            throw error("invalid literal starting with \(describe(start)): only true, false and null are allowed", at: start)
        }
        pos += n
    }

    private mutating func parseNumber() throws(JSONSyntaxError) -> String {
        let start = pos
        if bytes[pos] == UInt8(ascii: "-") { pos += 1 }
        guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number: a digit was expected after '-'", at: pos) }
        if bytes[pos] == UInt8(ascii: "0") {
            pos += 1
            if pos < end, isDigit(bytes[pos]) { throw error("invalid number: leading zeros are not allowed", at: start) }
        } else {
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, bytes[pos] == UInt8(ascii: ".") {
            pos += 1
            guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number: a digit was expected after '.'", at: pos) }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        if pos < end, bytes[pos] | 0x20 == UInt8(ascii: "e") {
            pos += 1
            if pos < end, bytes[pos] == UInt8(ascii: "+") || bytes[pos] == UInt8(ascii: "-") { pos += 1 }
            guard pos < end, isDigit(bytes[pos]) else { throw error("invalid number: a digit was expected in the exponent", at: pos) }
            while pos < end, isDigit(bytes[pos]) { pos += 1 }
        }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<pos]), as: UTF8.self)
    }

    /// Reads a string starting at its opening quote.
    private mutating func parseString() throws(JSONSyntaxError) -> String {
        let open = pos
        pos += 1
        let start = pos
        var hasEscape = false
        var nonASCII = false
        // Fast scan to the closing quote.
        while pos < end {
            let b = bytes[pos]
            if b == UInt8(ascii: "\"") { break }
            if b == UInt8(ascii: "\\") { hasEscape = true; pos += 2; continue }
            if b < 0x20 { throw error("raw control character \(hex(b)) inside a string: write it as an escape such as \\n or \\u00XX", at: pos) }
            if b >= 0x80 { nonASCII = true }
            pos += 1
        }
        guard pos < end else { throw error("unterminated string (opened here)", at: open) }
        let close = pos
        pos += 1
        if nonASCII { try validateUTF8(start, close) }
        let raw = UnsafeRawBufferPointer(rebasing: bytes[start..<close])
        if !hasEscape { return String(decoding: raw, as: UTF8.self) }
        return try unescape(start, close)
    }

    private func unescape(_ start: Int, _ close: Int) throws(JSONSyntaxError) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(close - start)
        var i = start
        while i < close {
            let b = bytes[i]
            guard b == UInt8(ascii: "\\") else { out.append(b); i += 1; continue }
            guard i + 1 < close else { throw error("unterminated escape sequence", at: i) }
            let e = bytes[i + 1]
            i += 2
            switch e {
            case UInt8(ascii: "\""): out.append(0x22)
            case UInt8(ascii: "\\"): out.append(0x5C)
            case UInt8(ascii: "/"): out.append(0x2F)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                let unit = try hex4(at: i, limit: close)
                i += 4
                var scalar: UInt32
                if (0xD800...0xDBFF).contains(unit) {
                    guard i + 6 <= close, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw error("unpaired surrogate \\u\(String(unit, radix: 16, uppercase: true)): a low surrogate \\uDC00-\\uDFFF must follow", at: i - 6)
                    }
                    let low = try hex4(at: i + 2, limit: close)
                    guard (0xDC00...0xDFFF).contains(low) else {
                        throw error("unpaired surrogate \\u\(String(unit, radix: 16, uppercase: true)): a low surrogate \\uDC00-\\uDFFF must follow", at: i - 6)
                    }
                    i += 6
                    scalar = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(unit) {
                    throw error("unpaired low surrogate \\u\(String(unit, radix: 16, uppercase: true))", at: i - 6)
                } else {
                    scalar = unit
                }
                appendUTF8(scalar, to: &out)
            default:
                throw error("invalid escape '\\\(describeByte(e))': allowed are \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX", at: i - 2)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private func hex4(at i: Int, limit: Int) throws(JSONSyntaxError) -> UInt32 {
        guard i + 4 <= limit else { throw error("invalid \\u escape: four hex digits were expected", at: i - 2) }
        var v: UInt32 = 0
        for k in 0..<4 {
            let c = bytes[i + k]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - 55)
            default: throw error("invalid \\u escape: four hex digits were expected", at: i - 2)
            }
            v = v << 4 | d
        }
        return v
    }

    /// Strict UTF-8 (`UTF8Bytes`): no overlong forms, no surrogates, nothing above U+10FFFF.
    private func validateUTF8(_ start: Int, _ close: Int) throws(JSONSyntaxError) {
        var i = start
        while i < close {
            if bytes[i] < 0x80 { i += 1; continue }
            let length = UTF8Bytes.sequenceLength(bytes, at: i, end: close)
            guard length > 0 else { throw error("invalid UTF-8 sequence starting with byte \(hex(bytes[i]))", at: i) }
            i += length
        }
    }

    // MARK: - Helpers

    @inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    @inline(__always) private mutating func skipWhitespace() {
        while pos < end {
            let b = bytes[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    private func hex(_ b: UInt8) -> String { "0x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) }

    private func describeByte(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : hex(b)
    }

    private func describe(_ at: Int) -> String {
        guard at < end else { return "end of input" }
        let b = bytes[at]
        if (0x21...0x7E).contains(b) { return "'\(String(UnicodeScalar(b)))'" }
        return "byte \(hex(b))"
    }

    private func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: offset)
    }
}

@inline(__always)
func appendUTF8(_ scalar: UInt32, to out: inout [UInt8]) {
    switch scalar {
    case 0..<0x80: out.append(UInt8(scalar))
    case 0x80..<0x800:
        out.append(UInt8(0xC0 | (scalar >> 6)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    case 0x800..<0x10000:
        out.append(UInt8(0xE0 | (scalar >> 12)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    default:
        out.append(UInt8(0xF0 | (scalar >> 18)))
        out.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (scalar & 0x3F)))
    }
}

/// A JSON syntax error at a byte offset of the parsed text.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    /// 0-based byte offset into the parsed bytes.
    public let offset: Int
    public var description: String { "\(message) (byte \(offset))" }
}
