/// How the line shown in a `SourceError` is read to find the secrets it must not print.
public enum ExcerptMasking: Sendable, Equatable {
    /// JSON text (an import document, a JSON array or NDJSON), possibly broken: a value after a
    /// secret key (`SecretFields`) is masked, and so is everything inside an array or object
    /// under a secret field.
    case json
    /// CSV: the cells of these 0-based columns are masked. `rowStart` is where the row begins
    /// when it is known (a quoted cell may span lines); otherwise the line start is used.
    case csv(secretColumns: Set<Int>, rowStart: Int? = nil)
}

/// Finds the byte ranges of an excerpt that hold secrets, lexically, so that no password hash,
/// TOTP secret or key is ever printed in an error message whatever the state of the text
/// (broken JSON, a window cut in the middle of a string, a CSV row).
///
/// Two independent rules, either of which masks:
/// - by position: the value after a secret key (JSON) or a cell of a secret column (CSV);
/// - by shape: a value that looks like a secret whatever its key (`$2a$`/`$2b$`/`$2y$` bcrypt,
///   `$bcrypt-sha512$`, `$argon2`, `$pbkdf2`, `$scrypt`, a PEM `-----BEGIN` block).
enum ExcerptMasker {
    /// How far back the lexer looks for earlier lines that give the excerpt's line its context.
    static let contextBytes = 16 << 10

    /// Sorted, disjoint ranges inside `window` to print as a mask.
    ///
    /// The lexer starts at the beginning of the window's line (however long the line is: a
    /// JSON string never spans lines, so a line start is outside any string, and only from
    /// there can a window that begins inside a string be told apart). This costs one pass over
    /// the line, once, for an error message; only ranges that meet the window are kept.
    static func secretRanges(_ bytes: UnsafeRawBufferPointer, window: Range<Int>, masking: ExcerptMasking) -> [Range<Int>] {
        guard !window.isEmpty, let base = bytes.baseAddress else { return [] }
        var ranges: [Range<Int>] = []
        var lineStart = window.lowerBound
        while lineStart > 0, base.load(fromByteOffset: lineStart - 1, as: UInt8.self) != 0x0A { lineStart -= 1 }
        let lexEnd = min(bytes.count, window.upperBound + 4096)
        switch masking {
        case .json:
            // Whole lines before this one give the context (an enclosing secret array or object).
            var lexStart = lineStart
            let floor = max(0, lineStart - contextBytes)
            var k = lineStart - 1
            while k > floor { if bytes[k - 1] == 0x0A { lexStart = k }; k -= 1 }
            if floor == 0 { lexStart = 0 }
            lexJSON(bytes, from: lexStart, to: lexEnd, window: window, into: &ranges)
        case .csv(let columns, let rowStart):
            let start = rowStart.flatMap { $0 <= window.lowerBound ? $0 : nil } ?? lineStart
            lexCSV(bytes, from: start, to: lexEnd, secretColumns: columns, into: &ranges)
        }
        maskShapes(bytes, window: window, into: &ranges)
        return merged(ranges, within: window)
    }

    // MARK: - JSON

    private struct Container {
        var isObject: Bool
        /// Everything inside is a secret.
        var secret: Bool
    }

    private static func lexJSON(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, window: Range<Int>,
                                into ranges: inout [Range<Int>]) {
        // Containers deeper than `maxDepth` are counted, not stored (they inherit the deepest one's flag).
        let maxDepth = 4096
        var stack: [Container] = []
        var overflow = 0
        func mask(_ r: Range<Int>) { if r.upperBound > window.lowerBound, r.lowerBound < window.upperBound { ranges.append(r) } }
        // Set by `"key":`, cleared once its value is read.
        var keyLeaf = false
        var keyField = false
        var afterKey = false
        var i = start
        func insideSecret() -> Bool { stack.last?.secret ?? false }
        while i < end {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                let open = i
                var j = i + 1
                var closed = false
                while j < end {
                    let c = bytes[j]
                    if c == UInt8(ascii: "\\") { j += 2; continue }
                    if c == UInt8(ascii: "\"") { closed = true; break }
                    if c == 0x0A { break }
                    j += 1
                }
                let contentEnd = min(j, end)
                i = closed ? j + 1 : contentEnd
                // A key when a ':' follows.
                var k = i
                while k < end, ByteScan.isWhitespace(bytes[k]), bytes[k] != 0x0A { k += 1 }
                if closed, k < end, bytes[k] == UInt8(ascii: ":") {
                    let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<min(contentEnd, open + 1 + 128)]), as: UTF8.self)
                    keyLeaf = SecretFields.isSecretLeaf(key)
                    keyField = SecretFields.isSecretField(key)
                    afterKey = true
                    i = k + 1
                    continue
                }
                if insideSecret() || (afterKey && keyLeaf) { mask((open + 1)..<contentEnd) }
                afterKey = false
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if stack.count < maxDepth {
                    stack.append(Container(isObject: b == UInt8(ascii: "{"), secret: insideSecret() || (afterKey && keyField)))
                } else {
                    overflow += 1
                }
                afterKey = false
                i += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                if overflow > 0 { overflow -= 1 } else if !stack.isEmpty { stack.removeLast() }
                afterKey = false
                i += 1
            case UInt8(ascii: ","):
                afterKey = false
                i += 1
            case UInt8(ascii: ":"), 0x20, 0x09, 0x0D, 0x0A:
                i += 1
            default:
                // A number, a literal or a bare word of broken JSON: up to the next delimiter.
                let s = i
                while i < end {
                    let c = bytes[i]
                    if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == UInt8(ascii: "\"")
                        || c == UInt8(ascii: "{") || c == UInt8(ascii: "[") || c == UInt8(ascii: ":") || ByteScan.isWhitespace(c) { break }
                    i += 1
                }
                if insideSecret() || (afterKey && keyLeaf) { mask(s..<i) }
                afterKey = false
            }
        }
    }

    // MARK: - CSV

    private static func lexCSV(_ bytes: UnsafeRawBufferPointer, from start: Int, to end: Int, secretColumns: Set<Int>,
                               into ranges: inout [Range<Int>]) {
        guard !secretColumns.isEmpty else { return }
        var column = 0
        var i = start
        while i < end {
            let cellStart = i
            var cellEnd = i
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                while i < end {
                    if bytes[i] == UInt8(ascii: "\"") {
                        if i + 1 < end, bytes[i + 1] == UInt8(ascii: "\"") { i += 2; continue }
                        break
                    }
                    i += 1
                }
                i = min(i + 1, end)
                // Anything after the closing quote up to the delimiter belongs to the cell as well.
                while i < end, bytes[i] != UInt8(ascii: ","), bytes[i] != 0x0A { i += 1 }
                cellEnd = i
            } else {
                while i < end, bytes[i] != UInt8(ascii: ","), bytes[i] != 0x0A { i += 1 }
                cellEnd = i
            }
            if secretColumns.contains(column), cellEnd > cellStart { ranges.append(cellStart..<cellEnd) }  // clipped by `merged`
            guard i < end else { break }
            if bytes[i] == 0x0A { column = 0 } else { column += 1 }
            i += 1
        }
    }

    // MARK: - Shapes

    private static let shapes: [(prefix: [UInt8], stopsAtComma: Bool, stopsAtSpace: Bool)] = [
        (Array("$2a$".utf8), true, true), (Array("$2b$".utf8), true, true), (Array("$2y$".utf8), true, true),
        (Array("$2x$".utf8), true, true), (Array("$bcrypt-sha512$".utf8), false, true), (Array("$argon2".utf8), false, true),
        (Array("$pbkdf2".utf8), true, true), (Array("$scrypt".utf8), true, true), (Array("-----BEGIN".utf8), false, false),
    ]

    /// Masks values that look like secrets wherever they are, from their first byte to the end of
    /// the value (a quote, or the end of the window).
    private static func maskShapes(_ bytes: UnsafeRawBufferPointer, window: Range<Int>, into ranges: inout [Range<Int>]) {
        // A shape cut by the window's left edge still shows its tail: look a little before it.
        let from = max(0, window.lowerBound - 16)
        var i = from
        while i < window.upperBound {
            let b = bytes[i]
            if b == UInt8(ascii: "$") || b == UInt8(ascii: "-") {
                for shape in shapes where i + shape.prefix.count <= bytes.count {
                    var match = true
                    for (k, p) in shape.prefix.enumerated() where bytes[i + k] != p { match = false; break }
                    guard match else { continue }
                    var j = i
                    while j < window.upperBound {
                        let c = bytes[j]
                        if c == UInt8(ascii: "\"") || c == 0x0A || (shape.stopsAtComma && c == UInt8(ascii: ","))
                            || (shape.stopsAtSpace && (c == 0x20 || c == 0x09 || c == 0x0D)) { break }
                        j += 1
                    }
                    if j > i { ranges.append(i..<j) }
                    i = j
                    break
                }
            }
            i += 1
        }
    }

    private static func merged(_ ranges: [Range<Int>], within window: Range<Int>) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for r in ranges.map({ $0.clamped(to: window) }).filter({ !$0.isEmpty }).sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if let last = out.last, r.lowerBound <= last.upperBound {
                out[out.count - 1] = last.lowerBound..<max(last.upperBound, r.upperBound)
            } else {
                out.append(r)
            }
        }
        return out
    }
}
