/// A strict RFC 8259 JSON parser over raw bytes.
///
/// Accepts every valid JSON text and refuses every invalid one: bad escapes, unpaired
/// surrogates, leading zeros, trailing commas, raw control characters in strings, invalid
/// UTF-8, `NaN`/`Infinity`, trailing bytes. It never recurses, so adversarial nesting
/// cannot overflow the stack; nesting deeper than `maxDepth` is a clear error.
public struct JSONParser {
    /// Nesting limit (Go's encoding/json, which the server uses, stops at 10,000).
    public static let defaultMaxDepth = 10_000

    let bytes: UnsafeRawBufferPointer
    var pos: Int
    let end: Int
    let maxDepth: Int
    /// Object members with these keys are skipped (their values checked for structure, not
    /// built): a server's echo of every record in a job result need not become a tree.
    var skippedKeys: Set<String> = []

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

        /// Appends in place: the payload is moved out (the frame holds a placeholder meanwhile), so
        /// the array stays uniquely referenced and appending stays O(1) — a copy per element
        /// would make a large array quadratic.
        mutating func append(_ value: JSONValue) {
            switch self {
            case .array(var items):
                self = .array([])
                items.append(value)
                self = .array(items)
            case .object(var members, let key):
                self = .array([])
                members.append(JSONMember(key, value))
                self = .object(members, pendingKey: key)
            }
        }

        mutating func setPendingKey(_ key: String) {
            guard case .object(let members, _) = self else { return }
            self = .object(members, pendingKey: key)
        }
    }

    mutating func parseValue() throws(JSONSyntaxError) -> JSONValue {
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
                guard !stack.isEmpty else { return value }
                let top = stack.count - 1
                stack[top].append(value)
                skipWhitespace()
                if case .array = stack[top] {
                    guard pos < end else { throw error("unexpected end of input inside an array: ',' or ']' was expected", at: pos) }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        skipWhitespace()
                        if pos < end, bytes[pos] == UInt8(ascii: "]") { throw error("trailing comma before ']'", at: pos) }
                    } else if bytes[pos] == UInt8(ascii: "]") {
                        pos += 1
                        guard case .array(let items) = stack.removeLast() else { preconditionFailure() }
                        value = .array(items)
                        continue
                    } else {
                        throw error("unexpected \(describe(pos)) inside an array: ',' or ']' was expected", at: pos)
                    }
                } else {
                    guard pos < end else { throw error("unexpected end of input inside an object: ',' or '}' was expected", at: pos) }
                    if bytes[pos] == UInt8(ascii: ",") {
                        pos += 1
                        skipWhitespace()
                        if pos < end, bytes[pos] == UInt8(ascii: "}") { throw error("trailing comma before '}'", at: pos) }
                        guard let next = try nextKeptKey() else {
                            guard case .object(let members, _) = stack.removeLast() else { preconditionFailure() }
                            value = .object(members)
                            continue
                        }
                        stack[top].setPendingKey(next)
                    } else if bytes[pos] == UInt8(ascii: "}") {
                        pos += 1
                        guard case .object(let members, _) = stack.removeLast() else { preconditionFailure() }
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
    mutating func skipValue() throws(JSONSyntaxError) {
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
    mutating func skipString() throws(JSONSyntaxError) {
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

    // MARK: - Helpers

    @inline(__always) func isDigit(_ b: UInt8) -> Bool { b &- 48 < 10 }

    @inline(__always) mutating func skipWhitespace() {
        while pos < end {
            let b = bytes[pos]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            pos += 1
        }
    }

    func hex(_ b: UInt8) -> String { "0x" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true) }

    func describeByte(_ b: UInt8) -> String {
        (0x21...0x7E).contains(b) ? String(UnicodeScalar(b)) : hex(b)
    }

    func describe(_ at: Int) -> String {
        guard at < end else { return "end of input" }
        let b = bytes[at]
        if (0x21...0x7E).contains(b) { return "'\(String(UnicodeScalar(b)))'" }
        return "byte \(hex(b))"
    }

    func error(_ message: String, at offset: Int) -> JSONSyntaxError {
        JSONSyntaxError(message: message, offset: offset)
    }
}
