import AuthgearAPI
import Foundation

/// What the engine needs from the server, in the engine's own terms. `ClientImportService`
/// adapts the real `ImportClient`; tests may use fakes.
public protocol ImportService: Sendable {
    /// POSTs one request body; answers the job (normally pending).
    func create(body: [UInt8]) async throws(ServiceError) -> JobSnapshot
    /// GETs a job.
    func get(id: String) async throws(ServiceError) -> JobSnapshot
}

/// A job as the engine sees it.
public struct JobSnapshot: Sendable, Equatable {
    public var id: String
    public var completed: Bool
    public var details: [JobDetail]
    /// The job-level error of a crashed task (its records are missing from `details`).
    public var jobError: String?

    public init(id: String, completed: Bool, details: [JobDetail] = [], jobError: String? = nil) {
        self.id = id
        self.completed = completed
        self.details = details
        self.jobError = jobError
    }
}

/// One record's result inside a job (the record echo is deliberately not kept).
public struct JobDetail: Sendable, Equatable {
    public var index: Int
    public var outcome: Outcome
    public var userID: String?
    public var warnings: [String]
    public var errorReason: String?
    public var errorMessage: String?
    /// The error's `info.cause.kind` (e.g. `DuplicatedIdentity`).
    public var errorCause: String?
    /// The error object as JSON text (cause kind etc.), for reports.
    public var errorJSON: String?

    public init(index: Int, outcome: Outcome, userID: String?, warnings: [String], errorReason: String? = nil,
                errorMessage: String? = nil, errorCause: String? = nil, errorJSON: String? = nil) {
        self.index = index
        self.outcome = outcome
        self.userID = userID
        self.warnings = warnings
        self.errorReason = errorReason
        self.errorMessage = errorMessage
        self.errorCause = errorCause
        self.errorJSON = errorJSON
    }

    /// Whether this failure can come from two jobs racing for the same user (after a re-send).
    public var isRaceFailure: Bool {
        outcome == .failed && (errorReason == "UnexpectedError" || errorCause == "DuplicatedIdentity")
    }
}

/// Failures of a request, classified by what the engine must do about them.
public enum ServiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 403, a key that cannot sign, a wrong endpoint or a TLS certificate that is refused:
    /// nothing will work until the settings change. Stop the run and explain (exit 2).
    case forbidden(String)
    /// 429 UsageLimitExceeded: pause until the quota resets.
    case quota(period: String, resetsAt: Date?)
    /// 429 with Retry-After, not processed: try again later.
    case rateLimited(after: Double?, message: String)
    /// 404 TaskNotFound: unknown or older than 24 h.
    case notFound(String)
    /// The request certainly did not reach the server.
    case notSent(String)
    /// The request may have been processed (timeout/reset after sending, or a 5xx to a POST).
    case outcomeUnknown(String)
    /// 5xx to a GET, or other transient trouble where nothing was changed.
    case transient(String)
    /// Any other 4xx: the request itself is wrong; sending it again cannot help.
    case rejected(String)
    case cancelled

    public var description: String {
        switch self {
        case .forbidden(let m), .notFound(let m), .notSent(let m), .outcomeUnknown(let m), .transient(let m), .rejected(let m): return m
        case .rateLimited(_, let m): return m
        case .quota(let period, _): return "usage quota (\(period)) exceeded"
        case .cancelled: return "cancelled"
        }
    }
}
