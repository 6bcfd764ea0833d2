import MigrationCore

/// Numbers as Go's `encoding/json` writes a `float64` (what the server does to every number it echoes).
enum SandboxNumbers {
    /// Go's encoding of `d`: shortest round-trip digits, `%f` style for 1e-6 ≤ |d| < 1e21, else
    /// `%e` style with the exponent's leading zero removed (`1e-7`, `1e+21`).
    static func text(_ d: Double) -> String {
        guard d.isFinite else { return String(d) }
        if d == 0 { return d.sign == .minus ? "-0" : "0" }
        let (digits, pointExponent) = shortestDigits(abs(d))
        let sign = d < 0 ? "-" : ""
        let magnitude = abs(d)
        if magnitude < 1e-6 || magnitude >= 1e21 {
            var mantissa = String(digits.first!)
            if digits.count > 1 { mantissa += "." + digits.dropFirst() }
            let e = pointExponent - 1
            // Go writes at least two exponent digits, then trims the zero of `e-0N`.
            let expText = e < 0 ? "-" + String(-e) : "+" + (e < 10 ? "0" : "") + String(e)
            return sign + mantissa + "e" + expText
        }
        // Fixed notation: value = 0.digits × 10^pointExponent.
        if pointExponent <= 0 {
            return sign + "0." + String(repeating: "0", count: -pointExponent) + digits
        }
        if pointExponent >= digits.count {
            return sign + digits + String(repeating: "0", count: pointExponent - digits.count)
        }
        let cut = digits.index(digits.startIndex, offsetBy: pointExponent)
        return sign + digits[..<cut] + "." + digits[cut...]
    }

    /// The re-encoding of a JSON number text after a float64 round trip (`1.0` → `1`, `1e3` → `1000`).
    /// Texts that do not fit a float64 are kept as written.
    static func normalize(_ text: String) -> String {
        guard let d = Double(text), d.isFinite else { return text }
        return SandboxNumbers.text(d)
    }

    /// Shortest decimal digits (no leading/trailing zeros) and the position of the decimal point,
    /// from Swift's shortest round-trip `description`.
    static func shortestDigits(_ d: Double) -> (String, Int) {
        let desc = d.description  // e.g. "1000.0", "0.001", "1e-07", "1.5e+21"
        var mantissa = Substring(desc)
        var exponent = 0
        if let e = desc.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = desc[..<e]
            exponent = Int(desc[desc.index(after: e)...].replacingOccurrences(of: "+", with: "")) ?? 0
        }
        var intPart = mantissa
        var fracPart: Substring = ""
        if let dot = mantissa.firstIndex(of: ".") {
            intPart = mantissa[..<dot]
            fracPart = mantissa[mantissa.index(after: dot)...]
        }
        var digits = String(intPart) + fracPart
        var point = intPart.count + exponent
        while digits.hasPrefix("0") && digits.count > 1 { digits.removeFirst(); point -= 1 }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point)
    }
}
