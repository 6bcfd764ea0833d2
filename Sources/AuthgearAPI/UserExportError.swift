import Foundation

/// Why a user export could not be had (export spec §2, §4–§6). Each description says what to do.
public enum UserExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 500 `UserExportDisabled`: the server has no object store configured.
    case disabled
    /// 429 `UsageLimitExceeded` for `user_export`; resets at `resetsAt` (UTC boundary of `period`).
    case usageLimitExceeded(period: String, resetsAt: Date)
    /// 404 `TaskNotFound`: unknown id, or older than 24 h after completion.
    case taskNotFound(id: String)
    /// The export completed with `failed_at` (or without any result).
    case exportFailed(id: String, error: APIErrorBody?)
    /// The download URL was refused (expired: it lives 60 s from the GET that minted it).
    case downloadRefused(status: Int, snippet: String)
    /// The file is not NDJSON user records (line `line`).
    case malformedFile(line: Int, message: String)
    /// Any other API answer or transport failure.
    case api(ImportAPIError)

    public var description: String {
        switch self {
        case .disabled:
            return "the server's user export is disabled (HTTP 500 UserExportDisabled: no object store is configured for the deployment)"
        case .usageLimitExceeded(let period, let resetsAt):
            return "the project's user-export quota for this \(period) is used up (HTTP 429 UsageLimitExceeded); it resets at "
                + "\(ImportAPIError.isoUTC(resetsAt)) (UTC). Try again after that, or ask Authgear to raise the project's user_export limit."
        case .taskNotFound(let id):
            return "the server does not know export \(id) (HTTP 404 TaskNotFound): exports are kept 24 hours after they complete. Start a new one."
        case .exportFailed(let id, let error):
            return "export \(id) failed on the server (\(error.map(\.description) ?? "completed without a file")). Start a new one; "
                + "a very large project can exceed the server's 5-second upload limit."
        case .downloadRefused(let status, let snippet):
            return "the export's download URL was refused (HTTP \(status): \(snippet)); it is valid for 60 seconds after it was handed out. "
                + "Ask for the export again to get a fresh URL."
        case .malformedFile(let line, let message):
            return "the export file is not NDJSON user records: line \(line): \(message)"
        case .api(let error):
            return error.description
        }
    }
}
