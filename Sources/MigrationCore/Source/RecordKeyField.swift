/// The source's own user id (`--key-field`): a JSON pointer into the record (`/legacy_id`,
/// `/custom_attributes/member_id`), or for a CSV source the name of a column — which may be a
/// column that maps to nothing, carried into reports without being sent.
public struct RecordKeyField: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    private let pointer: JSONPointer?
    private let column: Int?

    /// Checks `text` against `index`: a CSV header (exact) or a JSON pointer; never a secret field.
    public init(_ text: String, index: RecordIndex) throws(SourceError) {
        self.text = text
        if let csv = index.csv, let k = csv.header.firstIndex(of: text) {
            if csv.mapping.columns.contains(where: { $0.index == k && $0.isSecret }) {
                throw SourceError(path: index.file.path, line: 1, message: "--key-field \(text): that column holds secrets and never goes into a report")
            }
            column = k
            pointer = nil
            return
        }
        guard let p = JSONPointer(text), !p.tokens.isEmpty else {
            let columns = index.csv.map { " or one of the CSV columns (\($0.header.prefix(12).map { "\"\($0)\"" }.joined(separator: ", ")))" } ?? ""
            throw SourceError(path: index.file.path, line: 1, message: "--key-field \(text): not a JSON pointer (such as /legacy_id)\(columns)")
        }
        if SecretFields.isSecret(p) {
            throw SourceError(path: index.file.path, line: 1, message: "--key-field \(text): that field holds secrets and never goes into a report")
        }
        pointer = p
        column = nil
    }

    public var description: String { text }

    /// The key of record `n` as text (a string as it is, another scalar as its JSON), or nil when
    /// the record does not have it (or the source does not have record `n`).
    public func value(of n: Int, in index: RecordIndex, record: JSONValue?) -> String? {
        if let column {
            guard n >= 0, n < index.count, index.csv != nil else { return nil }
            let span = index.span(n)
            let raw = UnsafeRawBufferPointer(rebasing: index.file.bytes[span.start..<span.end])
            guard case .success(let fields) = CSVRowParser.fields(raw, line: Int(span.line)), column < fields.count else { return nil }
            let cell = fields[column]
            return cell.isEmpty ? nil : cell
        }
        // Another system's export: the pointer names a field of its own record, as exported (not mapped).
        var record = record
        if index.recordMapping != nil {
            guard n >= 0, n < index.count, case .success(let source) = index.loadSource(span: index.span(n)) else { return nil }
            record = source
        }
        guard let pointer, let v = record?.value(at: pointer) else { return nil }
        switch v {
        case .string(let s): return s
        case .null: return nil
        case .object, .array: return nil
        default: return v.jsonText
        }
    }
}
