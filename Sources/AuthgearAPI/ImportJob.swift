import Foundation
import MigrationCore

/// An import job as `POST` and `GET /_api/admin/users/import[/id]` report it (spec §4.2, §5.1).
public struct ImportJob: Sendable, Equatable {
    /// Job state: there is no running or failed state (spec §10.3).
    public enum Status: String, Sendable, Equatable {
        case pending
        case completed
    }

    /// Outcome counts; present once the job is completed.
    public struct Summary: Sendable, Equatable {
        public var total, inserted, updated, skipped, failed: Int
        public init(total: Int, inserted: Int, updated: Int, skipped: Int, failed: Int) {
            (self.total, self.inserted, self.updated, self.skipped, self.failed) = (total, inserted, updated, skipped, failed)
        }
    }

    /// `userimport_…` (current servers) or `task_…` (servers before October 2024).
    public var id: String
    /// RFC 3339 text exactly as sent.
    public var createdAt: String
    /// RFC 3339 text; only when completed.
    public var completedAt: String?
    public var status: Status
    public var summary: Summary?
    /// Per-record results ordered by `index`; empty while pending.
    public var details: [ImportDetail]
    /// Set when a task of the job crashed (its records are missing from summary and details).
    public var error: APIErrorBody?
    /// The `Date` header of the response that carried this job, to report clock skew.
    public var serverDate: Date?

    public init(id: String, createdAt: String, completedAt: String? = nil, status: Status,
                summary: Summary? = nil, details: [ImportDetail] = [], error: APIErrorBody? = nil,
                serverDate: Date? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.completedAt = completedAt
        self.status = status
        self.summary = summary
        self.details = details
        self.error = error
        self.serverDate = serverDate
    }

    /// Decodes a result object (already unwrapped from `{"result": …}`); `nil` when it lacks
    /// `id` or a known `status`.
    public init?(json: JSONValue, serverDate: Date? = nil) {
        guard case .object = json,
              let id = json["id"]?.stringValue, !id.isEmpty,
              let statusText = json["status"]?.stringValue,
              let status = Status(rawValue: statusText) else { return nil }
        self.id = id
        self.createdAt = json["created_at"]?.stringValue ?? ""
        self.completedAt = json["completed_at"]?.stringValue
        self.status = status
        if let s = json["summary"], case .object = s {
            func count(_ key: String) -> Int { s[key]?.doubleValue.flatMap { Int(exactly: $0) } ?? 0 }
            summary = Summary(total: count("total"), inserted: count("inserted"), updated: count("updated"),
                              skipped: count("skipped"), failed: count("failed"))
        } else {
            summary = nil
        }
        var details: [ImportDetail] = []
        for item in json["details"]?.arrayValue ?? [] {
            guard let detail = ImportDetail(json: item) else { return nil }
            details.append(detail)
        }
        self.details = details
        self.error = json["error"].flatMap(APIErrorBody.init(json:))
        self.serverDate = serverDate
    }
}

/// One record's result inside a completed job (spec §5.1).
public struct ImportDetail: Sendable, Equatable {
    /// 0-based position in the request's `records` array.
    public var index: Int
    public var outcome: Outcome
    /// The user's id; absent for every failed record.
    public var userID: String?
    /// The server's redacted echo of the record (keys sorted), absent for `{}`.
    public var record: JSONValue?
    /// Warning messages in processing order.
    public var warnings: [String]
    /// Exactly one error for failed records (spec §9.3).
    public var errors: [APIErrorBody]

    public init(index: Int, outcome: Outcome, userID: String? = nil, record: JSONValue? = nil,
                warnings: [String] = [], errors: [APIErrorBody] = []) {
        self.index = index
        self.outcome = outcome
        self.userID = userID
        self.record = record
        self.warnings = warnings
        self.errors = errors
    }

    /// Decodes a detail object; `nil` without an integer `index` or an `outcome`.
    public init?(json: JSONValue) {
        guard let index = json["index"]?.doubleValue.flatMap({ Int(exactly: $0) }),
              let outcome = json["outcome"]?.stringValue else { return nil }
        self.index = index
        self.outcome = Outcome(outcome)
        self.userID = json["user_id"]?.stringValue
        self.record = json["record"]
        self.warnings = (json["warnings"]?.arrayValue ?? []).compactMap { $0["message"]?.stringValue ?? $0.stringValue }
        self.errors = (json["errors"]?.arrayValue ?? []).compactMap(APIErrorBody.init(json:))
    }
}
