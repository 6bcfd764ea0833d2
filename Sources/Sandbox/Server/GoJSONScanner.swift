/// Reproduces the errors of Go's `encoding/json` scanner for a request body (spec §4.3).
///
/// The server validates the body with a streaming decoder (first value only), then
/// `json.Unmarshal`s the whole body, so trailing bytes are reported after the schema check.
struct GoJSONScanner {
    /// What the decoder reports for the first value.
    enum FirstValue: Equatable {
        /// A complete value ends at this byte offset (exclusive).
        case value(end: Int)
        /// No value at all (empty or white space): Go's `unexpected end of JSON input`, offset 0.
        case empty
        /// The input ends inside a value: `io.ErrUnexpectedEOF` (the server answers 500).
        case truncated
        /// A `*json.SyntaxError`.
        case syntax(message: String, offset: Int)
    }

    static let maxNestingDepth = 10_000

    private enum State {
        case beginValue, beginValueOrEmptyArray, beginStringOrEmptyObject, beginString
        case endValue
        case inString, inStringEsc, inStringEscU(Int)
        case neg, zero, one, dot, dot0, exp, expSign, exp0
        case literal(word: StaticString, next: Int)
    }
    private enum Container { case object, objectKey, array }

    /// Scans the first JSON value of `bytes`.
    static func scanFirstValue(_ bytes: UnsafeRawBufferPointer) -> FirstValue {
        var state = State.beginValue
        var stack: [Container] = []
        var i = 0
        let n = bytes.count
        var sawNonSpace = false
        func fail(_ c: UInt8, _ context: String) -> FirstValue {
            .syntax(message: "invalid character \(quoteChar(c)) \(context)", offset: i + 1)
        }
        while i < n {
            let c = bytes[i]
            if !isSpace(c) { sawNonSpace = true }
            var reprocess = true
            while reprocess {
                reprocess = false
                switch state {
                case .beginValueOrEmptyArray, .beginValue:
                    if isSpace(c) { break }
                    if case .beginValueOrEmptyArray = state, c == UInt8(ascii: "]") {
                        stack.removeLast(); state = .endValue
                        if stack.isEmpty { return .value(end: i + 1) }
                        break
                    }
                    switch c {
                    case UInt8(ascii: "{"):
                        stack.append(.objectKey)
                        if stack.count > maxNestingDepth { return fail(c, "exceeded max nesting depth") }
                        state = .beginStringOrEmptyObject
                    case UInt8(ascii: "["):
                        stack.append(.array)
                        if stack.count > maxNestingDepth { return fail(c, "exceeded max nesting depth") }
                        state = .beginValueOrEmptyArray
                    case UInt8(ascii: "\""): state = .inString
                    case UInt8(ascii: "-"): state = .neg
                    case UInt8(ascii: "0"): state = .zero
                    case UInt8(ascii: "1")...UInt8(ascii: "9"): state = .one
                    case UInt8(ascii: "t"): state = .literal(word: "true", next: 1)
                    case UInt8(ascii: "f"): state = .literal(word: "false", next: 1)
                    case UInt8(ascii: "n"): state = .literal(word: "null", next: 1)
                    default: return fail(c, "looking for beginning of value")
                    }
                case .beginStringOrEmptyObject, .beginString:
                    if isSpace(c) { break }
                    if case .beginStringOrEmptyObject = state, c == UInt8(ascii: "}") {
                        stack.removeLast(); state = .endValue
                        if stack.isEmpty { return .value(end: i + 1) }
                        break
                    }
                    guard c == UInt8(ascii: "\"") else { return fail(c, "looking for beginning of object key string") }
                    state = .inString
                case .endValue:
                    guard let top = stack.last else { return .value(end: i) }
                    if isSpace(c) { break }
                    switch top {
                    case .objectKey:
                        guard c == UInt8(ascii: ":") else { return fail(c, "after object key") }
                        stack[stack.count - 1] = .object; state = .beginValue
                    case .object:
                        if c == UInt8(ascii: ",") { stack[stack.count - 1] = .objectKey; state = .beginString; break }
                        guard c == UInt8(ascii: "}") else { return fail(c, "after object key:value pair") }
                        stack.removeLast()
                        if stack.isEmpty { return .value(end: i + 1) }
                    case .array:
                        if c == UInt8(ascii: ",") { state = .beginValue; break }
                        guard c == UInt8(ascii: "]") else { return fail(c, "after array element") }
                        stack.removeLast()
                        if stack.isEmpty { return .value(end: i + 1) }
                    }
                case .inString:
                    if c == UInt8(ascii: "\"") {
                        state = .endValue
                        if stack.isEmpty { return .value(end: i + 1) }
                    } else if c == UInt8(ascii: "\\") {
                        state = .inStringEsc
                    } else if c < 0x20 {
                        return fail(c, "in string literal")
                    }
                case .inStringEsc:
                    switch c {
                    case UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"),
                         UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "\""):
                        state = .inString
                    case UInt8(ascii: "u"): state = .inStringEscU(0)
                    default: return fail(c, "in string escape code")
                    }
                case .inStringEscU(let k):
                    guard isHex(c) else { return fail(c, "in \\u hexadecimal character escape") }
                    state = k == 3 ? .inString : .inStringEscU(k + 1)
                case .neg:
                    if c == UInt8(ascii: "0") { state = .zero } else if isDigit1to9(c) { state = .one } else {
                        return fail(c, "in numeric literal")
                    }
                case .one where isDigit(c): break
                case .one, .zero:
                    if c == UInt8(ascii: ".") { state = .dot } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { state = .exp } else {
                        state = .endValue; reprocess = true
                    }
                case .dot:
                    guard isDigit(c) else { return fail(c, "after decimal point in numeric literal") }
                    state = .dot0
                case .dot0:
                    if isDigit(c) { break }
                    if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") { state = .exp } else { state = .endValue; reprocess = true }
                case .exp:
                    if c == UInt8(ascii: "+") || c == UInt8(ascii: "-") { state = .expSign; break }
                    state = .expSign; reprocess = true
                case .expSign:
                    guard isDigit(c) else { return fail(c, "in exponent of numeric literal") }
                    state = .exp0
                case .exp0:
                    if !isDigit(c) { state = .endValue; reprocess = true }
                case .literal(let word, let next):
                    let expected = word.utf8Start[next]
                    guard c == expected else {
                        return fail(c, "in literal \(word) (expecting \(quoteChar(expected)))")
                    }
                    if next + 1 == word.utf8CodeUnitCount {
                        state = .endValue
                        if stack.isEmpty { return .value(end: i + 1) }
                    } else {
                        state = .literal(word: word, next: next + 1)
                    }
                }
            }
            i += 1
        }
        // End of input: a top-level number can end here; anything else is truncated.
        if stack.isEmpty {
            switch state {
            case .zero, .one, .dot0, .exp0, .endValue: return .value(end: n)
            default: break
            }
        }
        return sawNonSpace ? .truncated : .empty
    }

    /// Go's error for bytes after the first value, or nil when only white space follows.
    static func trailingError(_ bytes: UnsafeRawBufferPointer, from start: Int) -> (message: String, offset: Int)? {
        var i = start
        while i < bytes.count {
            let c = bytes[i]
            if !isSpace(c) { return ("invalid character \(quoteChar(c)) after top-level value", i + 1) }
            i += 1
        }
        return nil
    }

    /// Go's `quoteChar`: the byte as a rune, quoted with single quotes.
    static func quoteChar(_ c: UInt8) -> String {
        if c == UInt8(ascii: "'") { return "'\\''" }
        if c == UInt8(ascii: "\"") { return "'\"'" }
        switch c {
        case 0x07: return "'\\a'"
        case 0x08: return "'\\b'"
        case 0x0C: return "'\\f'"
        case 0x0A: return "'\\n'"
        case 0x0D: return "'\\r'"
        case 0x09: return "'\\t'"
        case 0x0B: return "'\\v'"
        case 0x5C: return "'\\\\'"
        case 0x00..<0x20, 0x7F: return "'\\x" + hex2(c) + "'"
        case 0x80..<0xA0, 0xAD: return "'\\u00" + hex2(c) + "'"
        case 0xA0: return "'\\u00a0'"
        default: return "'" + String(UnicodeScalar(c)) + "'"
        }
    }

    private static func hex2(_ c: UInt8) -> String { (c < 16 ? "0" : "") + String(c, radix: 16) }
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 }
    @inline(__always) private static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
    @inline(__always) private static func isDigit1to9(_ c: UInt8) -> Bool { c &- 49 < 9 }
    @inline(__always) private static func isHex(_ c: UInt8) -> Bool {
        isDigit(c) || (c | 0x20 >= UInt8(ascii: "a") && c | 0x20 <= UInt8(ascii: "f"))
    }
}
