extension Int {
    /// `1234567` → `1,234,567`: counts and sizes in messages.
    public var groupedDigits: String {
        let digits = String(magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (self < 0 ? "-" : "") + out
    }
}

extension Int {
    /// `1.counted("row")` → `1 row`, `49473.counted("row")` → `49,473 rows`; `plural` when it is
    /// not the singular plus "s" (`2.counted("batch", "batches")`).
    public func counted(_ singular: String, _ plural: String? = nil) -> String {
        groupedDigits + " " + (self == 1 ? singular : plural ?? singular + "s")
    }
}
