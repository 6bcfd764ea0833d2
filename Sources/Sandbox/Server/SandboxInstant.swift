import Foundation

/// A point in time on the sandbox clock, in nanoseconds since the Unix epoch (UTC).
public struct SandboxInstant: Sendable, Hashable, Comparable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The host's real time with nanosecond resolution.
    public static func wallClock() -> SandboxInstant {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return SandboxInstant(nanoseconds: Int64(ts.tv_sec) * 1_000_000_000 + Int64(ts.tv_nsec))
    }

    public static func < (a: SandboxInstant, b: SandboxInstant) -> Bool { a.nanoseconds < b.nanoseconds }

    public func adding(seconds: Int64) -> SandboxInstant { SandboxInstant(nanoseconds: nanoseconds + seconds * 1_000_000_000) }

    /// Whole seconds since the epoch (rounded down).
    public var unixSeconds: Int64 { nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000 }

    public var date: Date { Date(timeIntervalSince1970: Double(nanoseconds) / 1e9) }

    /// UTC calendar fields.
    private var fields: tm {
        var t = time_t(unixSeconds)
        var out = tm()
        gmtime_r(&t, &out)
        return out
    }

    /// `2006-01-02` in UTC: the day a `day` usage period counts into.
    public var dayKey: String {
        let f = fields
        return String(format: "%04d-%02d-%02d", Int(f.tm_year) + 1900, Int(f.tm_mon) + 1, Int(f.tm_mday))
    }

    /// `2006-01` in UTC: the month a `month` usage period counts into.
    public var monthKey: String {
        let f = fields
        return String(format: "%04d-%02d", Int(f.tm_year) + 1900, Int(f.tm_mon) + 1)
    }

    /// Go's `time.RFC3339Nano` in UTC: up to nine fractional digits, trailing zeros trimmed.
    public var rfc3339Nano: String {
        let f = fields
        var text = String(format: "%04d-%02d-%02dT%02d:%02d:%02d", Int(f.tm_year) + 1900, Int(f.tm_mon) + 1,
                          Int(f.tm_mday), Int(f.tm_hour), Int(f.tm_min), Int(f.tm_sec))
        let fraction = nanoseconds - unixSeconds * 1_000_000_000
        if fraction > 0 {
            var digits = String(format: "%09lld", fraction)
            while digits.hasSuffix("0") { digits.removeLast() }
            text += "." + digits
        }
        return text + "Z"
    }
}
