import AuthgearAPI
import Foundation
import MigrationCore

/// Creates runs, reopens their sources, and plans second passes — the glue the headless
/// commands and the TUI share.
public enum RunCoordinator {
    public struct Failure: Error, Sendable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Writes a new run for every sendable record of `workspace` (validated) and plans its batches.
    ///
    /// Refuses a source that was not read to its end (a truncated or damaged file: the records after
    /// the damage would be left out without a word), and a source that already has an unfinished
    /// run in this journal (its records would be sent by two runs) unless `allowNewRun`. Takes the
    /// journal's lock for the check and the write; a caller that goes on to execute the run holds it
    /// across both (`JournalLock` is re-entrant).
    public static func startRun(workspace: SourceWorkspace, journal: Journal, endpoint: String, projectID: String,
                                mappingPath: String?, editsPath: String, maxRecords: Int = 1000, allowNewRun: Bool = false) throws -> RunRecord {
        try requireFullyRead(workspace.index)
        let lock = try JournalLock.acquire(journal: journal.path, command: "import")
        defer { lock.release() }
        let file = workspace.index.file
        let sourcePath = URL(fileURLWithPath: file.path).standardizedFileURL.path
        if !allowNewRun, let open = try journal.unfinishedRuns(sourcePath: sourcePath).first {
            let done = try journal.outcomeCounts(run: open.id).total
            throw Failure("""
                \(sourcePath) already has an unfinished run in \(journal.path): run \(open.id.prefix(8)), \(open.state.rawValue)\
                \(open.pausedReason.map { " (\($0))" } ?? ""), \(done) of its \(open.recordCount) records have an outcome.
                  Continue it with `authgear-migrate resume --run \(open.id.prefix(8))` (a new run would send its records a second time), \
                or pass --new-run to start another run anyway.
                """)
        }
        let report = workspace.report ?? workspace.validate()
        let sendable = (0..<report.recordCount).filter { report.isSendable($0) }
        let bodies = RequestBodies(workspace: workspace)
        let batches = try bodies.plan(records: sendable, upsert: workspace.settings.upsert, maxRecords: maxRecords)
        let run = RunRecord(sourcePath: sourcePath, sourceSize: file.size,
                            sourceFingerprint: file.fingerprint(), sourceFormat: workspace.index.format.rawValue,
                            mappingPath: mappingPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                            editsPath: editsPath, identifier: workspace.settings.identifier.rawValue, upsert: workspace.settings.upsert,
                            endpoint: endpoint, projectID: projectID, recordCount: report.recordCount)
        try journal.createRun(run, batches: batches)
        return run
    }

    /// Nothing is launched from a source that was not read to its end: throws where and why reading stopped.
    public static func requireFullyRead(_ index: RecordIndex) throws(Failure) {
        guard index.isComplete else { throw Failure("\(index.file.path) is still being read (\(index.count) records so far): launch when indexing has finished") }
        if let failure = index.failure {
            throw Failure("""
                \(index.file.path) was not read to its end, so nothing is sent from it: reading stopped after record \(index.count) — \(failure.description)
                """)
        }
    }

    /// Reopens a run's source with its edits, refusing a source that changed since the run began
    /// (its record numbers would no longer mean the same records) unless `allowChangedSource`.
    public static func openSource(for run: RunRecord, allowChangedSource: Bool = false) throws -> SourceWorkspace {
        var mapping: JSONValue?
        if let path = run.mappingPath {
            guard let data = FileManager.default.contents(atPath: path) else { throw Failure("\(path): cannot read the run's CSV mapping file") }
            mapping = try JSONParser.parse([UInt8](data))
        }
        let index = try RecordIndex.open(path: run.sourcePath, format: SourceFormat(rawValue: run.sourceFormat), mapping: mapping)
        try index.waitUntilComplete()
        let file = index.file
        if !allowChangedSource, file.size != run.sourceSize || file.fingerprint() != run.sourceFingerprint {
            throw Failure("""
                \(run.sourcePath) changed since run \(run.id) began (size \(run.sourceSize) → \(file.size), fingerprint \(run.sourceFingerprint) → \(file.fingerprint())): \
                record numbers would no longer mean the same records.
                  Restore the original file, or pass --allow-changed-source if you are sure the records kept their positions.
                """)
        }
        let edits = try EditStore(path: run.editsPath).load(for: file)
        let settings = ValidationSettings(identifier: ImportIdentifier(rawValue: run.identifier) ?? .email, upsert: run.upsert)
        let workspace = SourceWorkspace(index: index, edits: edits, settings: settings)
        workspace.validate()
        return workspace
    }

    /// Batches for `retry --failed`: the records whose latest result is `failed` (or those of them in
    /// `only`), with their current edits, that now validate; returns the batches and the records still invalid.
    public static func planRetryFailed(run: RunRecord, workspace: SourceWorkspace, journal: Journal, only: [Int]? = nil,
                                       maxRecords: Int = 1000) throws -> (batches: [BatchRecord], stillInvalid: [Int]) {
        let latest = try journal.latestResults(run: run.id)
        var failed = latest.values.filter { $0.outcome == .failed }.map(\.record).sorted()
        if let only { failed = failed.filter(Set(only).contains) }
        let report = workspace.report ?? workspace.validate()
        let ready = failed.filter { report.isSendable($0) }
        let lock = try JournalLock.acquire(journal: journal.path, command: "retry --failed")
        defer { lock.release() }
        let planned = try RequestBodies(workspace: workspace).plan(records: ready, upsert: run.upsert, maxRecords: maxRecords)
        let batches = planned.isEmpty ? [] : try journal.addBatches(run: run.id, purpose: .retryFailed, planned)
        return (batches, failed.filter { !report.isSendable($0) })
    }

    /// Records whose latest result is `skipped` (user exists), for `retry --skipped`.
    public static func skippedRecords(run: RunRecord, journal: Journal) throws -> [Int] {
        try journal.latestResults(run: run.id).values.filter { $0.outcome == .skipped }.map(\.record).sorted()
    }

    /// Batches for `retry --skipped`: the given records again, with upsert = true.
    public static func planRetrySkipped(run: RunRecord, records: [Int], workspace: SourceWorkspace, journal: Journal,
                                        maxRecords: Int = 1000) throws -> [BatchRecord] {
        let lock = try JournalLock.acquire(journal: journal.path, command: "retry --skipped")
        defer { lock.release() }
        let planned = try RequestBodies(workspace: workspace).plan(records: records, upsert: true, maxRecords: maxRecords)
        return planned.isEmpty ? [] : try journal.addBatches(run: run.id, purpose: .retrySkipped, planned)
    }

    /// What upsert will do to existing users for these records: per field, changed or ignored (spec §7.5).
    public static func upsertPreview(records: [Int], workspace: SourceWorkspace) -> (changes: [String: Int], ignored: [String: Int]) {
        var changes: [String: Int] = [:]
        var ignored: [String: Int] = [:]
        for n in records {
            let value: JSONValue?
            if case .replaced(let v)? = workspace.edits[n] { value = v }
            else if case .success(let v) = workspace.index.loadRecord(n) { value = v }
            else { value = nil }
            guard case .object(let members)? = value else { continue }
            for m in members where m.key != workspace.settings.identifier.field {
                switch m.key {
                case "password": ignored["password", default: 0] += 1
                case "mfa":
                    for k in ["password", "totp"] where m.value.has(k) { ignored["mfa.\(k)", default: 0] += 1 }
                    for k in ["email", "phone_number"] where m.value.has(k) { changes["mfa.\(k)", default: 0] += 1 }
                default: changes[m.key, default: 0] += 1
                }
            }
        }
        return (changes, ignored)
    }
}

extension RunCoordinator.Failure: CommandFailure {}
