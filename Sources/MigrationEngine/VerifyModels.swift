import AuthgearAPI
import MigrationCore

/// What verify found wrong with one record.
public struct VerifyProblem: Sendable, Equatable {
    public enum Kind: String, Sendable {
        /// No user with the journal's user_id (and none with the identifier).
        case missing
        /// The user exists but a field differs from what was sent (or it lost the identifier).
        case mismatched
        /// A record that failed or was never sent, whose identifier is a user in the project.
        case existsAlthoughFailed = "exists_although_failed"
    }

    public var kind: Kind
    public var record: Int
    public var line: Int
    /// The record's identifier as sent (not secret).
    public var identifier: String?
    /// The record's state in the run (`inserted`, `failed`, `invalid`…).
    public var state: String
    /// The journal's user_id, or the id of the user found (exists although failed).
    public var userID: String?
    public var differences: [FieldDifference]
    /// One sentence for the record (e.g. which other user now has the identifier).
    public var message: String
}

/// Totals of a verification.
public struct VerifySummary: Sendable, Equatable {
    /// Records with a successful outcome that were checked.
    public var checked = 0
    public var verified = 0
    public var missing = 0
    public var mismatched = 0
    /// Failed or never-sent records whose identifier is a user in the project.
    public var existsAlthoughFailed = 0
    /// Failed or never-sent records looked for.
    public var failedLookedFor = 0
    /// Fields no verification can check, with how many records sent them (`password`: 40).
    public var uncheckable: [String: Int] = [:]
    /// Why each field of ``uncheckable`` could not be checked, in one sentence.
    public var uncheckableReasons: [String: String] = [:]
    /// How the users were read: `lookups` or `export`.
    public var method = "lookups"
    /// Users the export did not contain that were looked up one by one (page-edge skips).
    public var exportMissed = 0

    public var allVerified: Bool { missing == 0 && mismatched == 0 }
}

/// Progress and notices while verifying (the command prints them on stderr).
public enum VerifyEvent: Sendable {
    /// `phase` (`looking up`, `downloading export`, …): `done` of `total` (total 0 = unknown).
    case progress(phase: String, done: Int, total: Int)
    /// Something the operator should read (a fallback, an estimate).
    case notice(String)
}
