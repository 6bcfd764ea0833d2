import MigrationCore

/// A user-export task as `POST`/`GET /_api/admin/users/export[/{id}]` answer it (export spec §3.3, §4.1).
///
/// A failed export has `status: "completed"` too: ``state`` looks at `failed_at`/`error`, never
/// at `status` alone.
public struct UserExportTask: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case pending
        /// Completed with a download URL (valid 60 s from the GET that minted it).
        case succeeded(downloadURL: String)
        /// Completed with `failed_at` and the worker's error.
        case failed(APIErrorBody?)
        /// Completed with neither a URL nor an error (a worker panic, spec §4.3).
        case completedWithoutResult
    }

    /// `userexport_` + 32 Crockford base32 characters.
    public var id: String
    public var createdAt: String
    public var completedAt: String?
    public var failedAt: String?
    /// `pending` or `completed` as the server wrote it.
    public var status: String
    public var state: State

    /// Decodes the `result` object; nil when it lacks `id` or `status`.
    public init?(json: JSONValue) {
        guard let id = json["id"]?.stringValue, let status = json["status"]?.stringValue else { return nil }
        self.id = id
        self.status = status
        createdAt = json["created_at"]?.stringValue ?? ""
        completedAt = json["completed_at"]?.stringValue
        failedAt = json["failed_at"]?.stringValue
        let error = json["error"].flatMap(APIErrorBody.init(json:))
        if status == "pending" {
            state = .pending
        } else if failedAt != nil || error != nil {
            state = .failed(error)
        } else if let url = json["download_url"]?.stringValue, !url.isEmpty {
            state = .succeeded(downloadURL: url)
        } else {
            state = .completedWithoutResult
        }
    }
}
