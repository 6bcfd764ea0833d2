import MigrationCore
import Foundation

/// HTTP date handling: `Date` and `Retry-After` headers, and quota reset times.
public enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun",
                                 "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Parses an HTTP-date in any of the three forms of RFC 9110 §5.6.7: IMF-fixdate
    /// (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and
    /// asctime (`Sun Nov  6 08:49:37 1994`).
    public static func parse(_ text: String) -> Date? {
        let words = text.split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        var day: Int?, month: Int?, year: Int?, time: String?
        if words.count == 6, words[5].uppercased() == "GMT" {          // IMF-fixdate
            day = Int(words[1]); month = monthNumber(words[2]); year = Int(words[3]); time = words[4]
        } else if words.count == 4, words[3].uppercased() == "GMT" {   // RFC 850
            let parts = words[1].split(separator: "-").map(String.init)
            guard parts.count == 3, let yy = Int(parts[2]) else { return nil }
            day = Int(parts[0]); month = monthNumber(parts[1])
            year = parts[2].count == 2 ? (yy < 70 ? 2000 + yy : 1900 + yy) : yy
            time = words[2]
        } else if words.count == 5 {                                   // asctime
            month = monthNumber(words[1]); day = Int(words[2]); time = words[3]; year = Int(words[4])
        }
        guard let day, let month, let year, let time else { return nil }
        let clock = time.split(separator: ":").compactMap { Int($0) }
        guard clock.count == 3, (1...31).contains(day), (0...23).contains(clock[0]),
              (0...59).contains(clock[1]), (0...60).contains(clock[2]) else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + clock[0] * 3600 + clock[1] * 60 + clock[2]
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }

    /// Seconds to wait from a `Retry-After` value: delta-seconds, or an HTTP-date measured
    /// against `now` (the server's `Date` when known). Negative waits become 0.
    public static func retryAfterSeconds(_ value: String, now: Date) -> Double? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if !trimmed.isEmpty, trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return Double(trimmed)
        }
        guard let date = parse(trimmed) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// When a usage quota of `period` (`day` or `month`) resets after `now`: the next 00:00 UTC,
    /// or the 1st of the next month at 00:00 UTC. Unknown periods are treated as `day`.
    public static func usageReset(period: String, after now: Date) -> Date {
        let seconds = Int(now.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        if period != "month" {
            return Date(timeIntervalSince1970: TimeInterval((days + 1) * 86_400))
        }
        let (year, month, _) = CivilDate.date(days: days)
        let next = month == 12 ? (year + 1, 1) : (year, month + 1)
        return Date(timeIntervalSince1970: TimeInterval(CivilDate.days(year: next.0, month: next.1, day: 1) * 86_400))
    }

    private static func monthNumber(_ name: String) -> Int? {
        months.firstIndex(of: name.lowercased()).map { $0 + 1 }
    }


}
