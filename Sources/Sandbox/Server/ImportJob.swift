import MigrationCore

/// What an injected task fault does (decided when the job is created).
enum TaskFault: Sendable, Equatable {
    case none
    /// Commit `afterRecords` records, then complete the task with `UnexpectedError` and no output.
    case crash(afterRecords: Int)
    /// Commit `afterRecords` records, then never complete (the job stays pending until it expires).
    case hang(afterRecords: Int)
}

/// One queued chunk of at most 100 records (spec §10.1).
struct ImportTask: Sendable {
    var index: Int
    var recordCount: Int
    /// The input, dropped once processed.
    var records: [JSONValue]
    var fault: TaskFault
    var completedAt: SandboxInstant?
    var details: [ImportDetail]?
    var error: APIError?

    var firstRecordIndex: Int { index * ImportJob.recordsPerTask }
}

/// An import job: `{id, created_at, task_ids}` plus its tasks (spec §10).
struct ImportJob: Sendable {
    static let recordsPerTask = 100
    static let retentionSeconds: Int64 = 24 * 3600
    static let crockford = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    var id: String
    var createdAt: SandboxInstant
    var identifier: String
    var upsert: Bool
    var tasks: [ImportTask]

    var expiresAt: SandboxInstant { createdAt.adding(seconds: Self.retentionSeconds) }
    var recordCount: Int { tasks.reduce(0) { $0 + $1.recordCount } }

    /// `userimport_` + 32 random Crockford base32 characters.
    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return "userimport_" + String((0..<32).map { _ in crockford[Int(generator.next() % 32)] })
    }

    /// The GET/POST result object (spec §10.3).
    var resultJSON: JSONValue {
        var members = [JSONMember("id", .string(id)), JSONMember("created_at", .string(createdAt.rfc3339Nano))]
        guard tasks.allSatisfy({ $0.completedAt != nil }) else {
            members.append(JSONMember("status", .string("pending")))
            return .object(members)
        }
        var completedAt = createdAt
        var counts = ["inserted": 0, "updated": 0, "skipped": 0, "failed": 0]
        var total = 0
        var details: [JSONValue] = []
        var jobError: APIError?
        for task in tasks {
            if let done = task.completedAt, done > completedAt { completedAt = done }
            if let error = task.error { jobError = error }
            guard let taskDetails = task.details else { continue }
            let offset = task.firstRecordIndex
            for detail in taskDetails {
                total += 1
                counts[detail.outcome, default: 0] += 1
                details.append(detail.json.setting("index", to: .number(String(detail.index + offset))))
            }
        }
        members.append(JSONMember("completed_at", .string(completedAt.rfc3339Nano)))
        members.append(JSONMember("status", .string("completed")))
        if let jobError { members.append(JSONMember("error", jobError.json)) }
        members.append(JSONMember("summary", .obj([
            "total": .number(String(total)), "inserted": .number(String(counts["inserted"]!)),
            "updated": .number(String(counts["updated"]!)), "skipped": .number(String(counts["skipped"]!)),
            "failed": .number(String(counts["failed"]!)),
        ])))
        if !details.isEmpty { members.append(JSONMember("details", .array(details))) }
        return .object(members)
    }

    /// The control API's view (`GET /_sandbox/jobs/{id}`).
    var controlJSON: JSONValue {
        .obj([
            "id": .string(id), "created_at": .string(createdAt.rfc3339Nano), "expires_at": .string(expiresAt.rfc3339Nano),
            "record_count": .number(String(recordCount)),
            "tasks": .array(tasks.map { task in
                .obj([
                    "index": .number(String(task.index)), "first_record_index": .number(String(task.firstRecordIndex)),
                    "record_count": .number(String(task.recordCount)),
                    "status": .string(task.completedAt == nil ? "pending" : "completed"),
                    "completed_at": task.completedAt.map { .string($0.rfc3339Nano) } ?? .null,
                    "error": task.error?.json ?? .null,
                ])
            }),
        ])
    }
}
