import Foundation
import MigrationCore
import OpenSSLCrypto

/// The one builder of request bodies: plans batches by the records' exact compact sizes (no
/// body is built to plan), builds each body once per send from the source and its edits, and
/// checks what it built against the plan. The same records and edits always give the same bytes,
/// so a batch re-sent after a crash is byte-for-byte its first send (the hash journalled with the
/// first send proves it).
public struct RequestBodies: Sendable {
    public let workspace: SourceWorkspace

    public init(workspace: SourceWorkspace) {
        self.workspace = workspace
    }

    /// The exact bytes of a body holding `records` (edits applied, CSV mapped).
    public func body(records: [Int], upsert: Bool) -> [UInt8] {
        let writer = ImportDocumentWriter(index: workspace.index, edits: workspace.edits,
                                          identifier: workspace.settings.identifier, upsert: upsert)
        let envelope = RequestEnvelope(identifier: workspace.settings.identifier, upsert: upsert)
        let body = envelope.body(count: records.count) { k, out in _ = writer.recordBytes(records[k], into: &out) }
        // The source pages these records came from are not needed until the next body: keep a
        // multi-GB source from staying resident for the whole run.
        if let first = records.first, let last = records.last, first <= last {
            let index = workspace.index
            index.file.releasePages(index.span(first).start..<index.span(last).end)
        }
        return body
    }

    /// The bytes to send for `batch` and their SHA-256: built now, and refused when they are not
    /// what was planned (another size) or first sent (another hash), or when the source was cut
    /// short while they were read — the source or its edits changed since the run began.
    public func request(for batch: BatchRecord) throws(RunCoordinator.Failure) -> (body: [UInt8], sha256: String) {
        let body = body(records: batch.records, upsert: batch.upsert)
        if let changed = sourceChangedMessage() { throw RunCoordinator.Failure(changed) }
        let sha = RequestBodies.sha256(body)
        guard body.count == batch.bodySize, batch.bodySHA256.map({ $0 == sha }) ?? true else {
            throw RunCoordinator.Failure("""
                batch \(batch.id) no longer builds the bytes that were planned (\(batch.bodySize) bytes planned, \(body.count) built\
                \(batch.bodySHA256 == nil ? "" : ", or another hash than its first send")): the source file or its edits changed since the run began
                """)
        }
        return (body, sha)
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

    /// Plans `records` into batches under the server's limits, sized by the records' compact
    /// sizes (the validation report's, or an edit's). Throws when a record cannot fit in any
    /// request (validation reports those as `record.too_large`, so only records that skipped
    /// validation can get here): no record is ever planned out silently; and when the source was
    /// cut short (sizes read from zeros).
    public func plan(records: [Int], upsert: Bool, maxRecords: Int) throws(RunCoordinator.Failure) -> [PlannedBatch] {
        let report = workspace.report ?? workspace.validate()
        let planner = BatchPlanner(identifier: workspace.settings.identifier, upsert: upsert, maxRecords: maxRecords)
        let plan = planner.plan(records: records, size: { n in
            if case .replaced(let v)? = workspace.edits[n] { return JSONWriter().bytes(v).count }
            return Int(report.recordSizes[n])
        })
        if !plan.oversized.isEmpty {
            throw RunCoordinator.Failure("""
                \(plan.oversized.count.counted("record")) \(plan.oversized.count == 1 ? "is" : "are") larger than a request may be (\(BatchPlanner.serverBodyLimit.groupedDigits) bytes) and cannot be sent: \
                records \(plan.oversized.prefix(10).map(String.init).joined(separator: ", "))\(plan.oversized.count > 10 ? ", …" : ""). \
                Nothing was planned; shorten or exclude them (`validate` names their largest field).
                """)
        }
        if let changed = sourceChangedMessage() { throw RunCoordinator.Failure(changed) }
        return plan.batches
    }

    /// Lower-case hex SHA-256 of a body (libcrypto, hashed in place).
    public static func sha256(_ bytes: [UInt8]) -> String { SHA256.hex(bytes) }
}
