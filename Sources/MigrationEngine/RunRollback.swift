import AuthgearAPI
import Foundation
import MigrationCore

/// Undoes a rehearsal: deletes exactly the users a run inserted — never the ones it updated or
/// skipped — and only while each still has the login ID it was created with.
///
/// Every deletion is journaled right after the server committed it, at most 5 per GraphQL
/// request (the server's mutation limit; a request is all or nothing). A rollback killed at any
/// point resumes: a user already deleted is found gone and journaled as such. Users left alone
/// are journaled with why, so a second rollback has nothing left to do (it lists them).
public final class RunRollback: @unchecked Sendable {
    public struct LeftAlone: Sendable, Equatable {
        public var record: Int
        public var userID: String
        public var reason: String
    }

    public struct Summary: Sendable, Equatable {
        /// Users this rollback deleted.
        public var deleted = 0
        /// Users found gone (or settled by an earlier rollback).
        public var alreadyGone = 0
        public var settledEarlier = 0
        /// Users this rollback left alone (journaled, so a later rollback does not look again).
        public var leftAlone: [LeftAlone] = []
        /// Deletions the server refused (after retrying one by one); not journaled: a later
        /// rollback tries them again.
        public var failed: [LeftAlone] = []
        /// Users an earlier rollback of this run left alone (listed, not looked at again).
        public var leftAloneEarlier: [LeftAlone] = []
    }

    let run: RunRecord
    let workspace: SourceWorkspace
    let journal: Journal
    let graphQL: AdminGraphQLClient
    let comparison: RecordComparison
    let onProgress: (Int, Int) -> Void

    public init(run: RunRecord, workspace: SourceWorkspace, journal: Journal, graphQL: AdminGraphQLClient,
                onProgress: @escaping (Int, Int) -> Void = { _, _ in }) {
        self.run = run
        self.workspace = workspace
        self.journal = journal
        self.graphQL = graphQL
        self.comparison = RecordComparison(identifier: workspace.settings.identifier, project: workspace.settings.project)
        self.onProgress = onProgress
    }

    /// The users the run inserted and what was already done to them.
    public func candidates() throws -> [RollbackCandidate] { try journal.rollbackCandidates(run: run.id) }

    /// Deletes what is still to delete. Throws when it cannot go on (credentials, journal).
    public func execute() async throws -> Summary {
        var summary = Summary()
        let all = try candidates()
        summary.settledEarlier = all.filter { $0.disposition != nil }.count
        summary.leftAloneEarlier = Self.leftAlone(all)
        let open = all.filter { $0.disposition == nil }
        var group: [RollbackCandidate] = []
        var done = 0
        for c in open {
            try Task.checkCancellation()
            done += 1
            let user = try await graphQL.user(id: c.userID)
            guard let user else {
                try journal.recordRollback(run: run.id, [(c.record, c.userID, .gone)])
                summary.alreadyGone += 1
                continue
            }
            let type = workspace.settings.identifier.loginIDType.rawValue
            let record = sentRecord(c.record)
            guard let expected = record.flatMap(comparison.normalizedIdentifier) else {
                try leaveAlone(c, reason: "the record's identifier cannot be read from the source", into: &summary)
                continue
            }
            guard user.loginIDValues(type: type).contains(expected) else {
                let now = user.loginIDValues(type: type)
                try leaveAlone(c, reason: "no longer has the login ID \(expected) it was created with (now: \(now.isEmpty ? "none" : now.joined(separator: ", ")))",
                               into: &summary)
                continue
            }
            group.append(c)
            if group.count == AdminGraphQLError.mutationLimit {
                try await delete(group, into: &summary)
                group.removeAll()
            }
            onProgress(done, open.count)
        }
        try await delete(group, into: &summary)
        onProgress(open.count, open.count)
        return summary
    }

    /// Journals `c` as left alone at once (a killed rollback does not look at it again) and lists it.
    private func leaveAlone(_ c: RollbackCandidate, reason: String, into summary: inout Summary) throws {
        try journal.recordRollback(run: run.id, [RollbackCandidate(record: c.record, userID: c.userID, disposition: .leftAlone, reason: reason)])
        summary.leftAlone.append(LeftAlone(record: c.record, userID: c.userID, reason: reason))
    }

    /// The users of `candidates` a rollback left alone, with why.
    public static func leftAlone(_ candidates: [RollbackCandidate]) -> [LeftAlone] {
        candidates.filter { $0.disposition == .leftAlone }.map { LeftAlone(record: $0.record, userID: $0.userID, reason: $0.reason ?? "left alone") }
    }

    /// Deletes `group` in one request; on an error (the server kept nothing) one by one.
    func delete(_ group: [RollbackCandidate], into summary: inout Summary) async throws {
        guard !group.isEmpty else { return }
        do {
            _ = try await graphQL.deleteUsers(group.map(\.userID))
            try journal.recordRollback(run: run.id, group.map { ($0.record, $0.userID, .deleted) })
            summary.deleted += group.count
            return
        } catch let error as AdminGraphQLError {
            guard case .execution = error, group.count > 1 else {
                if case .execution = error { try settleSingle(group[0], error, into: &summary); return }
                throw error
            }
        }
        for c in group {
            do {
                _ = try await graphQL.deleteUsers([c.userID])
                try journal.recordRollback(run: run.id, [(c.record, c.userID, .deleted)])
                summary.deleted += 1
            } catch let error as AdminGraphQLError {
                guard case .execution = error else { throw error }
                try settleSingle(c, error, into: &summary)
            }
        }
    }

    private func settleSingle(_ c: RollbackCandidate, _ error: AdminGraphQLError, into summary: inout Summary) throws {
        if error.reason == "UserNotFound" {
            try journal.recordRollback(run: run.id, [(c.record, c.userID, .gone)])
            summary.alreadyGone += 1
        } else {
            summary.failed.append(LeftAlone(record: c.record, userID: c.userID, reason: error.description))
        }
    }

    func sentRecord(_ n: Int) -> JSONValue? {
        if case .replaced(let v)? = workspace.edits[n] { return v }
        if case .success(let v) = workspace.index.loadRecord(n) { return v }
        return nil
    }
}
