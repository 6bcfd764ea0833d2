import AuthgearAPI
import Foundation

/// One migration run as the journal keeps it.
public struct RunRecord: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Still has batches to send or jobs to poll.
        case active
        /// Stopped on purpose until `resume` (usage quota, Ctrl-C, auth refused).
        case paused
        /// Every batch of every pass is completed.
        case finished
    }

    public var id: String
    public var createdAt: Date
    public var sourcePath: String
    public var sourceSize: Int
    public var sourceFingerprint: String
    public var sourceFormat: String
    public var mappingPath: String?
    public var editsPath: String
    public var identifier: String
    public var upsert: Bool
    public var endpoint: String
    public var projectID: String
    public var recordCount: Int
    public var state: State
    public var pausedReason: String?
    /// The source's own user id (`--key-field`: a JSON pointer, or a CSV column), carried into reports.
    public var keyField: String?
    /// The Auth0 password-hash export joined to the source (`--passwords`): resume and retry join it again.
    public var passwordsPath: String?

    public init(id: String = UUID().uuidString.lowercased(), createdAt: Date = Date(), sourcePath: String, sourceSize: Int,
                sourceFingerprint: String, sourceFormat: String, mappingPath: String?, editsPath: String, identifier: String,
                upsert: Bool, endpoint: String, projectID: String, recordCount: Int, state: State = .active, pausedReason: String? = nil,
                keyField: String? = nil, passwordsPath: String? = nil) {
        self.id = id
        self.createdAt = createdAt
        self.sourcePath = sourcePath
        self.sourceSize = sourceSize
        self.sourceFingerprint = sourceFingerprint
        self.sourceFormat = sourceFormat
        self.mappingPath = mappingPath
        self.editsPath = editsPath
        self.identifier = identifier
        self.upsert = upsert
        self.endpoint = endpoint
        self.projectID = projectID
        self.recordCount = recordCount
        self.state = state
        self.pausedReason = pausedReason
        self.keyField = keyField
        self.passwordsPath = passwordsPath
    }
}

/// Why a batch exists.
public enum BatchPurpose: String, Sendable, Codable {
    /// The first pass over the source.
    case initial
    /// `retry --failed`: failed records again, with their edits.
    case retryFailed = "retry_failed"
    /// `retry --skipped`: skipped users again with upsert.
    case retrySkipped = "retry_skipped"
    /// Records whose results were lost (crashed task, job expired, race after an unknown
    /// outcome): sent again exactly as in the batch they came from (same upsert), so that the
    /// server settles each one (an insert skips a user that now exists; an upsert applies the
    /// same update again) and answers with its user_id.
    case recovery
    /// The first records of a run sent alone (`--canary N`): the runner stops after them (paused,
    /// reason "canary") when asked to, for a go / no-go before the rest.
    case canary
}

/// One import request of a run, and how far it got.
public struct BatchRecord: Sendable, Equatable {
    public enum State: String, Sendable, Codable {
        /// Written down, not sent yet.
        case planned
        /// Committed just before its POST: if the journal still says this after a crash, the
        /// POST's outcome is unknown.
        case sending
        /// The server answered with a job id; results are being polled.
        case sent
        /// Every record of the batch has a result (or was moved to a recovery batch).
        case completed
    }

    public var id: Int64
    public var runID: String
    public var purpose: BatchPurpose
    public var upsert: Bool
    /// Source record numbers; position k is `details[].index == k`.
    public var records: [Int]
    /// SHA-256 of the body as first sent (nil until then): a re-send must be these exact bytes.
    public var bodySHA256: String?
    /// The body's exact size as planned; the bytes built to send must have it.
    public var bodySize: Int
    public var state: State
    public var jobID: String?
    public var attempts: Int
    /// When a POST of this batch last ended with an unknown outcome (its users may exist).
    public var interruptedAt: Date?
    /// When the last POST of this batch started (its time is the one to report if that POST's outcome is unknown).
    public var lastAttemptAt: Date?
    public var sentAt: Date?
    public var completedAt: Date?
    public var lastError: String?
}

/// What the server said about one record in one batch.
public struct RecordResult: Sendable, Equatable {
    public var record: Int
    public var batchID: Int64
    public var outcome: Outcome
    public var userID: String?
    public var warnings: [String]
    public var errorReason: String?
    public var errorMessage: String?
    /// The server's error object (no record echo, which is never stored).
    public var errorJSON: String?
    /// Set on a `skipped` record of a batch re-sent after an unknown outcome: the user may
    /// have been created by that interrupted attempt (at this time) rather than before the run.
    public var possiblyCreatedAt: Date?
    public var recordedAt: Date

    public init(record: Int, batchID: Int64, outcome: Outcome, userID: String?, warnings: [String], errorReason: String?,
                errorMessage: String?, errorJSON: String?, possiblyCreatedAt: Date?, recordedAt: Date = Date()) {
        self.record = record
        self.batchID = batchID
        self.outcome = outcome
        self.userID = userID
        self.warnings = warnings
        self.errorReason = errorReason
        self.errorMessage = errorMessage
        self.errorJSON = errorJSON
        self.possiblyCreatedAt = possiblyCreatedAt
        self.recordedAt = recordedAt
    }
}
