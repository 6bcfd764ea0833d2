import MigrationCore

/// CSV column mapping: each header and the field it fills.
public struct MappingState: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        public var header: String
        /// Field path ("email", "custom_attributes.tier"), or nil when skipped.
        public var field: String?
        /// The column's entry in the mapping file it came from, kept so that its options (type,
        /// true/false words, list separator) survive when the mapping is saved again.
        public var entry: JSONValue?
        public init(header: String, field: String?, entry: JSONValue? = nil) {
            self.header = header
            self.field = field
            self.entry = entry
        }
    }
    public var path = ""
    public var columns: [Column] = []
    public var selected = 0
    /// The first records as they will be sent with the current mapping (compact JSON), or the error.
    public var preview: [String] = []
    public init() {}
}
