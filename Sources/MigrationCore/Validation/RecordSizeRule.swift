/// `record.too_large`: a record whose request body alone would exceed the server's 500,000-byte
/// limit (spec §11) can never be sent. Checked on the exact compact bytes the record is sent as,
/// with the exact envelope of the run's identifier and upsert (`RequestEnvelope`), so a
/// record that passes is one `BatchPlanner` can always place in a batch of its own.
public enum RecordSizeRule {
    public static let rule = "record.too_large"

    /// The largest record size (compact bytes) that fits a request with these settings.
    public static func limit(_ settings: ValidationSettings) -> Int {
        BatchPlanner.serverBodyLimit - RequestEnvelope(identifier: settings.identifier, upsert: settings.upsert).overhead
    }

    /// The error for a record of `size` bytes, or nil when it fits; `record` (when parsed) names the largest field.
    public static func issue(size: Int, record: JSONValue?, settings: ValidationSettings) -> Issue? {
        let limit = limit(settings)
        guard size > limit else { return nil }
        var pointer = ""
        var largest = ""
        if case .object(let members)? = record,
           let (key, bytes) = members.map({ ($0.key, JSONWriter().bytes($0.value).count) }).max(by: { $0.1 < $1.1 }) {
            pointer = "/" + escapePointerToken(key)
            largest = "; its largest field is \(pointer) (\(bytes.groupedDigits) bytes)"
        }
        return .error(pointer, rule: rule, """
            the record is \(size.groupedDigits) bytes as sent, more than the \(limit.groupedDigits) bytes one record may take in a request \
            (the server accepts bodies of at most \(BatchPlanner.serverBodyLimit.groupedDigits) bytes)\(largest): shorten it, or exclude it
            """)
    }
}
