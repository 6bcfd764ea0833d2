import MigrationCore

/// One entry of a job's `details` (spec §5.1).
public struct ImportDetail: Sendable, Equatable {
    public var index: Int
    /// The redacted echo of the input record (absent for `{}` and for non-objects).
    public var record: JSONValue?
    /// `inserted`, `updated`, `skipped` or `failed`.
    public var outcome: String
    /// Absent for every failed record.
    public var userID: String?
    public var warnings: [String]
    /// Exactly one APIError object when `outcome` is `failed`.
    public var errors: [JSONValue]

    public init(index: Int, record: JSONValue?, outcome: String, userID: String?, warnings: [String], errors: [JSONValue]) {
        self.index = index
        self.record = record
        self.outcome = outcome
        self.userID = userID
        self.warnings = warnings
        self.errors = errors
    }

    /// `{"index","record","outcome","user_id","warnings":[{"message"}],"errors"}`, absent keys omitted.
    public var json: JSONValue {
        var members = [JSONMember("index", .number(String(index)))]
        if let record { members.append(JSONMember("record", record)) }
        members.append(JSONMember("outcome", .string(outcome)))
        if let userID { members.append(JSONMember("user_id", .string(userID))) }
        if !warnings.isEmpty {
            members.append(JSONMember("warnings", .array(warnings.map { .obj(["message": .string($0)]) })))
        }
        if !errors.isEmpty { members.append(JSONMember("errors", .array(errors))) }
        return .object(members)
    }
}
