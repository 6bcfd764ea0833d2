/// Where one record lives in its source file.
///
/// 16 bytes: the index holds one per record (tens of millions for a large file), so the end is
/// stored as a 32-bit length (a record is at most a few hundred KB: the server takes 500,000
/// bytes per request) and the line as 32 bits.
public struct RecordSpan: Sendable, Equatable {
    /// Byte offset of the record's first byte.
    public var start: Int
    /// Bytes in the record (`UInt32.max` for a record of 4 GiB or more, which the index refuses).
    public private(set) var length: UInt32
    /// 1-based line on which the record starts.
    public var line: Int32

    /// Byte offset one past the record's last byte.
    public var end: Int {
        get { start + Int(length) }
        set { length = UInt32(clamping: newValue - start) }
    }

    /// The longest record a span can hold.
    public static let maxLength = Int(UInt32.max) - 1

    public init(start: Int, end: Int, line: Int) {
        self.start = start
        self.length = UInt32(clamping: max(0, end - start))
        self.line = Int32(truncatingIfNeeded: line)
    }
}

/// What an Authgear import document says about the run, next to its records.
public struct DocumentDefaults: Sendable, Equatable {
    public var identifier: String?
    public var upsert: Bool?
    public init(identifier: String? = nil, upsert: Bool? = nil) {
        self.identifier = identifier
        self.upsert = upsert
    }
}
