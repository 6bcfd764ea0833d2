import Foundation

/// Writes a CSV row straight to the compact JSON of the record its `CSVMapping` makes, without
/// building the fields' `String`s or a `JSONValue`: the bytes are exactly those of
/// `JSONWriter().write(mapping.record(from: fields))` (a differential test holds the two together).
///
/// Plain cells take the direct route: text cells, `true`/`false` cells and `;`-lists of ASCII
/// items. A cell of any other kind (a number, JSON, a boolean column with extra words, a list or
/// boolean cell with non-ASCII text) is converted by the column itself (`CSVColumn.value(of:)`) and
/// written by `JSONWriter`, as the general path does. A row the general path refuses (bad quoting,
/// invalid UTF-8, another field count, a JSON cell that does not parse) is not written: `write`
/// returns false and leaves `out` as it was, and the caller takes the general path, which words the error.
struct CSVRowWriter: Sendable {
    enum Op: Sendable {
        /// A member from column `index` (written when its cell is not empty).
        case column(key: [UInt8], index: Int, direct: Direct)
        /// A constant member, written when the cell of `whenColumn` is not empty.
        case implied(key: [UInt8], value: [UInt8], whenColumn: Int)
        /// A nested object (left out when no member of it is written), up to the matching `.close`.
        case open(key: [UInt8])
        case close
    }

    /// How a column's cell is written.
    enum Direct: Sendable {
        case string
        /// `true`/`false` in any ASCII case, trimmed; any other ASCII text as the cell's string.
        case boolean
        /// Split on one ASCII byte, items trimmed, empty items dropped.
        case list(separator: UInt8)
        /// Through `CSVColumn.value(of:)` and `JSONWriter`.
        case converted
    }

    let columns: [CSVColumn]
    let ops: [Op]

    init(mapping: CSVMapping) {
        columns = mapping.columns
        var ops: [Op] = []
        func key(_ k: String) -> [UInt8] {
            var out: [UInt8] = []
            JSONWriter().writeString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            return out
        }
        func add(_ slots: [CSVMapping.Slot]) {
            for slot in slots {
                switch slot {
                case .column(let k, let index):
                    let column = mapping.columns[index]
                    let direct: Direct
                    switch column.type ?? .string {
                    case .string: direct = .string
                    case .boolean: direct = column.trueWords.isEmpty && column.falseWords.isEmpty ? .boolean : .converted
                    case .list:
                        let sep = Array(column.separator.utf8)
                        direct = sep.count == 1 && sep[0] < 0x80 ? .list(separator: sep[0]) : .converted
                    case .integer, .number, .json: direct = .converted
                    }
                    ops.append(.column(key: key(k), index: index, direct: direct))
                case .implied(let k, let value, let when):
                    ops.append(.implied(key: key(k), value: JSONWriter().bytes(value), whenColumn: when))
                case .object(let k, let members):
                    ops.append(.open(key: key(k)))
                    add(members)
                    ops.append(.close)
                }
            }
        }
        add(mapping.layout)
        self.ops = ops
    }

    /// Appends the record of CSV row `row` (terminator excluded) to `out`; false (with `out`
    /// unchanged) when the row must take the general path.
    func write(_ row: UnsafeRawBufferPointer, into out: inout [UInt8]) -> Bool {
        guard CSVRowParser.firstInvalidUTF8Offset(row) == nil else { return false }
        let count = columns.count
        let mark = out.count
        let written = withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * max(count, 1)) { cells -> Bool in
            guard CSVRowWriter.split(row, expected: count, into: cells) else { return false }
            return writeRecord(row, cells, into: &out)
        }
        if !written { out.removeSubrange(mark...) }
        return written
    }

    /// Finds the `expected` fields of `row`: field k's content is `cells[2k]..<|cells[2k+1]|`;
    /// a negative end (`-end - 1`) marks a quoted field with doubled quotes inside.
    static func split(_ row: UnsafeRawBufferPointer, expected: Int, into cells: UnsafeMutableBufferPointer<Int>) -> Bool {
        let quote = CSVScanner.quote, comma = CSVScanner.comma
        let n = row.count
        var i = 0
        var k = 0
        while true {
            guard k < expected else { return false }
            if i < n, row[i] == quote {
                i += 1
                let start = i
                var doubled = false
                while true {
                    guard i < n else { return false }
                    if row[i] != quote { i += 1; continue }
                    if i + 1 < n, row[i + 1] == quote { doubled = true; i += 2; continue }
                    break
                }
                cells[2 * k] = start
                cells[2 * k + 1] = doubled ? -i - 1 : i
                k += 1
                i += 1
                if i == n { break }
                guard row[i] == comma else { return false }
                i += 1
                continue
            }
            let start = i
            if let base = row.baseAddress, i < n, let hit = memchr(base + i, Int32(comma), n - i) {
                i = base.distance(to: UnsafeRawPointer(hit))
            } else {
                i = n
            }
            cells[2 * k] = start
            cells[2 * k + 1] = i
            k += 1
            if i == n { break }
            i += 1
        }
        return k == expected
    }

    private func writeRecord(_ row: UnsafeRawBufferPointer, _ cells: UnsafeMutableBufferPointer<Int>, into out: inout [UInt8]) -> Bool {
        // Per open object: where it began (to take it back when it stays empty) and its member count.
        var levels: [(start: Int, members: Int)] = [(out.count, 0)]
        out.append(UInt8(ascii: "{"))
        func beginMember(_ key: [UInt8]) {
            if levels[levels.count - 1].members > 0 { out.append(UInt8(ascii: ",")) }
            levels[levels.count - 1].members += 1
            out.append(contentsOf: key)
        }
        func isEmpty(_ index: Int) -> Bool { cells[2 * index] == (cells[2 * index + 1] < 0 ? -cells[2 * index + 1] - 1 : cells[2 * index + 1]) }
        for op in ops {
            switch op {
            case .column(let key, let index, let direct):
                guard !isEmpty(index) else { continue }
                let ok = withCell(row, cells, index) { cell -> Bool in
                    switch direct {
                    case .string:
                        beginMember(key)
                        JSONWriter().writeString(utf8: cell, to: &out)
                        return true
                    case .boolean where CSVRowWriter.isASCII(cell):
                        beginMember(key)
                        let word = CSVRowWriter.trimmed(cell)
                        if CSVRowWriter.equalsIgnoringASCIICase(word, "true") { out.append(contentsOf: "true".utf8) }
                        else if CSVRowWriter.equalsIgnoringASCIICase(word, "false") { out.append(contentsOf: "false".utf8) }
                        else { JSONWriter().writeString(utf8: cell, to: &out) }
                        return true
                    case .list(let separator) where CSVRowWriter.isASCII(cell):
                        beginMember(key)
                        out.append(UInt8(ascii: "["))
                        var first = true
                        for part in cell.split(separator: separator, omittingEmptySubsequences: false) {
                            let item = CSVRowWriter.trimmed(UnsafeBufferPointer(rebasing: part))
                            guard !item.isEmpty else { continue }
                            if !first { out.append(UInt8(ascii: ",")) }
                            first = false
                            JSONWriter().writeString(utf8: item, to: &out)
                        }
                        out.append(UInt8(ascii: "]"))
                        return true
                    default:
                        guard case .success(let value) = columns[index].value(of: String(decoding: cell, as: UTF8.self)) else { return false }
                        beginMember(key)
                        JSONWriter().write(value, to: &out)
                        return true
                    }
                }
                guard ok else { return false }
            case .implied(let key, let value, let when):
                guard !isEmpty(when) else { continue }
                beginMember(key)
                out.append(contentsOf: value)
            case .open(let key):
                let start = out.count
                beginMember(key)
                out.append(UInt8(ascii: "{"))
                levels.append((start, 0))
            case .close:
                let level = levels.removeLast()
                if level.members == 0 {
                    out.removeSubrange(level.start...)
                    levels[levels.count - 1].members -= 1
                } else {
                    out.append(UInt8(ascii: "}"))
                }
            }
        }
        out.append(UInt8(ascii: "}"))
        return true
    }

    /// Calls `body` with field `index`'s text (doubled quotes made single).
    private func withCell<T>(_ row: UnsafeRawBufferPointer, _ cells: UnsafeMutableBufferPointer<Int>, _ index: Int,
                             _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        let start = cells[2 * index], end = cells[2 * index + 1]
        let bytes = row.bindMemory(to: UInt8.self)
        guard end < 0 else { return body(UnsafeBufferPointer(rebasing: bytes[start..<end])) }
        var text: [UInt8] = []
        var i = start
        let stop = -end - 1
        while i < stop {
            text.append(bytes[i])
            i += bytes[i] == CSVScanner.quote ? 2 : 1
        }
        return text.withUnsafeBufferPointer(body)
    }

    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool { bytes.allSatisfy { $0 < 0x80 } }

    /// ASCII text without leading and trailing ASCII whitespace (space, tab to carriage return).
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || (0x09...0x0D).contains(b) }
        var lo = 0, hi = bytes.count
        while lo < hi, isSpace(bytes[lo]) { lo += 1 }
        while hi > lo, isSpace(bytes[hi - 1]) { hi -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[lo..<hi])
    }

    static func equalsIgnoringASCIICase(_ text: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        guard text.count == word.utf8CodeUnitCount else { return false }
        return word.withUTF8Buffer { expected in
            zip(text, expected).allSatisfy { a, b in a == b || (a >= 0x41 && a <= 0x5A && a | 0x20 == b) }
        }
    }
}
