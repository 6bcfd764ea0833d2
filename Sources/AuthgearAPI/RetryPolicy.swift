import Foundation

/// What to do after a failed request.
public enum RetryDecision: Sendable, Equatable {
    /// Send the same request again after this many seconds.
    case retry(after: Double)
    /// Stop; the reason tells the caller what it can do instead.
    case giveUp(GiveUpReason)
}

/// Why a failed request must not simply be sent again.
public enum GiveUpReason: Sendable, Equatable, CustomStringConvertible {
    /// A create-job POST may have been acted on (lost answer, 500, gateway error): sending it
    /// again could import the batch twice. Record the batch as "outcome unknown" and reconcile
    /// (e.g. re-send later with `upsert: true`, or check the users) instead.
    case outcomeUnknown
    /// Waiting will not help (a 4xx, a refused token, an unexpected answer): fix the cause.
    case notRetryable
    /// The usage quota is used up until `resetsAt`: pause the run until then.
    case quotaExhausted(resetsAt: Date)
    /// The server asked to wait longer than the policy's ``RetryPolicy/maxRetryAfter``.
    case waitTooLong(seconds: Double)
    /// ``RetryPolicy/maxAttempts`` were made.
    case attemptsExhausted
    /// The request was cancelled.
    case cancelled

    public var description: String {
        switch self {
        case .outcomeUnknown: return "the server may have acted on the request; not resent to avoid importing twice"
        case .notRetryable: return "retrying cannot help"
        case .quotaExhausted(let date): return "usage quota exhausted until \(ImportAPIError.isoUTC(date))"
        case .waitTooLong(let seconds): return "the server asked to wait \(Int(seconds)) s"
        case .attemptsExhausted: return "gave up after the maximum number of attempts"
        case .cancelled: return "cancelled"
        }
    }
}

/// Retry rules for the import endpoints: exponential backoff with full jitter, `Retry-After`
/// honoured, and never a second POST whose first one may have been acted on.
///
/// Pure: the random source is a parameter, so decisions are reproducible in tests.
public struct RetryPolicy: Sendable, Equatable {
    /// Backoff before the first retry, before jitter (seconds).
    public var baseDelay: Double
    /// Growth of the backoff per attempt.
    public var factor: Double
    /// Largest backoff before jitter (seconds).
    public var maxDelay: Double
    /// Total attempts including the first one.
    public var maxAttempts: Int
    /// Longest `Retry-After` obeyed; longer requests give up with ``GiveUpReason/waitTooLong(seconds:)``.
    public var maxRetryAfter: Double

    public init(baseDelay: Double = 0.5, factor: Double = 2, maxDelay: Double = 30,
                maxAttempts: Int = 6, maxRetryAfter: Double = 600) {
        self.baseDelay = baseDelay
        self.factor = factor
        self.maxDelay = maxDelay
        self.maxAttempts = maxAttempts
        self.maxRetryAfter = maxRetryAfter
    }

    /// The backoff ceiling after failed attempt number `attempt` (1-based):
    /// `min(maxDelay, baseDelay · factor^(attempt−1))`.
    public func ceiling(afterAttempt attempt: Int) -> Double {
        let exponent = Double(max(0, attempt - 1))
        return min(maxDelay, baseDelay * pow(factor, exponent))
    }

    /// Full jitter: a delay uniformly drawn from `[0, ceiling)` using `random` ∈ [0, 1).
    public func backoff(afterAttempt attempt: Int, random: Double) -> Double {
        ceiling(afterAttempt: attempt) * min(max(random, 0), 1)
    }

    /// Decides what to do after attempt number `attempt` (1-based) of a `method` request
    /// failed with `error`; `random` returns values in [0, 1).
    ///
    /// Retries 5xx, `.transport(.notSent)`, 429 (after `Retry-After` when sent), and lost
    /// answers of GET requests. Never retries a POST whose outcome is unknown, other 4xx,
    /// token failures or unexpected answers.
    public func decide(error: ImportAPIError, attempt: Int, method: String,
                       random: () -> Double) -> RetryDecision {
        if case .transport(.cancelled) = error { return .giveUp(.cancelled) }
        if case .usageLimitExceeded(_, let resetsAt) = error { return .giveUp(.quotaExhausted(resetsAt: resetsAt)) }
        if error.outcomeUnknown && !Self.isIdempotent(method) { return .giveUp(.outcomeUnknown) }
        guard error.isRetryable else { return .giveUp(.notRetryable) }
        guard attempt < maxAttempts else { return .giveUp(.attemptsExhausted) }
        if let seconds = error.retryAfter {
            if seconds > maxRetryAfter { return .giveUp(.waitTooLong(seconds: seconds)) }
            return .retry(after: max(0, seconds))
        }
        return .retry(after: backoff(afterAttempt: attempt, random: random()))
    }

    /// ``decide(error:attempt:method:random:)`` with the system random generator.
    public func decide(error: ImportAPIError, attempt: Int, method: String) -> RetryDecision {
        decide(error: error, attempt: attempt, method: method, random: { Double.random(in: 0..<1) })
    }

    /// GET and HEAD can be repeated without side effects; POST cannot.
    public static func isIdempotent(_ method: String) -> Bool {
        ["GET", "HEAD", "OPTIONS", "PUT", "DELETE"].contains(method.uppercased())
    }
}
