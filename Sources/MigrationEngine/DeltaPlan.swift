import AuthgearAPI
import Foundation
import MigrationCore

/// What earlier runs into the same target already did for a source about to be launched: the
/// records that already have a successful outcome (inserted, updated or skipped — the user is in
/// the project), so that a launch can send only the rest.
///
/// The rule ("already done"): a record is done when an earlier run into the same target (same
/// endpoint and project, same identifier type) has a successful latest outcome for it, matched
///  - by record number, when that run's source has this source's content (size and fingerprint);
///  - by its identifier as the server normalises it (`RecordKey`), when that run's source had other
///    content (a re-export with users added, removed or reordered).
/// Failed records of earlier runs are not done; they are sent again.
public struct DeltaPlan: Sendable {
    /// Earlier runs into the target that count towards `done`, newest first.
    public var earlierRuns: [RunRecord]
    /// Records of this source (sendable ones) that already have a successful outcome.
    public var done: Set<Int>
    /// Of `done`: matched by record number (same content) and by identifier (other content).
    public var matchedByNumber: Int
    public var matchedByIdentifier: Int
    /// Sendable records of this source.
    public var sendable: Int

    /// Records a launch with only-new sends: the sendable ones not done.
    public var remaining: Int { sendable - done.count }

    /// The rule in the operator's words (for `--help` and the launch message).
    public static let rule = """
        a record counts as already imported when an earlier run into the same endpoint and project (same identifier \
        type) has a successful outcome for it (inserted, updated or skipped): matched by record number when that run \
        read a file with the same content, else by its identifier as the server normalises it (trimmed, case-folded, \
        E.164, IDNA) — so a re-export with users added is matched user by user. Failed records are sent again
        """

    /// Computes the plan for `workspace` (validated) launched into `target`.
    public static func compute(workspace: SourceWorkspace, journal: Journal, target: RunTarget) throws -> DeltaPlan {
        let report = workspace.report ?? workspace.validate()
        let sendable = (0..<report.recordCount).filter { report.isSendable($0) }
        let identity = SourceIdentity(file: workspace.index.file)
        let identifier = workspace.settings.identifier.rawValue
        var done = Set<Int>()
        var doneKeys = Set<RecordKey>()
        var used: [RunRecord] = []
        for run in try journal.runs(target: target) where run.identifier == identifier {
            let succeeded = try journal.succeededRecords(run: run.id)
            guard !succeeded.isEmpty else { continue }
            used.append(run)
            if run.source.sameContent(as: identity) {
                done.formUnion(succeeded)
            } else {
                let keys = try journal.recordKeys(run: run.id)
                for n in succeeded { if let k = keys[n] { doneKeys.insert(k) } }
            }
        }
        let sendableSet = Set(sendable)
        done.formIntersection(sendableSet)
        let byNumber = done.count
        if !doneKeys.isEmpty {
            for n in sendable where !done.contains(n) {
                if let k = RecordKey.of(record: n, in: workspace), doneKeys.contains(k) { done.insert(n) }
            }
        }
        return DeltaPlan(earlierRuns: used, done: done, matchedByNumber: byNumber, matchedByIdentifier: done.count - byNumber,
                         sendable: sendable.count)
    }

    /// The launch message: how many are done and what only-new / all do.
    public func describe(upsert: Bool, sendingAll: Bool) -> String {
        guard !done.isEmpty else { return "" }
        let runs = earlierRuns.prefix(3).map { String($0.id.prefix(8)) }.joined(separator: ", ") + (earlierRuns.count > 3 ? ", …" : "")
        var how: [String] = []
        if matchedByNumber > 0 { how.append("\(matchedByNumber.groupedDigits) by record number (same file content)") }
        if matchedByIdentifier > 0 { how.append("\(matchedByIdentifier.groupedDigits) by identifier (the file changed since)") }
        let head = "\(done.count.groupedDigits) of the \(sendable.counted("sendable record")) already \(done.count == 1 ? "has" : "have") a successful outcome in earlier runs into this target (\(earlierRuns.count == 1 ? "run" : "runs") \(runs); matched \(how.joined(separator: ", ")))."
        if sendingAll {
            return head + " --all: sending all \(sendable.groupedDigits); with upsert \(upsert ? "on they will be updated" : "off they will be skipped")."
        }
        return head + " Sending only the \(remaining.groupedDigits) \(remaining == 1 ? "other" : "others") (--only-new, the default); --all sends all \(sendable.groupedDigits) (with upsert off they would be skipped, with upsert on updated)."
    }
}
