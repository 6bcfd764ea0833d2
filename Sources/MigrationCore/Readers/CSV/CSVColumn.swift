import Foundation

/// How a CSV cell's text becomes a JSON value.
public enum CSVValueType: String, Sendable, CaseIterable {
    /// The cell text as is.
    case string
    /// `true`/`false` (any case, trimmed, plus the mapping's extra words) become booleans; other text stays a string.
    case boolean
    /// An optionally signed run of digits becomes a JSON integer; other text stays a string.
    case integer
    /// A decimal number (optionally signed, with fraction and exponent) becomes a JSON number; other text stays a string.
    case number
    /// The cell split on the separator (default `;`), items trimmed, empty items dropped.
    case list
    /// The cell parsed as JSON; a parse error is a row error.
    case json
}

/// Where one CSV column goes and how its cells are converted.
public struct CSVColumn: Sendable, Equatable {
    /// Why a column maps where it does.
    public enum Source: Sendable, Equatable {
        /// The header itself names a record field (`email`, `address.country`, `password_hash`).
        case header
        /// The mapping file maps this header.
        case mappingFile
        /// The mapping file says `"skip": true`.
        case skipped
        /// Neither the mapping file nor the default names matched: the column is ignored.
        case unknown
    }

    /// 0-based position in the header row.
    public let index: Int
    /// The header text, trimmed.
    public let header: String
    /// The dotted record field path (`password.password_hash`), or nil for skipped and unknown columns.
    public let field: String?
    /// The conversion applied (nil for skipped and unknown columns).
    public let type: CSVValueType?
    public let source: Source
    /// Extra words (lowercased) read as `true` / `false` for `boolean` columns, besides `true` / `false`.
    public let trueWords: [String]
    public let falseWords: [String]
    /// The item separator for `list` columns.
    public let separator: String

    public init(index: Int, header: String, field: String?, type: CSVValueType?, source: Source,
                trueWords: [String] = [], falseWords: [String] = [], separator: String = ";") {
        self.index = index
        self.header = header
        self.field = field
        self.type = type
        self.source = source
        self.trueWords = trueWords.map { $0.lowercased() }
        self.falseWords = falseWords.map { $0.lowercased() }
        self.separator = separator
    }

    /// The field path as segments (empty for skipped and unknown columns).
    var path: [String] { field.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) } ?? [] }

    /// Whether the column's cells are secrets (`SecretFields`): by the field it maps to, or, for a
    /// skipped or unknown column, by its header. Error excerpts never show them.
    public var isSecret: Bool {
        if !path.isEmpty { return SecretFields.isSecret(JSONPointer(tokens: path)) }
        return SecretFields.isSecretLeaf(header)
    }

    /// "column 3 (\"Mail\")", for messages.
    var label: String { "column \(index + 1) (\"\(header)\")" }

    /// Converts one non-empty cell; a failure message is returned for `json` cells that do not parse.
    func value(of cell: String) -> Result<JSONValue, CSVRowError.Reason> {
        switch type ?? .string {
        case .string:
            return .success(.string(cell))
        case .boolean:
            let word = CSVColumn.trimmed(Substring(cell))
            if CSVColumn.equalsIgnoringASCIICase(word, "true") { return .success(.bool(true)) }
            if CSVColumn.equalsIgnoringASCIICase(word, "false") { return .success(.bool(false)) }
            if trueWords.isEmpty, falseWords.isEmpty { return .success(.string(cell)) }
            let lowered = word.lowercased()
            if trueWords.contains(lowered) { return .success(.bool(true)) }
            if falseWords.contains(lowered) { return .success(.bool(false)) }
            return .success(.string(cell))
        case .integer:
            return .success(CSVNumberText.integer(CSVColumn.trimmed(Substring(cell))).map(JSONValue.number) ?? .string(cell))
        case .number:
            return .success(CSVNumberText.number(CSVColumn.trimmed(Substring(cell))).map(JSONValue.number) ?? .string(cell))
        case .list:
            var items: [JSONValue] = []
            for part in CSVColumn.split(cell, on: separator) {
                let item = CSVColumn.trimmed(part)
                if !item.isEmpty { items.append(.string(item)) }
            }
            return .success(.array(items))
        case .json:
            do throws(JSONSyntaxError) {
                return .success(try JSONParser.parse(cell))
            } catch {
                let character = String(decoding: cell.utf8.prefix(error.offset), as: UTF8.self).unicodeScalars.count + 1
                return .failure(CSVRowError.Reason("\(label): invalid JSON at character \(character) of the cell: \(error.message)"))
            }
        }
    }

    /// `text` without leading and trailing whitespace (Unicode whitespace; ASCII fast path).
    static func trimmed(_ text: Substring) -> String {
        func isSpace(_ s: Unicode.Scalar) -> Bool {
            s.value < 0x80 ? (s.value == 0x20 || (0x09...0x0D).contains(s.value)) : s.properties.isWhitespace
        }
        var scalars = text.unicodeScalars
        while let first = scalars.first, isSpace(first) { scalars.removeFirst() }
        while let last = scalars.last, isSpace(last) { scalars.removeLast() }
        return String(Substring(scalars))
    }

    /// Whether `text` equals the lowercase ASCII `word` ignoring ASCII case.
    static func equalsIgnoringASCIICase(_ text: String, _ word: StaticString) -> Bool {
        let utf8 = text.utf8
        guard utf8.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            zip(utf8, expected).allSatisfy { a, b in a == b || (a >= 0x41 && a <= 0x5A && a | 0x20 == b) }
        }
    }

    /// `text` split on every occurrence of `separator` (empty pieces kept).
    static func split(_ text: String, on separator: String) -> [Substring] {
        let sep = Array(separator.utf8)
        if sep.count == 1 {
            return text.utf8.split(separator: sep[0], omittingEmptySubsequences: false).map { Substring($0) }
        }
        return text.components(separatedBy: separator).map { Substring($0) }
    }
}

extension CSVRowError {
    /// A row problem found while converting a cell, before its line and column are attached.
    struct Reason: Error, Equatable {
        let message: String
        init(_ message: String) { self.message = message }
    }
}

/// Recognises numeric cell text and rewrites it as valid JSON number text.
enum CSVNumberText {
    /// `[+-]digits` → JSON integer text (sign `+` and leading zeros dropped), else nil.
    static func integer(_ text: String) -> String? {
        var digits = Substring(text)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" { negative = sign == "-"; digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        let significant = digits.drop(while: { $0 == "0" })
        return (negative ? "-" : "") + (significant.isEmpty ? "0" : String(significant))
    }

    /// `[+-]digits[.digits][(e|E)[+-]digits]` (also `.5` and `5.`) → JSON number text, else nil.
    static func number(_ text: String) -> String? {
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { negative = bytes[i] == 0x2D; i += 1 }
        func digitRun() -> String {
            let s = i
            while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 { i += 1 }
            return String(decoding: bytes[s..<i], as: UTF8.self)
        }
        let whole = digitRun()
        var fraction = ""
        if i < bytes.count, bytes[i] == 0x2E { i += 1; fraction = digitRun() }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        var exponent = ""
        if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {
            i += 1
            var sign = ""
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D { sign = bytes[i] == 0x2D ? "-" : "+"; i += 1 }
            let digits = digitRun()
            guard !digits.isEmpty else { return nil }
            exponent = "e" + sign + digits
        }
        guard i == bytes.count else { return nil }
        let significant = whole.drop(while: { $0 == "0" })
        var out = (negative ? "-" : "") + (significant.isEmpty ? "0" : String(significant))
        if !fraction.isEmpty { out += "." + fraction }
        return out + exponent
    }
}
