/// A CSV source's header and column mapping, read before the record scan starts.
///
/// A CSV of another system's export (`rowsAsObjects`) maps nothing itself: each row becomes an
/// object keyed by header (or by the preset's column names when the file has no header row),
/// empty cells left out, and the preset's `RecordMapping` makes the import record from it.
public struct CSVLayout: Sendable {
    public let header: [String]
    public let mapping: CSVMapping
    /// The rows' records written as bytes directly (`recordBytes`).
    let rowWriter: CSVRowWriter
    /// Rows are read as `{header: cell}` objects for a `RecordMapping`.
    public let rowsAsObjects: Bool
    /// Byte offset where the first data row starts, and its line.
    let dataStart: Int
    let dataLine: Int
    let path: String

    /// The layout of a CSV read through a preset: `columns` names the columns of a file without
    /// a header row; otherwise the header row (after any `#` comment lines) names them.
    init(file: SourceFile, objectColumns columns: [String]?) throws(SourceError) {
        path = file.path
        rowsAsObjects = true
        if let columns {
            header = columns
            dataStart = ByteScan.skipBOM(file.bytes)
            dataLine = 1
        } else {
            do {
                // The header skips a BOM, blank lines and `#` comment lines (Clerk's export starts with one).
                let h = try CSVScanner.header(file.bytes)
                header = h.fields.map { $0.trimmingCharacters(in: .whitespaces) }
                dataStart = h.end
                dataLine = h.nextLine
            } catch let e as CSVRowError {
                throw SourceError(path: file.path, line: e.line, message: "the CSV header cannot be read: line \(e.line), column \(e.column): \(e.message)")
            } catch {
                throw SourceError(path: file.path, line: 1, message: "the CSV header cannot be read: \(error)")
            }
        }
        do { mapping = try CSVMapping(header: [], mappingFile: nil) } catch {
            throw SourceError(path: file.path, line: 1, message: "\(error)")
        }
        rowWriter = CSVRowWriter(mapping: mapping)
    }

    init(file: SourceFile, mappingFile: JSONValue?) throws(SourceError) {
        path = file.path
        rowsAsObjects = false
        do {
            let h = try CSVScanner.header(file.bytes)
            header = h.fields
            dataStart = h.end
            dataLine = h.nextLine
        } catch let e as CSVRowError {
            throw SourceError(file: file, offset: 0, message: "the CSV header cannot be read: line \(e.line), column \(e.column): \(e.message)")
        } catch {
            throw SourceError(path: file.path, line: 1, message: "the CSV header cannot be read: \(error)")
        }
        do {
            mapping = try CSVMapping(header: header, mappingFile: mappingFile)
        } catch {
            throw SourceError(path: file.path, line: 1, message: "the CSV columns cannot be mapped: \(error)",
                              hint: "fix the mapping file (--mapping) or the header row")
        }
        rowWriter = CSVRowWriter(mapping: mapping)
        // Rows of a CSV whose columns all go nowhere are empty records, however many: like a
        // JSON array without objects (`NonRecordRun`), it is not a source.
        guard !mapping.mappedIndices.isEmpty else {
            throw SourceError(file: file, offset: ByteScan.skipBOM(file.bytes),
                              message: "not a source of records: no column of the CSV header maps to a record field "
                                  + "(headers: \(header.prefix(8).map { "\"\($0)\"" }.joined(separator: ", "))\(header.count > 8 ? ", …" : ""))",
                              hint: "name the columns after record fields (email, phone_number, name, …) or map them with --mapping")
        }
    }

    /// Finds every data row.
    func scanRows(file: SourceFile, emit: (RecordSpan) -> Bool) throws(SourceError) {
        let end = CSVScanner.scanRows(file.bytes, from: dataStart, startLine: dataLine) { row in
            emit(RecordSpan(start: row.start, end: row.end, line: row.line))
        }
        if let line = end.unterminatedQuoteLine {
            let message = "a quoted field opened on line \(line) is never closed: the rest of the file is inside it"
            let hint = "add the missing closing quote (\") on or after line \(line)"
            if let quote = end.unterminatedQuoteOffset {
                throw SourceError(file: file, offset: quote, message: message, hint: hint, masking: excerptMasking(rowStart: end.unterminatedRowStart))
            }
            throw SourceError(path: file.path, line: line, message: message, hint: hint)
        }
    }

    /// How an excerpt of a data row is masked: the cells of the columns that hold secrets.
    public func excerptMasking(rowStart: Int? = nil) -> ExcerptMasking {
        if rowsAsObjects {
            let secret = header.enumerated().filter { SecretFields.isSecretLeaf($0.element) || PresetSecretColumns.names.contains($0.element) }.map(\.offset)
            return .csv(secretColumns: Set(secret), rowStart: rowStart)
        }
        return .csv(secretColumns: Set(mapping.columns.filter(\.isSecret).map(\.index)), rowStart: rowStart)
    }

    /// The row at `span` as an object keyed by header, empty cells left out.
    func rowObject(file: SourceFile, span: RecordSpan) -> Result<JSONValue, RecordProblem> {
        let raw = UnsafeRawBufferPointer(rebasing: file.bytes[span.start..<span.end])
        switch CSVRowParser.fields(raw, line: Int(span.line)) {
        case .failure(let e): return .failure(RecordProblem(message: e.message, line: e.line, column: e.column, rule: "record.invalid_csv"))
        case .success(let fields):
            guard fields.count == header.count else {
                let what = fields.count > header.count ? "too many fields" : "too few fields"
                return .failure(RecordProblem(message: "\(what): the row has \(fields.count) field\(fields.count == 1 ? "" : "s") but the "
                                                  + "\(rowsAsObjects && dataLine == 1 && dataStart <= 3 ? "layout" : "header") has \(header.count)",
                                              line: Int(span.line), column: min(fields.count, header.count) + 1, rule: "record.invalid_csv"))
            }
            var members: [JSONMember] = []
            members.reserveCapacity(fields.count)
            for (name, cell) in zip(header, fields) where !cell.isEmpty && !name.isEmpty { members.append(JSONMember(name, .string(cell))) }
            return .success(.object(members))
        }
    }

    /// Appends the compact JSON of the record the row at `span` maps to (the bytes of `record`
    /// written by `JSONWriter`); false when the row cannot be mapped.
    func recordBytes(file: SourceFile, span: RecordSpan, into out: inout [UInt8]) -> Bool {
        let raw = UnsafeRawBufferPointer(rebasing: file.bytes[span.start..<span.end])
        if rowWriter.write(raw, into: &out) { return true }
        guard case .success(let value) = record(file: file, span: span) else { return false }
        JSONWriter().write(value, to: &out)
        return true
    }

    /// Reads the row at `span` and maps it to a record.
    func record(file: SourceFile, span: RecordSpan) -> Result<JSONValue, RecordProblem> {
        let raw = UnsafeRawBufferPointer(rebasing: file.bytes[span.start..<span.end])
        let fields: [String]
        switch CSVRowParser.fields(raw, line: Int(span.line)) {
        case .failure(let e): return .failure(RecordProblem(message: e.message, line: e.line, column: e.column, rule: "record.invalid_csv"))
        case .success(let f): fields = f
        }
        switch mapping.record(from: fields, line: Int(span.line)) {
        case .failure(let e): return .failure(RecordProblem(message: e.message, line: e.line, column: e.column, rule: "record.invalid_csv"))
        case .success(let value): return .success(value)
        }
    }
}
