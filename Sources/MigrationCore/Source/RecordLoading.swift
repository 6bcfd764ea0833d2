/// A record that could not be read as a JSON object: where, and why.
public struct RecordProblem: Error, Sendable, Equatable {
    public var message: String
    /// 1-based line and column in the source file.
    public var line: Int
    public var column: Int
    public var rule: String

    public init(message: String, line: Int, column: Int, rule: String) {
        self.message = message
        self.line = line
        self.column = column
        self.rule = rule
    }

    /// The problem as a record-level issue.
    public var issue: Issue { .error("", rule: rule, "line \(line), column \(column): \(message)") }
}

extension RecordIndex {
    /// The bytes of record `i` exactly as they are in the file.
    public func rawBytes(_ span: RecordSpan) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: file.bytes[span.start..<span.end])
    }

    /// Parses record `i` from the source (no edits applied). A number the source does not have
    /// (another file's record number, or one beyond what is indexed so far) is a `record.not_in_source`
    /// problem, never a crash.
    public func loadRecord(_ i: Int) -> Result<JSONValue, RecordProblem> {
        let count = self.count
        guard i >= 0, i < count else {
            return .failure(RecordProblem(message: "\(file.path) has no record \(i) (it has \(count) record(s)\(isComplete ? "" : " indexed so far"))",
                                          line: 0, column: 0, rule: "record.not_in_source"))
        }
        return loadRecord(span: span(i))
    }

    /// Parses the record at `span`. When the source was truncated while it was read (its bytes
    /// then read as zeros), the result is a `source.changed` problem instead of what the zeros say.
    public func loadRecord(span: RecordSpan) -> Result<JSONValue, RecordProblem> {
        // Checked before (no need to parse zeros) and after (the parse may be what hit the cut).
        if file.changedWhileReading { return .failure(changedProblem(span)) }
        let result = parseRecord(span: span)
        // The tail of the file's last page reads as zeros without any fault: a record that does
        // not parse is checked against the file's size too (one fstat, on failures only).
        if case .failure = result, file.hasShrunk() { return .failure(changedProblem(span)) }
        if file.changedWhileReading { return .failure(changedProblem(span)) }
        return result
    }

    /// The problem of a record read after its file was cut short. Column 1: finding the real one
    /// would scan back over the zeros.
    private func changedProblem(_ span: RecordSpan) -> RecordProblem {
        RecordProblem(message: file.changedError().message + ": restore it and read it again",
                      line: Int(span.line), column: 1, rule: "source.changed")
    }

    /// The record at `span` mapped to an import record, with the notes its mapping made
    /// (`password.not_importable`) and what of it cannot be imported.
    public func loadMapped(span: RecordSpan) -> Result<RecordMapping.Mapped, RecordProblem> {
        guard let recordMapping else { return loadRecord(span: span).map { RecordMapping.Mapped(record: $0, notes: [], notImported: []) } }
        if file.changedWhileReading { return .failure(changedProblem(span)) }
        switch loadSource(span: span) {
        case .failure(let problem):
            if file.hasShrunk() || file.changedWhileReading { return .failure(changedProblem(span)) }
            return .failure(problem)
        case .success(let source):
            if file.changedWhileReading { return .failure(changedProblem(span)) }
            return .success(recordMapping.map(source))
        }
    }

    /// The system's own user id of record `span` (the mapping's `key`), for reports.
    public func legacyKey(span: RecordSpan) -> String? {
        guard let recordMapping, recordMapping.key != nil, case .success(let source) = loadSource(span: span) else { return nil }
        return recordMapping.legacyKey(source)
    }

    /// The source record at `span` as it is in the file (a CSV row of a preset as `{header: cell}`), not mapped.
    public func loadSource(span: RecordSpan) -> Result<JSONValue, RecordProblem> {
        if let csv, csv.rowsAsObjects { return csv.rowObject(file: file, span: span) }
        return parseJSON(span: span)
    }

    private func parseRecord(span: RecordSpan) -> Result<JSONValue, RecordProblem> {
        if recordMapping != nil { return loadMapped(span: span).map(\.record) }
        if let csv {
            return csv.record(file: file, span: span)
        }
        return parseJSON(span: span)
    }

    private func parseJSON(span: RecordSpan) -> Result<JSONValue, RecordProblem> {
        let raw = rawBytes(span)
        do {
            let value = try JSONParser.parse(raw)
            guard case .object = value else {
                let noun: String
                switch value.typeNames[0] {
                case "integer", "number": noun = "a number"
                case "array": noun = "an array"
                case "null": noun = "null"
                case let other: noun = "a " + other
                }
                return .failure(RecordProblem(message: "a record must be a JSON object, not \(noun)",
                                              line: Int(span.line), column: column(of: span.start), rule: "record.not_object"))
            }
            return .success(value)
        } catch {
            let (dl, col) = position(in: raw, offset: error.offset, spanStart: span.start)
            return .failure(RecordProblem(message: "invalid JSON: \(error.message)", line: Int(span.line) + dl, column: col, rule: "record.invalid_json"))
        }
    }

    /// Appends the compact JSON text of an unedited record as it will be sent (a CSV row as the
    /// record its mapping makes); false when the row cannot be mapped. The one writer of a
    /// source record's bytes: request bodies and exports go through it.
    @discardableResult
    public func recordBytes(span: RecordSpan, into out: inout [UInt8]) -> Bool {
        if recordMapping != nil {
            guard case .success(let mapped) = loadMapped(span: span) else { return false }
            JSONWriter().write(mapped.record, to: &out)
            return true
        }
        if let csv { return csv.recordBytes(file: file, span: span, into: &out) }
        JSONCompactor.compact(rawBytes(span), into: &out)
        return true
    }

    /// 1-based column of a file offset (scans back to the previous newline).
    func column(of offset: Int) -> Int {
        let b = file.bytes
        var i = offset
        while i > 0, b[i - 1] != 0x0A { i -= 1 }
        return offset - i + 1
    }

    /// Lines into the record and the file column of `offset` bytes into `raw`.
    private func position(in raw: UnsafeRawBufferPointer, offset: Int, spanStart: Int) -> (Int, Int) {
        var lines = 0
        var lastNewline = -1
        for i in 0..<min(offset, raw.count) where raw[i] == 0x0A { lines += 1; lastNewline = i }
        if lastNewline >= 0 { return (lines, offset - lastNewline) }
        return (0, column(of: spanStart) + offset)
    }
}
