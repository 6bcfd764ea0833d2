import AuthgearAPI
import Foundation

/// What the engine needs from the server: the import client's own `ImportJob` answers (the one
/// type of a job and its per-record `ImportDetail`s). `ClientImportService` adapts the real
/// `ImportClient` and classifies its failures; tests may use fakes.
public protocol ImportService: Sendable {
    /// POSTs one request body; answers the job (normally pending).
    func create(body: [UInt8]) async throws(ServiceError) -> ImportJob
    /// GETs a job.
    func get(id: String) async throws(ServiceError) -> ImportJob
}

extension ImportDetail {
    /// The record's error (a failed record has exactly one, spec §9.3).
    var error: APIErrorBody? { errors.first }

    /// Whether this failure can come from two jobs racing for the same user (after a re-send):
    /// read from the error's typed reason and cause.
    var isRaceFailure: Bool {
        outcome == .failed && (error?.reason == "UnexpectedError" || error?.causeKind == "DuplicatedIdentity")
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
