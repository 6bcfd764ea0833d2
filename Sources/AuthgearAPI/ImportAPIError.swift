import MigrationCore
import Foundation

/// Why an import API call failed, one case per class of server answer (spec §2.1, §3.1, §4.3, §5).
///
/// Every ``description`` says what to do. ``isRetryable`` says whether the same request may
/// succeed later; ``outcomeUnknown`` says whether the server may have acted on it anyway.
/// No case carries the token, the key or the passphrase; response snippets are capped.
public enum ImportAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 403 `Forbidden` (plain text): the token was refused. `clockSkew` = local clock minus the
    /// server's `Date` header, in seconds, when the response had one.
    case forbidden(clockSkew: Double?)
    /// 413: the body exceeds the server's limit (`info.limit`, 500,000 bytes; `nil` from a proxy).
    case bodyTooLarge(limit: Int?)
    /// 400 `InvalidJSON`: the body is not JSON (Go's message and `info.byte_offset`).
    case invalidJSON(message: String, byteOffset: Int?)
    /// 400 `ValidationFailed`: the request envelope broke the schema (spec §4.1, §8).
    case invalidRequest(causes: [ValidationCause])
    /// 415, or 400 `request content type is invalid`: the `Content-Type` was refused.
    case contentType(message: String)
    /// 429 `UsageLimitExceeded`: the project's `user_import` quota for `period` (`day`/`month`)
    /// is used up; nothing of the request was imported. Resets at `resetsAt` (UTC boundary).
    case usageLimitExceeded(period: String, resetsAt: Date)
    /// 429 without `UsageLimitExceeded` (a proxy, CDN or operator throttle); `Retry-After` in seconds.
    case rateLimited(retryAfter: Double?)
    /// 404 `TaskNotFound`: unknown id, or the job is older than 24 hours (spec §10.4).
    case jobNotFound(id: String)
    /// 404 in plain text (`app not found`, `404 page not found`): the endpoint is not the
    /// project's Admin API.
    case endpointNotFound(snippet: String)
    /// Any other structured 4xx API error.
    case rejected(status: Int, body: APIErrorBody)
    /// 5xx: the server's JSON `UnexpectedError` (`body`) or a proxy's text/HTML (`snippet`).
    case server(status: Int, body: APIErrorBody?, snippet: String?, retryAfter: Double?)
    /// A response that is not the Admin API's (non-JSON, redirect, unknown shape); `snippet`
    /// is at most ``ResponseClassifier/snippetLimit`` characters.
    case unexpectedResponse(status: Int, snippet: String)
    /// No response (see ``TransportError``).
    case transport(TransportError)
    /// The token could not be minted.
    case token(TokenSigningError)

    /// Whether sending the same request again later may succeed. What a caller does with it (and
    /// with ``outcomeUnknown`` for a POST) is its own policy: the engine's is `ClientImportService`.
    public var isRetryable: Bool {
        switch self {
        case .server, .rateLimited: return true
        case .transport(.notSent), .transport(.outcomeUnknown): return true
        default: return false
        }
    }

    /// Whether the server may have acted on the request although it reported no success: a
    /// lost answer, a 500 (tasks may already be enqueued, spec §4.3) or a gateway error
    /// (502/504: the upstream may have processed it). A 503 means it was turned away.
    public var outcomeUnknown: Bool {
        switch self {
        case .transport(.outcomeUnknown): return true
        case .server(let status, _, _, _): return status != 503
        default: return false
        }
    }

    /// `Retry-After` in seconds when the server sent one.
    public var retryAfter: Double? {
        switch self {
        case .rateLimited(let seconds): return seconds
        case .server(_, _, _, let seconds): return seconds
        default: return nil
        }
    }

    public var description: String {
        switch self {
        case .forbidden(let skew):
            var skewNote = "that this machine's clock is within 5 minutes of the server's"
            if let skew {
                let minutes = Int((abs(skew) / 60).rounded())
                if abs(skew) >= 240 {
                    skewNote = "this machine's clock: it is \(minutes) minute(s) \(skew > 0 ? "ahead of" : "behind") "
                        + "the server's; the server allows 5 minutes. Synchronise it (NTP)"
                } else {
                    skewNote += " (measured difference: \(Int(skew.rounded())) s)"
                }
            }
            return "the server refused the Admin API token (HTTP 403 Forbidden). Check: "
                + "(1) the key ID (--key-id / AUTHGEAR_KEY_ID) is the ID of an Admin API key shown in the portal (Advanced → Admin API); "
                + "(2) the project ID (--project-id / AUTHGEAR_PROJECT_ID), sent as the token's `aud`, is the project's ID "
                + "(e.g. `myapp` for https://myapp.authgear.cloud), not a URL; "
                + "(3) \(skewNote); "
                + "(4) the key file (--key-file / AUTHGEAR_KEY_FILE) is the private key of that key ID, and the key was not deleted or rotated away."
        case .bodyTooLarge(let limit):
            let size = limit.map { "\($0) bytes" } ?? "a proxy's limit"
            return "the request body is larger than the server accepts (HTTP 413, limit \(size)). "
                + "Use smaller batches; the server counts raw bytes including whitespace."
        case .invalidJSON(let message, let offset):
            let at = offset.map { " at byte \($0)" } ?? ""
            return "the server could not parse the request body as JSON\(at): \(message). "
                + "The body was changed in transit (check proxies) or this is a bug in authgear-migrate: please report it."
        case .invalidRequest(let causes):
            let list = causes.isEmpty ? "no details" : causes.map(\.description).joined(separator: "; ")
            return "the server rejected the request envelope (HTTP 400 ValidationFailed: \(list)). "
                + "`identifier` must be preferred_username, email or phone_number and `records` a non-empty array of objects."
        case .contentType(let message):
            return "the server refused the request's Content-Type (\(message)). "
                + "authgear-migrate sends application/json; a proxy between here and Authgear may be rewriting it."
        case .usageLimitExceeded(let period, let resetsAt):
            return "the project's user-import quota for this \(period) is used up (HTTP 429 UsageLimitExceeded); "
                + "no record of this request was imported. It resets at \(Self.isoUTC(resetsAt)) (UTC): resume after that, "
                + "or ask Authgear to raise the project's user_import limit."
        case .rateLimited(let seconds):
            let wait = seconds.map { "after \(Self.seconds($0))" } ?? "later"
            return "requests are being throttled (HTTP 429, not the usage quota; likely a proxy or an operator limit). Retry \(wait)."
        case .jobNotFound(let id):
            return "the server does not know import job \(id) (HTTP 404 TaskNotFound): the id is wrong or the job is "
                + "older than 24 hours (results are kept 24 h from creation). Fetch results promptly; "
                + "to learn what happened to its records, re-import them with upsert or check the users in the portal."
        case .endpointNotFound(let snippet):
            return "the endpoint is not this project's Admin API (HTTP 404: \(snippet)). Check --endpoint / AUTHGEAR_ENDPOINT: "
                + "it must be the project's origin, e.g. https://myapp.authgear.cloud, without a path."
        case .rejected(let status, let body):
            return "the server rejected the request (HTTP \(status) \(body.name): \(body))."
        case .server(let status, let body, let snippet, _):
            let what = body.map { ": \($0)" } ?? snippet.map { ": \($0)" } ?? ""
            return "the server or a proxy in front of it failed (HTTP \(status)\(what)). Retrying later usually helps; "
                + "a failed create-job request may still have started an import."
        case .unexpectedResponse(let status, let snippet):
            let redirect = (300..<400).contains(status)
                ? " The server redirected: use the https:// origin of the project without a trailing slash or path." : ""
            return "unexpected HTTP \(status) answer that does not come from the Authgear Admin API: \(snippet).\(redirect) "
                + "Check --endpoint / AUTHGEAR_ENDPOINT and any proxy between this machine and Authgear."
        case .transport(let error):
            switch error {
            case .notSent(let message):
                return "could not reach the server: \(message); nothing was sent. Check the endpoint, network, "
                    + "proxy and TLS settings (--ca-file / AUTHGEAR_CA_FILE for a private CA)."
            case .outcomeUnknown(let message):
                return "the connection failed after the request was sent (\(message)); the server may have acted on it."
            case .certificate(let message):
                return "the server's TLS certificate was refused: \(message)"
            case .cancelled:
                return "the request was cancelled."
            }
        case .token(let error):
            return error.description
        }
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    static func isoUTC(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (y, m, d) = CivilDate.date(days: days)
        let rest = seconds - days * 86_400
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d, rest / 3600, rest / 60 % 60, rest % 60)
    }
}
