/// Where one record lives in its source file.
public struct RecordSpan: Sendable, Equatable {
    /// Byte offset of the record's first byte.
    public var start: Int
    /// Byte offset one past the record's last byte.
    public var end: Int
    /// 1-based line on which the record starts.
    public var line: Int32

    public init(start: Int, end: Int, line: Int) {
        self.start = start
        self.end = end
        self.line = Int32(truncatingIfNeeded: line)
    }
}

/// What an Authgear import document says about the run, next to its records.
public struct DocumentSettings: Sendable, Equatable {
    public var identifier: String?
    public var upsert: Bool?
    public init(identifier: String? = nil, upsert: Bool? = nil) {
        self.identifier = identifier
        self.upsert = upsert
    }
}
