import MigrationCore

/// How an export misbehaves, drawn from `PUT /_sandbox/faults` `exports` rules when it is created.
struct ExportFault: Sendable, Equatable {
    /// Completes as a failed export (`failed_at`, `InternalError`/`UnexpectedError`), like a failed upload.
    var fail = false
    /// Never completes: `pending` until the task expires 24 h after creation (a worker that died).
    var hang = false
    /// Page-edge fault (spec §7 step 2): at every page boundary this many users just after the edge
    /// are skipped and as many just before it are written again, as when users sharing a
    /// `created_at` straddle an `OFFSET` page and the unordered tie comes back in another order.
    var pageEdgeUsers = 0
    /// Users per page (`BatchSize`, 1000 on the server; smaller makes page edges reachable in tests).
    var pageSize = ExportTask.pageSize
}

/// One user export task (spec §4): `pending` → `completed`, with `completed_at` or `failed_at`.
struct ExportTask: Sendable {
    static let pageSize = 1000
    /// The task key's TTL: 24 h from creation while pending, from completion after.
    static let retentionSeconds: Int64 = 86_400
    /// `PresignGetExpiresForUserExport`.
    static let presignSeconds: Int64 = 60

    var id: String
    var createdAt: SandboxInstant
    var request: ExportRequest
    var fault: ExportFault
    var completedAt: SandboxInstant?
    var error: APIError?
    /// The object's name in the sandbox's object store (`<project>-<id>-<UTC>Z.<format>`).
    var objectKey: String?

    var expiresAt: SandboxInstant { (completedAt ?? createdAt).adding(seconds: Self.retentionSeconds) }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "userexport_" + String((0..<32).map { _ in ImportJob.crockford[Int(generator.next() % 32)] })
    }

    /// The result object (`model.go` `Response`, fields in its order).
    func resultJSON(downloadURL: String?) -> JSONValue {
        var m = [JSONMember("id", .string(id)), JSONMember("created_at", .string(createdAt.rfc3339Nano))]
        if let completedAt { m.append(JSONMember(error == nil ? "completed_at" : "failed_at", .string(completedAt.rfc3339Nano))) }
        m.append(JSONMember("status", .string(completedAt == nil ? "pending" : "completed")))
        m.append(JSONMember("request", request.json))
        if completedAt != nil, error == nil, let downloadURL { m.append(JSONMember("download_url", .string(downloadURL))) }
        if let error { m.append(JSONMember("error", error.json)) }
        return .object(m)
    }

    /// `url.QueryEscape("<project id>-<task id>-<UTC as 20060102150405>Z.<format>")`.
    static func objectKey(projectID: String, taskID: String, at instant: SandboxInstant, format: ExportRequest.Format) -> String {
        let stamp = instant.rfc3339Nano.prefix(19).filter { $0.isNumber }
        return ExportRecord.queryEscape("\(projectID)-\(taskID)-\(stamp)Z.\(format.rawValue)")
    }
}
