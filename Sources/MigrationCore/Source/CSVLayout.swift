/// A CSV source's header and column mapping, read before the record scan starts.
public struct CSVLayout: Sendable {
    public let header: [String]
    public let mapping: CSVMapping
    /// Byte offset where the first data row starts, and its line.
    let dataStart: Int
    let dataLine: Int
    let path: String

    init(file: SourceFile, mappingFile: JSONValue?) throws(SourceError) {
        path = file.path
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
        .csv(secretColumns: Set(mapping.columns.filter(\.isSecret).map(\.index)), rowStart: rowStart)
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
