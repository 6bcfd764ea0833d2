import AuthgearAPI
import Foundation
import MigrationCore

/// Proves what a run left in the project: every record with an outcome is a user with the
/// journal's user_id and the identifier, and inserted/updated users hold what was sent; failed
/// and never-sent records whose identifier is a user are reported.
///
/// Small runs (at most ``lookupLimit`` records to check) look users up by login ID over
/// GraphQL. Larger ones read one user export, then look up by login ID whatever the export
/// seems to miss (its pages can skip users, export spec §7) before calling it missing. An
/// export that is disabled falls back to lookups, with an estimate of how long they take.
public final class RunVerifier: @unchecked Sendable {
    public static let defaultLookupLimit = 1000

    let run: RunRecord
    let workspace: SourceWorkspace
    let graphQL: AdminGraphQLClient
    let export: UserExportClient
    let comparison: RecordComparison
    public var lookupLimit = RunVerifier.defaultLookupLimit
    /// Read an export whatever the run's size (tests).
    public var alwaysExport = false
    /// Login-ID lookups in flight at once (small runs, an export's misses, a disabled export).
    public var lookupConcurrency = 6
    /// How lookups wait and retry when the server asks to slow down (429) or fails for a while.
    public var retry = LookupRetry()
    let onProblem: (VerifyProblem) -> Void
    let onEvent: (VerifyEvent) -> Void
    var summary = VerifySummary()
    var entries = VerifyEntries(count: 0)
    var customAttributes = CustomAttributeEvidence()

    public init(run: RunRecord, workspace: SourceWorkspace, graphQL: AdminGraphQLClient, export: UserExportClient,
                onProblem: @escaping (VerifyProblem) -> Void, onEvent: @escaping (VerifyEvent) -> Void = { _ in }) {
        self.run = run
        self.workspace = workspace
        self.graphQL = graphQL
        self.export = export
        self.comparison = RecordComparison(identifier: workspace.settings.identifier, project: workspace.settings.project)
        self.onProblem = onProblem
        self.onEvent = onEvent
    }

    /// Verifies the run and returns the totals; problems go to `onProblem` as they are found.
    /// Throws when it cannot run (journal, export quota or failure, refused credentials).
    public func verify(journal: Journal) async throws -> VerifySummary {
        try loadEntries(journal)
        let toCheck = entries.indices.lazy.filter { self.entries.outcome($0) != nil }.count
        if alwaysExport || toCheck > lookupLimit {
            do {
                try await verifyWithExport()
                finish()
                return summary
            } catch UserExportError.disabled {
                onEvent(.notice("the server's user export is disabled (HTTP 500 UserExportDisabled): looking up all \(entries.count.groupedDigits) records one by one instead"))
                summary = VerifySummary()
                customAttributes = CustomAttributeEvidence()
                try await verifyWithLookups(estimate: true)
                finish()
                return summary
            }
        }
        try await verifyWithLookups(estimate: false)
        finish()
        return summary
    }

    // MARK: - Entries

    /// Each record's state from the journal alone: its latest result, else `pending` when a batch
    /// planned it, `excluded` when an edit excludes it, `invalid` otherwise (the run did not send
    /// it). No validation pass: a million records cost one read of the journal.
    func loadEntries(_ journal: Journal) throws {
        let count = workspace.index.count
        entries = VerifyEntries(count: count)
        for (k, change) in workspace.edits.changes where k < count && change == .excluded { entries.setWithoutResult(k, state: 7) }
        try journal.forEachPlannedRecord(run: run.id) { k in
            if k < count { entries.setWithoutResult(k, state: 5) }
        }
        try journal.forEachLatestResultUser(run: run.id) { k, outcome, user in
            guard k < count else { return }
            switch user {
            case .none: entries.set(k, outcome: outcome, userID: nil)
            case .uuid(let ref): entries.set(k, outcome: outcome, ref: ref)
            case .text(let id): entries.set(k, outcome: outcome, userID: id)
            }
        }
        try journal.forEachLatestDuplicateFailure(run: run.id) { k in
            if k < count, entries.state(k) == "failed" { entries.markDuplicateFailure(k) }
        }
        entries.index()
    }

    /// The record as it was sent (its edits applied).
    func sentRecord(_ n: Int) -> JSONValue? {
        if case .replaced(let v)? = workspace.edits[n] { return v }
        if case .success(let v) = workspace.index.loadRecord(n) { return v }
        return nil
    }

    func line(_ n: Int) -> Int { Int(workspace.index.span(n).line) }

    // MARK: - Judging one record

    /// Judges entry `k` against `user` (the user with its user_id, or nil when there is none);
    /// `byIdentifier` is the user holding the identifier when `user` is nil or lost it.
    func judge(_ k: Int, user: ProjectUser?, byIdentifier: ProjectUser?) {
        guard let outcome = entries.outcome(k) else { return }
        summary.checked += 1
        let record = sentRecord(k) ?? .object([])
        let identifier = record[workspace.settings.identifier.field]?.stringValue
        for field in RecordComparison.uncheckable(record, outcome: outcome, exposesTOTP: user?.totpSecrets != nil) {
            summary.uncheckable[field, default: 0] += 1
            summary.uncheckableReasons[field] = field == "mfa.totp.secret"
                ? "Admin GraphQL lookups do not expose TOTP secrets (only an export does)"
                : "the server never exports password hashes"
        }
        guard let user else {
            summary.missing += 1
            let other = byIdentifier.map { " (the identifier now belongs to user \($0.id))" } ?? ""
            onProblem(VerifyProblem(kind: .missing, record: k, line: line(k), identifier: identifier, state: entries.state(k),
                                    userID: entries.userID(k), differences: [], message: "no user \(entries.userID(k) ?? "?") in the project\(other)"))
            return
        }
        customAttributes.observe(user)
        let fully = outcome == .inserted || outcome == .updated
        var undecided: [String] = []
        let evidence = customAttributes
        let differences = comparison.differences(record: record, outcome: outcome, user: user, fully: fully,
                                                 customAttributeDefined: { evidence.isDefined($0) }, undecided: &undecided)
        if !undecided.isEmpty { customAttributes.wait(k, names: undecided, mismatched: !differences.isEmpty) }
        if differences.isEmpty {
            if undecided.isEmpty { summary.verified += 1 }
            return
        }
        summary.mismatched += 1
        reportMismatch(k, userID: user.id, identifier: identifier, differences)
    }

    func reportMismatch(_ k: Int, userID: String, identifier: String?, _ differences: [FieldDifference]) {
        let fields = differences.map(\.field).joined(separator: ", ")
        onProblem(VerifyProblem(kind: .mismatched, record: k, line: line(k), identifier: identifier, state: entries.state(k),
                                userID: userID, differences: differences, message: "user \(userID) differs in \(fields)"))
    }

    /// Settles the records whose verdict waited for what the project defines (custom attributes
    /// sent to users lacking them before any user was seen holding them).
    func finish() {
        let (missing, unseen) = customAttributes.decide()
        for k in customAttributes.undecidedRecords.map(Int.init).sorted() where missing[k] == nil { summary.verified += 1 }
        for (k, names) in missing.sorted(by: { $0.key < $1.key }) {
            let record = sentRecord(k)
            let differences = names.map { name in
                FieldDifference(field: "custom_attributes.\(name)", sent: record?["custom_attributes"]?[name]?.jsonText, found: nil)
            }
            if !customAttributes.wasMismatched(k) { summary.mismatched += 1 }
            reportMismatch(k, userID: entries.userID(k) ?? "?", identifier: record?[workspace.settings.identifier.field]?.stringValue, differences)
        }
        for (name, count) in unseen {
            let field = "custom_attributes.\(name)"
            summary.uncheckable[field, default: 0] += count
            summary.uncheckableReasons[field] = "no user in the project holds it, so the project most likely does not define it "
                + "(the server drops custom attributes it does not define without a warning), or every user lost it since"
        }
    }

    /// Reports entry `k` (failed / never sent) whose identifier is `user` in the project.
    func foundThoughFailed(_ k: Int, user: ProjectUser) {
        summary.existsAlthoughFailed += 1
        let state = entries.state(k)
        let identifier = sentRecord(k)?[workspace.settings.identifier.field]?.stringValue
        let why = state == "failed" ? "the run failed" : "the run did not send it (\(state))"
        onProblem(VerifyProblem(kind: .existsAlthoughFailed, record: k, line: line(k), identifier: identifier, state: state,
                                userID: user.id, differences: [],
                                message: "user \(user.id) exists although \(why): it existed before, or an attempt whose outcome was unknown created it"))
    }
}
