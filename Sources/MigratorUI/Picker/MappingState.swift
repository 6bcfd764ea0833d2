import MigrationCore

/// The mapping step: for a CSV, each header and the field it fills (with its type); for
/// another system's export, each row of its preset (source JSON pointer → field, transform).
public struct MappingState: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        /// The CSV header, or the source JSON pointer of an extended mapping's row.
        public var header: String
        /// Field path ("email", "custom_attributes.tier"), or nil when skipped.
        public var field: String?
        /// The row's entry in the mapping file it came from, with its options (type, true/false
        /// words, list separator, transform, prefixes), kept so that they survive when the
        /// mapping is saved again; the mapping step's type and transform choices change it.
        public var entry: JSONValue?
        /// The field the row had when `d` skipped it: the next `d` maps it there again.
        public var skippedField: String?
        public init(header: String, field: String?, entry: JSONValue? = nil) {
            self.header = header
            self.field = field
            self.entry = entry
        }
    }
    public var path = ""
    public var columns: [Column] = []
    public var selected = 0
    /// Rows are an extended mapping's (another system's export) rather than a CSV's columns.
    public var preset = false
    /// The first records as they will be sent with the current mapping, and the source paths they have.
    public var preview = MappingPreview()
    public init() {}
}

/// What the mapping step shows under the rows: the first records mapped (secrets masked), or
/// why one cannot be; and, for another system's export, the JSON pointers of the values seen
/// in its first records (a new row's source is picked from them).
public struct MappingPreview: Equatable, Sendable {
    public enum Row: Equatable, Sendable {
        case record(JSONValue)
        /// A row or the whole mapping that cannot be read ("line 3: …", "the mapping cannot be used: …").
        case problem(String)
    }
    public var rows: [Row]
    public var sourcePaths: [String]
    public init(rows: [Row] = [], sourcePaths: [String] = []) {
        self.rows = rows
        self.sourcePaths = sourcePaths
    }
}
