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

    /// One source record's state in the run (entry k is record k): 24 bytes, so a million fit.
    struct Entry {
        /// 0 inserted, 1 updated, 2 skipped, 3 failed, 4 an unknown outcome, 5 pending, 6 invalid, 7 excluded.
        var code: UInt8
        var userID: String?

        static let states = ["inserted", "updated", "skipped", "failed", "unknown outcome", "pending", "invalid", "excluded"]

        init(outcome: Outcome, userID: String?) {
            switch outcome {
            case .inserted: code = 0
            case .updated: code = 1
            case .skipped: code = 2
            case .failed: code = 3
            case .other: code = 4
            }
            self.userID = userID
        }

        init(state: String) {
            code = UInt8(Self.states.firstIndex(of: state) ?? 5)
            userID = nil
        }

        /// The successful outcome to check, or nil (failed, unknown, never sent).
        var outcome: Outcome? {
            switch code {
            case 0: return .inserted
            case 1: return .updated
            case 2: return .skipped
            default: return nil
            }
        }

        var state: String { Self.states[Int(code)] }
    }

    let run: RunRecord
    let workspace: SourceWorkspace
    let graphQL: AdminGraphQLClient
    let export: UserExportClient
    let comparison: RecordComparison
    public var lookupLimit = RunVerifier.defaultLookupLimit
    /// Read an export whatever the run's size (tests).
    public var alwaysExport = false
    let onProblem: (VerifyProblem) -> Void
    let onEvent: (VerifyEvent) -> Void
    var summary = VerifySummary()
    var entries: [Entry] = []

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
        let toCheck = entries.filter { $0.outcome != nil }.count
        if alwaysExport || toCheck > lookupLimit {
            do {
                try await verifyWithExport()
                return summary
            } catch UserExportError.disabled {
                onEvent(.notice("the server's user export is disabled (HTTP 500 UserExportDisabled): looking up all \(entries.count.groupedDigits) records one by one instead"))
                summary = VerifySummary()
                try await verifyWithLookups(estimate: true)
                return summary
            }
        }
        try await verifyWithLookups(estimate: false)
        return summary
    }

    // MARK: - Entries

    func loadEntries(_ journal: Journal) throws {
        let report = workspace.report ?? workspace.validate()
        entries = [Entry](repeating: Entry(state: "pending"), count: report.recordCount)
        var hasResult = [Bool](repeating: false, count: report.recordCount)
        try journal.forEachLatestResult(run: run.id) { record, outcome, userID in
            guard record < entries.count else { return }
            entries[record] = Entry(outcome: outcome, userID: userID)
            hasResult[record] = true
        }
        for n in 0..<report.recordCount where !hasResult[n] {
            entries[n] = Entry(state: report.status[n] == .excluded ? "excluded" : (report.isSendable(n) ? "pending" : "invalid"))
        }
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
        let e = entries[k]
        guard let outcome = e.outcome else { return }
        summary.checked += 1
        let record = sentRecord(k) ?? .object([])
        let identifier = record[workspace.settings.identifier.field]?.stringValue
        for field in RecordComparison.uncheckable(record, outcome: outcome, exposesTOTP: user?.totpSecrets != nil) {
            summary.uncheckable[field, default: 0] += 1
        }
        guard let user else {
            summary.missing += 1
            let other = byIdentifier.map { " (the identifier now belongs to user \($0.id))" } ?? ""
            onProblem(VerifyProblem(kind: .missing, record: k, line: line(k), identifier: identifier, state: e.state,
                                    userID: e.userID, differences: [], message: "no user \(e.userID ?? "?") in the project\(other)"))
            return
        }
        let fully = outcome == .inserted || outcome == .updated
        let differences = comparison.differences(record: record, outcome: outcome, user: user, fully: fully)
        if differences.isEmpty {
            summary.verified += 1
            return
        }
        summary.mismatched += 1
        let fields = differences.map(\.field).joined(separator: ", ")
        onProblem(VerifyProblem(kind: .mismatched, record: k, line: line(k), identifier: identifier, state: e.state,
                                userID: user.id, differences: differences, message: "user \(user.id) differs in \(fields)"))
    }

    /// Reports entry `k` (failed / never sent) whose identifier is `user` in the project.
    func foundThoughFailed(_ k: Int, user: ProjectUser) {
        let e = entries[k]
        summary.existsAlthoughFailed += 1
        let identifier = sentRecord(k)?[workspace.settings.identifier.field]?.stringValue
        let why = e.state == "failed" ? "the run failed" : "the run did not send it (\(e.state))"
        onProblem(VerifyProblem(kind: .existsAlthoughFailed, record: k, line: line(k), identifier: identifier, state: e.state,
                                userID: user.id, differences: [],
                                message: "user \(user.id) exists although \(why): it existed before, or an attempt whose outcome was unknown created it"))
    }

    // MARK: - Lookups

    var loginIDKey: String {
        workspace.settings.project.loginIDKey(for: workspace.settings.identifier.loginIDType)?.key
            ?? workspace.settings.identifier.loginIDType.rawValue
    }

    /// The user holding the record's identifier, looked up by login ID; nil when none (or the
    /// record's identifier is not a valid login ID).
    func lookUpByIdentifier(_ n: Int) async throws -> ProjectUser? {
        guard let record = sentRecord(n), let value = comparison.normalizedIdentifier(record) else { return nil }
        do {
            return try await graphQL.userByLoginID(key: loginIDKey, value: value)
        } catch let error where error.reason == "GetUsersInvalidArgument" {
            return nil
        }
    }

    /// Looks entry `k` up: by login ID, then by its user_id when the identifier's user is another one.
    func lookUp(_ k: Int) async throws {
        let e = entries[k]
        let holder = try await lookUpByIdentifier(k)
        guard e.outcome != nil else {
            summary.failedLookedFor += 1
            if let holder { foundThoughFailed(k, user: holder) }
            return
        }
        if let holder, e.userID == nil || holder.id == e.userID {
            judge(k, user: holder, byIdentifier: holder)
            return
        }
        let byID: ProjectUser? = if let id = e.userID { try await graphQL.user(id: id) } else { nil }
        judge(k, user: byID, byIdentifier: holder)
    }

    func verifyWithLookups(estimate: Bool) async throws {
        summary.method = "lookups"
        let total = entries.count
        let started = Date()
        for k in entries.indices {
            try Task.checkCancellation()
            try await lookUp(k)
            let done = k + 1
            if estimate, done == min(50, total), done < total {
                let perRecord = Date().timeIntervalSince(started) / Double(done)
                let seconds = Int((perRecord * Double(total - done)).rounded(.up))
                onEvent(.notice("about \(Self.duration(seconds)) more at the measured \(String(format: "%.1f", perRecord * 1000)) ms per record"))
            }
            if done % 100 == 0 || done == total { onEvent(.progress(phase: "looking up users", done: done, total: total)) }
        }
    }

    static func duration(_ seconds: Int) -> String {
        if seconds < 90 { return "\(seconds) s" }
        if seconds < 5400 { return "\((seconds + 30) / 60) min" }
        return String(format: "%.1f h", Double(seconds) / 3600)
    }
}
