import Foundation
import MigrationCore
import OpenSSLCrypto

/// Builds the exact request bytes of a batch from the source and its edits, and their hash.
/// The same records and edits always give the same bytes, so a batch re-sent after a crash is
/// byte-for-byte what was planned (the hash proves it).
public struct RequestBodies: Sendable {
    public let workspace: SourceWorkspace

    public init(workspace: SourceWorkspace) {
        self.workspace = workspace
    }

    public func body(records: [Int], upsert: Bool) -> [UInt8] {
        let planner = BatchPlanner(identifier: workspace.settings.identifier, upsert: upsert)
        let writer = ImportDocumentWriter(index: workspace.index, edits: workspace.edits,
                                          identifier: workspace.settings.identifier, upsert: upsert)
        let batch = Batch(number: 0, records: records, bodySize: 0)
        let body = planner.body(for: batch) { n, out in _ = writer.recordBytes(n, into: &out) }
        // The source pages these records came from are not needed until the next body: keep a
        // multi-GB source from staying resident for the whole run.
        if let first = records.first, let last = records.last, first <= last {
            let index = workspace.index
            index.file.releasePages(index.span(first).start..<index.span(last).end)
        }
        return body
    }

    /// Why bodies built from the source can no longer be trusted: it was cut short while it was
    /// read (the missing bytes read as zeros). Checked after building bodies and before anything
    /// built from them is sent or recorded, so a stopped run stays resumable once it is restored.
    public func sourceChangedMessage() -> String? {
        let file = workspace.index.file
        guard file.hasShrunk() else { return nil }
        let e = file.changedError(then: "resume the run")
        return "\(e.path): \(e.message): " + (e.hint ?? "")
    }

    public func planned(records: [Int], upsert: Bool) -> PlannedBatch {
        let bytes = body(records: records, upsert: upsert)
        return PlannedBatch(records: records, upsert: upsert, bodySHA256: RequestBodies.sha256(bytes), bodySize: bytes.count)
    }

    /// Plans `records` into batches under the server's limits and hashes each body. Throws when a
    /// record cannot fit in any request (validation reports those as `record.too_large`, so only
    /// records that skipped validation can get here): no record is ever planned out silently; and
    /// when the source was cut short while the bodies were built (their hashes would be of zeros).
    public func plan(records: [Int], upsert: Bool, maxRecords: Int) throws(RunCoordinator.Failure) -> [PlannedBatch] {
        let report = workspace.report ?? workspace.validate()
        let planner = BatchPlanner(identifier: workspace.settings.identifier, upsert: upsert, maxRecords: maxRecords)
        let plan = planner.plan(records: records, size: { n in
            if case .replaced(let v)? = workspace.edits[n] { return JSONWriter().bytes(v).count }
            return Int(report.requestSizes[n])
        })
        if !plan.oversized.isEmpty {
            throw RunCoordinator.Failure("""
                \(plan.oversized.count) record(s) are larger than a request may be (\(BatchPlanner.serverBodyLimit) bytes) and cannot be sent: \
                records \(plan.oversized.prefix(10).map(String.init).joined(separator: ", "))\(plan.oversized.count > 10 ? ", …" : ""). \
                Nothing was planned; shorten or exclude them (`validate` names their largest field).
                """)
        }
        let batches = plan.batches.map { planned(records: $0.records, upsert: upsert) }
        if let changed = sourceChangedMessage() { throw RunCoordinator.Failure(changed) }
        return batches
    }

    /// Lower-case hex SHA-256 of a body (libcrypto, hashed in place).
    public static func sha256(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}
