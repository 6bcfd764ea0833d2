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

    /// Writes a new run for every sendable record of `workspace` (validated) — or those of them in
    /// `only` (a delta launch, see `DeltaPlan`) — and plans its batches. Each planned record's
    /// identifier key is kept (`RecordKey`) so that later runs of a re-exported file can tell which
    /// users this run already imported. `keyField` names the source's own user id for reports.
    ///
    /// Refuses a source that was not read to its end (a truncated or damaged file: the records after
    /// the damage would be left out without a word), and a source whose content already has an
    /// unfinished run into the same target in this journal (its records would be sent by two runs)
    /// unless `allowNewRun`. Takes the journal's lock for the check and the write; a caller that goes
    /// on to execute the run holds it across both (`JournalLock` is re-entrant).
    public static func startRun(workspace: SourceWorkspace, journal: Journal, endpoint: String, projectID: String,
                                mappingPath: String?, editsPath: String, maxRecords: Int = 1000, allowNewRun: Bool = false,
                                only: Set<Int>? = nil, keyField: String? = nil, canary: Int? = nil,
                                passwordsPath: String? = nil) throws -> RunRecord {
        try requireFullyRead(workspace.index)
        let lock = try JournalLock.acquire(journal: journal.path, command: "import")
        defer { lock.release() }
        let file = workspace.index.file
        let identity = SourceIdentity(file: file)
        let target = RunTarget(endpoint: endpoint, projectID: projectID)
        if !allowNewRun, let open = try journal.unfinishedRuns(source: identity, target: target).first {
            let done = try journal.outcomeCounts(run: open.id).total
            throw Failure("""
                \(identity.path) already has an unfinished run into \(target) in \(journal.path): run \(open.id.prefix(8)) \
                (of \(open.sourcePath)), \(RunStatus.of(open, journalPath: journal.path, holder: .free).description), \(done) of its \(open.recordCount) records have an outcome.
                  Continue it with `authgear-migrate resume --run \(open.id.prefix(8))` (a new run would send its records a second time), \
                or pass --new-run to start another run anyway.
                """)
        }
        let report = workspace.report ?? workspace.validate()
        var sendable = (0..<report.recordCount).filter { report.isSendable($0) }
        if let only { sendable = sendable.filter(only.contains) }
        let bodies = RequestBodies(workspace: workspace)
        // A canary: its first N records in batches of their own, sent (and judged) before the rest.
        let canaryCount = min(sendable.count, max(0, canary ?? 0))
        let canaryBatches = try bodies.plan(records: Array(sendable.prefix(canaryCount)), upsert: workspace.settings.upsert, maxRecords: maxRecords)
        let batches = try bodies.plan(records: Array(sendable.dropFirst(canaryCount)), upsert: workspace.settings.upsert, maxRecords: maxRecords)
        let run = RunRecord(sourcePath: identity.path, sourceSize: identity.size,
                            sourceFingerprint: identity.fingerprint, sourceFormat: workspace.index.format.rawValue,
                            mappingPath: mappingPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path },
                            editsPath: editsPath, identifier: workspace.settings.identifier.rawValue, upsert: workspace.settings.upsert,
                            endpoint: endpoint, projectID: projectID, recordCount: report.recordCount, keyField: keyField,
                            passwordsPath: passwordsPath.map { URL(fileURLWithPath: $0).standardizedFileURL.path })
        // Each planned record's key is computed as its batch row is written (no array of keys for every record).
        try journal.createRun(run, batches: batches, recordKeys: { n in RecordKey.of(record: n, in: workspace) }, canary: canaryBatches)
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

    /// Reopens a run's source with its edits, bound to the run (see `RunSource`).
    public static func openRunSource(for run: RunRecord, allowChangedSource: Bool = false) throws -> RunSource {
        try RunSource(run: run, workspace: openSource(for: run, allowChangedSource: allowChangedSource), allowChanged: allowChangedSource)
    }

    /// Reopens a run's source with its edits, refusing a source that changed since the run began
    /// (its record numbers would no longer mean the same records) unless `allowChangedSource`.
    /// `validate` false skips the validation pass (verify and rollback read records, not verdicts).
    public static func openSource(for run: RunRecord, allowChangedSource: Bool = false, validate: Bool = true) throws -> SourceWorkspace {
        var mapping: JSONValue?
        if let path = run.mappingPath {
            guard let data = FileManager.default.contents(atPath: path) else { throw Failure("\(path): cannot read the run's CSV mapping file") }
            mapping = try JSONParser.parse([UInt8](data))
        }
        let passwords = try run.passwordsPath.map { path in
            do { return try PasswordJoin.auth0(path: path) } catch {
                throw Failure("\(path): cannot read the password-hash export run \(run.id.prefix(8)) was joined to (--passwords): \(error)")
            }
        }
        let index = try RecordIndex.open(path: run.sourcePath, format: SourceFormat(rawValue: run.sourceFormat), mapping: mapping, passwords: passwords)
        try index.waitUntilComplete()
        let file = index.file
        if !allowChangedSource, file.size != run.sourceSize || file.fingerprint() != run.sourceFingerprint {
            throw Failure("""
                \(run.sourcePath) changed since run \(run.id) began (size \(run.sourceSize) → \(file.size), fingerprint \(run.sourceFingerprint) → \(file.fingerprint())): \
                record numbers would no longer mean the same records.
                  Restore the original file, or pass --allow-changed-source if you are sure the records kept their positions.
                """)
        }
        // The run's edits file: the TUI's own, or one given with --edits (possibly an exported edits file).
        let edits = FileManager.default.fileExists(atPath: run.editsPath) ? try EditsFile.load(path: run.editsPath, index: index) : EditOverlay()
        let settings = ValidationSettings(identifier: ImportIdentifier(rawValue: run.identifier) ?? .email, upsert: run.upsert)
        let workspace = SourceWorkspace(index: index, edits: edits, settings: settings)
        if validate { workspace.validate() }
        return workspace
    }

    /// Batches for `retry --failed`: the records whose latest result is `failed` (or those of them in
    /// `only`), with their current edits, that now validate; returns the batches and the records still
    /// invalid (or no longer in a changed source). Throws when `workspace` is not the run's source.
    public static func planRetryFailed(run: RunRecord, workspace: SourceWorkspace, journal: Journal, only: [Int]? = nil,
                                       maxRecords: Int = 1000) throws -> (batches: [BatchRecord], stillInvalid: [Int]) {
        try planRetryFailed(source: RunSource(run: run, workspace: workspace), journal: journal, only: only, maxRecords: maxRecords)
    }

    public static func planRetryFailed(source: RunSource, journal: Journal, only: [Int]? = nil,
                                       maxRecords: Int = 1000) throws -> (batches: [BatchRecord], stillInvalid: [Int]) {
        let run = source.run, workspace = source.workspace
        let (ready, stillInvalid) = try retryFailedCandidates(source: source, journal: journal, only: only)
        let lock = try JournalLock.acquire(journal: journal.path, command: "retry --failed")
        defer { lock.release() }
        let planned = try RequestBodies(workspace: workspace).plan(records: ready, upsert: run.upsert, maxRecords: maxRecords)
        let batches = planned.isEmpty ? [] : try journal.addBatches(run: run.id, purpose: .retryFailed, planned)
        return (batches, stillInvalid)
    }

    /// What `retry --failed` would send, without planning anything (for its confirmation): the
    /// records whose latest result is failed and that validate now, and those that still do not.
    public static func retryFailedCandidates(source: RunSource, journal: Journal, only: [Int]? = nil) throws
        -> (ready: [Int], stillInvalid: [Int]) {
        var failed = try journal.latestResults(run: source.run.id).values.filter { $0.outcome == .failed }.map(\.record).sorted()
        if let only { failed = failed.filter(Set(only).contains) }
        let report = source.workspace.report ?? source.workspace.validate()
        let sendable = { (n: Int) in source.contains(n) && n < report.recordCount && report.isSendable(n) }
        return (failed.filter(sendable), failed.filter { !sendable($0) })
    }

    /// Records whose latest result is `skipped` (user exists), for `retry --skipped`.
    public static func skippedRecords(run: RunRecord, journal: Journal) throws -> [Int] {
        try journal.latestResults(run: run.id).values.filter { $0.outcome == .skipped }.map(\.record).sorted()
    }

    /// Batches for `retry --skipped`: the given records again, with upsert = true. Throws when
    /// `workspace` is not the run's source, or a record is not in it.
    public static func planRetrySkipped(run: RunRecord, records: [Int], workspace: SourceWorkspace, journal: Journal,
                                        maxRecords: Int = 1000) throws -> [BatchRecord] {
        try planRetrySkipped(source: RunSource(run: run, workspace: workspace), records: records, journal: journal, maxRecords: maxRecords)
    }

    public static func planRetrySkipped(source: RunSource, records: [Int], journal: Journal, maxRecords: Int = 1000) throws -> [BatchRecord] {
        let run = source.run, workspace = source.workspace
        if let missing = records.first(where: { !source.contains($0) }) {
            throw Failure("record \(missing) is not in \(workspace.index.file.path) (\(source.recordCount) records): nothing was planned")
        }
        let lock = try JournalLock.acquire(journal: journal.path, command: "retry --skipped")
        defer { lock.release() }
        let planned = try RequestBodies(workspace: workspace).plan(records: records, upsert: true, maxRecords: maxRecords)
        return planned.isEmpty ? [] : try journal.addBatches(run: run.id, purpose: .retrySkipped, planned)
    }

    /// What upsert will do to existing users for these records of the run's source: per field,
    /// changed or ignored (spec §7.5). Records the source does not have count for nothing.
    public static func upsertPreview(records: [Int], source: RunSource) -> (changes: [String: Int], ignored: [String: Int]) {
        upsertPreview(records: records, settings: source.workspace.settings, record: source.record)
    }

    /// The same for records of `workspace` that are not tied to a run (a record beyond the source counts for nothing).
    public static func upsertPreview(records: [Int], workspace: SourceWorkspace) -> (changes: [String: Int], ignored: [String: Int]) {
        upsertPreview(records: records, settings: workspace.settings) { n in
            if case .replaced(let v)? = workspace.edits[n] { return v }
            if case .success(let v) = workspace.index.loadRecord(n) { return v }
            return nil
        }
    }

    private static func upsertPreview(records: [Int], settings: ValidationSettings,
                                      record: (Int) -> JSONValue?) -> (changes: [String: Int], ignored: [String: Int]) {
        var changes: [String: Int] = [:]
        var ignored: [String: Int] = [:]
        for n in records {
            guard case .object(let members)? = record(n) else { continue }
            for m in members where m.key != settings.identifier.field {
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
