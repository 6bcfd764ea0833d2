/// Port of the parts of Go `time.Parse` that the `date-time` and `birthdate` formats exercise.
///
/// `time.Parse(time.RFC3339, s)` tries a strict fast path and then falls back to the general
/// layout parser, which is the more lenient of the two, so acceptance equals the general parser's:
/// 1–2 digit hour, `.` or `,` before any number of fraction digits, offsets up to `±24:60`,
/// uppercase `T` and `Z` only, calendar-checked day, no leap second.
enum GoTimeParse {
    private static func isDigit(_ b: [UInt8], _ i: Int) -> Bool {
        i < b.count && b[i] >= 0x30 && b[i] <= 0x39
    }

    /// Go `getnum`: one or two digits (two when `fixed`). Returns (value, new index).
    private static func getnum(_ b: [UInt8], _ i: Int, fixed: Bool) -> (Int, Int)? {
        if !isDigit(b, i) { return nil }
        if !isDigit(b, i + 1) {
            if fixed { return nil }
            return (Int(b[i] - 0x30), i + 1)
        }
        return (Int(b[i] - 0x30) * 10 + Int(b[i + 1] - 0x30), i + 2)
    }

    private static func literal(_ b: [UInt8], _ i: Int, _ c: UInt8) -> Int? {
        i < b.count && b[i] == c ? i + 1 : nil
    }

    /// Go `stdLongYear` ("2006"): exactly four digits.
    private static func year(_ b: [UInt8], _ i: Int) -> (Int, Int)? {
        guard b.count - i >= 4 else { return nil }
        var v = 0
        for k in i..<(i + 4) {
            guard isDigit(b, k) else { return nil }
            v = v * 10 + Int(b[k] - 0x30)
        }
        return (v, i + 4)
    }

    private static func isLeap(_ y: Int) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// "01-02" tail of the date layouts: two-digit month 1…12, '-', two-digit day.
    private static func monthDay(_ b: [UInt8], _ start: Int) -> (month: Int, day: Int, end: Int)? {
        guard let (month, i1) = getnum(b, start, fixed: true), month >= 1, month <= 12,
              let i2 = literal(b, i1, UInt8(ascii: "-")),
              let (day, i3) = getnum(b, i2, fixed: true) else { return nil }
        return (month, day, i3)
    }

    /// `time.Parse(time.RFC3339, s) == nil` error.
    static func isRFC3339(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let (y, i1) = year(b, 0),
              let i2 = literal(b, i1, UInt8(ascii: "-")),
              let (month, day, i3) = monthDay(b, i2),
              let i4 = literal(b, i3, UInt8(ascii: "T")),
              let (hour, i5) = getnum(b, i4, fixed: false), hour < 24,
              let i6 = literal(b, i5, UInt8(ascii: ":")),
              let (minute, i7) = getnum(b, i6, fixed: true), minute < 60,
              let i8 = literal(b, i7, UInt8(ascii: ":")),
              let (second, i9) = getnum(b, i8, fixed: true), second < 60
        else { return false }
        var i = i9
        // Fractional second not in the layout: '.' or ',' followed by at least one digit.
        if b.count - i >= 2 && (b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",")) && isDigit(b, i + 1) {
            i += 2
            while isDigit(b, i) { i += 1 }
        }
        // "Z07:00"
        guard i < b.count else { return false }
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else {
            guard b.count - i >= 6, b[i + 3] == UInt8(ascii: ":"),
                  b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-"),
                  let (hr, h2) = getnum(b, i + 1, fixed: true), h2 == i + 3,
                  let (mm, m2) = getnum(b, i + 4, fixed: true), m2 == i + 6,
                  hr <= 24, mm <= 60 else { return false }
            i += 6
        }
        guard i == b.count else { return false }
        return day >= 1 && day <= daysIn(month: month, year: y)
    }

    /// Any of the layouts `2006-01-02`, `0000-01-02`, `--01-02`, `2006` parses `s`.
    static func isBirthdate(_ s: String) -> Bool {
        let b = Array(s.utf8)
        // "2006-01-02" (also covers "0000-01-02": year 0 is a leap year in Go's calendar)
        if let (y, i1) = year(b, 0), let i2 = literal(b, i1, UInt8(ascii: "-")),
           let (m, d, end) = monthDay(b, i2), end == b.count,
           d >= 1, d <= daysIn(month: m, year: y) {
            return true
        }
        // "--01-02" (year 0)
        if let i1 = literal(b, 0, UInt8(ascii: "-")), let i2 = literal(b, i1, UInt8(ascii: "-")),
           let (m, d, end) = monthDay(b, i2), end == b.count,
           d >= 1, d <= daysIn(month: m, year: 0) {
            return true
        }
        // "2006"
        if let (_, end) = year(b, 0), end == b.count {
            return true
        }
        return false
    }
}
