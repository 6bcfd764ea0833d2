import Foundation
import MigrationCore

extension RunSummary {
    /// The summary as `report --summary` prints it (one JSON object): the run, its status, source,
    /// target, totals by outcome, times (elapsed with and without paused time), failures by
    /// reason, and `files` (what the caller wrote for it).
    public func json(files: [String] = [], now: Date = Date()) -> JSONValue {
        let (total, active) = elapsed(now: now)
        func n(_ v: Int) -> JSONValue { .number(String(v)) }
        func seconds(_ v: Double) -> JSONValue { .number(String(format: "%.3f", v)) }
        return .object([
            JSONMember("run", .string(run.id)),
            JSONMember("state", .string(status.word)),
            JSONMember("paused_reason", { if case .paused(let r?) = status { return .string(r) }; return .null }()),
            JSONMember("source", .obj(["path": .string(source.path), "size": n(source.size), "fingerprint": .string(source.fingerprint),
                                       "records": n(run.recordCount)])),
            JSONMember("target", .obj(["endpoint": .string(target.endpoint), "project_id": .string(target.projectID)])),
            JSONMember("identifier", .string(run.identifier)),
            JSONMember("upsert", .bool(run.upsert)),
            JSONMember("key_field", run.keyField.map(JSONValue.string) ?? .null),
            JSONMember("planned", n(planned)),
            JSONMember("totals", .obj(["inserted": n(counts.inserted), "updated": n(counts.updated), "skipped": n(counts.skipped),
                                       "failed": n(counts.failed), "pending": n(pending)])),
            JSONMember("possibly_created_by_interrupted_attempt", n(possiblyCreated)),
            JSONMember("started_at", .string(RunReport.iso(startedAt))),
            JSONMember("finished_at", finishedAt.map { .string(RunReport.iso($0)) } ?? .null),
            JSONMember("elapsed_seconds", seconds(total)),
            JSONMember("paused_seconds", seconds(pausedSeconds)),
            JSONMember("active_seconds", seconds(active)),
            JSONMember("failures_by_reason", .object(failuresByReason.map { JSONMember($0.reason, n($0.count)) })),
            JSONMember("files", .array(files.map(JSONValue.string))),
        ])
    }
}
