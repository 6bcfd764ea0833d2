import AuthgearAPI
import Foundation
import MigrationCore

/// What re-running skipped users with upsert will really change: their current values read
/// from the project, compared field by field with the records (before `retry --skipped` and
/// the TUI's `U`).
public struct UpsertPreview: Sendable, Equatable {
    /// One field that upsert changes for some users.
    public struct FieldChange: Sendable, Equatable {
        public var field: String
        /// How many users it changes.
        public var users: Int
        /// One example: the record number and its old → new values (JSON text; secrets masked; nil = absent).
        public var exampleRecord: Int
        public var old: String?
        public var new: String?

        public init(field: String, users: Int, exampleRecord: Int, old: String?, new: String?) {
            (self.field, self.users, self.exampleRecord, self.old, self.new) = (field, users, exampleRecord, old, new)
        }
    }

    public var changes: [FieldChange] = []
    /// Fields the server ignores for existing users (password, mfa.password, mfa.totp), with counts.
    public var ignored: [String: Int] = [:]
    /// Users whose values change / stay as they are.
    public var changing = 0
    public var unchanged = 0
    /// Skipped records whose user was not found (deleted since, or no user_id in the journal).
    public var notFound: [Int] = []
    /// Custom attributes the records send that no user read holds, with how many records send
    /// them: whether the project defines them cannot be known (the server drops the others
    /// without a word), so whether upsert changes anything there cannot either.
    public var undecidedAttributes: [String: Int] = [:]

    /// "N users will change, M unchanged" and one line per field.
    public var lines: [String] {
        var out = ["\(changing.counted("user")) will change, \(unchanged.groupedDigits) unchanged"]
        for c in changes {
            out.append("  \(c.field): \(c.users.counted("user")), e.g. record \(c.exampleRecord): \(c.old ?? "(absent)") → \(c.new ?? "(absent)")")
        }
        if !undecidedAttributes.isEmpty {
            out.append("  not known whether the project defines (no user holds them; the server drops undefined ones): "
                       + undecidedAttributes.sorted { $0.key < $1.key }.map { "custom_attributes.\($0.key) (\($0.value.groupedDigits))" }.joined(separator: ", "))
        }
        if !ignored.isEmpty {
            out.append("  IGNORED by the server for existing users (no warning): "
                       + ignored.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.groupedDigits))" }.joined(separator: ", "))
        }
        if !notFound.isEmpty {
            out.append("  \(notFound.count.counted("skipped user")) not found in the project (records \(notFound.prefix(10).map(String.init).joined(separator: ", ")))")
        }
        return out
    }

    /// Reads the current values of the users of `records` (skipped in `run`) and compares them
    /// with the records as they would be sent. `progress(done, total)` after each user.
    public static func compute(run: RunRecord, records: [Int], workspace: SourceWorkspace, journal: Journal, graphQL: AdminGraphQLClient,
                               progress: (Int, Int) -> Void = { _, _ in }) async throws -> UpsertPreview {
        var preview = UpsertPreview()
        preview.ignored = RunCoordinator.upsertPreview(records: records, workspace: workspace).ignored
        var userIDs: [Int: String] = [:]
        let wanted = Set(records)
        try journal.forEachLatestResult(run: run.id) { n, _, id in if wanted.contains(n), let id { userIDs[n] = id } }
        let comparison = RecordComparison(identifier: workspace.settings.identifier, project: workspace.settings.project)
        var byField: [String: FieldChange] = [:]
        var order: [String] = []
        func count(_ field: String, record n: Int, old: String?, new: String?) {
            if byField[field] == nil {
                order.append(field)
                byField[field] = FieldChange(field: field, users: 0, exampleRecord: n, old: old, new: new)
            }
            byField[field]!.users += 1
        }
        // Which custom attributes the project defines is learnt from the users read, as verify
        // learns it (the Admin API carries defined attributes only): a sent attribute a user
        // lacks changes that user once some user holds it; until then its verdict waits.
        var evidence = CustomAttributeEvidence()
        for (k, n) in records.enumerated() {
            try Task.checkCancellation()
            defer { progress(k + 1, records.count) }
            guard let record = sentRecord(n, workspace), let id = userIDs[n], let user = try await graphQL.user(id: id) else {
                preview.notFound.append(n)
                continue
            }
            evidence.observe(user)
            var undecided: [String] = []
            // Upsert ignores the TOTP secret: compare as an update, which never looks at it.
            let differences = comparison.differences(record: record, outcome: .updated, user: user, fully: true,
                                                     customAttributeDefined: evidence.isDefined, undecided: &undecided)
                .filter { $0.field != workspace.settings.identifier.field }
            if !undecided.isEmpty { evidence.wait(n, names: undecided, mismatched: !differences.isEmpty) }
            for d in differences { count(d.field, record: n, old: d.found, new: d.sent) }
            if !differences.isEmpty { preview.changing += 1 } else if undecided.isEmpty { preview.unchanged += 1 }
        }
        let decided = evidence.decide()
        for n in decided.missingOnRecord.keys.sorted() {
            let record = sentRecord(n, workspace)
            for name in decided.missingOnRecord[n]! {
                count("custom_attributes.\(name)", record: n, old: nil, new: record?["custom_attributes"]?[name]?.jsonText)
            }
            if !evidence.wasMismatched(n) { preview.changing += 1 }
        }
        preview.unchanged += evidence.undecidedRecords.filter { decided.missingOnRecord[Int($0)] == nil }.count
        preview.undecidedAttributes = decided.unseen
        preview.changes = order.compactMap { byField[$0] }.sorted { ($1.users, $0.field) < ($0.users, $1.field) }
        return preview
    }

    static func sentRecord(_ n: Int, _ workspace: SourceWorkspace) -> JSONValue? {
        if case .replaced(let v)? = workspace.edits[n] { return v }
        if case .success(let v) = workspace.index.loadRecord(n) { return v }
        return nil
    }
}
