import Foundation

/// The two PRECIS profiles the server builds with Go's `golang.org/x/text/secure/precis`:
/// `precis.NewIdentifier(precis.FoldCase())` and `precis.NewFreeform(precis.FoldCase())`.
///
/// Enforcement follows x/text: an all-ASCII input is only ASCII-lower-cased and checked; any other
/// input is case-folded (Unicode full case folding, `cases.Fold`), normalised to NFC and checked
/// against the RFC 8264 derived properties (tables of Unicode 15.1 in `PrecisData`), including the
/// contextual rules. No width mapping, no bidi rule, empty results allowed (no `DisallowEmpty`).
enum Precis {
    enum StringClass { case identifier, freeform }

    /// The enforced (folded) string, or nil where Go's `Profile.String` returns an error.
    static func foldCase(_ input: String, _ stringClass: StringClass) -> String? {
        var bytes = Array(input.utf8)
        if bytes.allSatisfy({ $0 < 0x80 }) {
            let lowest: UInt8 = stringClass == .identifier ? 0x21 : 0x20
            for i in bytes.indices {
                let b = bytes[i]
                guard b >= lowest, b <= 0x7E else { return nil }
                if b >= 0x41, b <= 0x5A { bytes[i] = b | 0x20 }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let folded = caseFold(input).precomposedStringWithCanonicalMapping
        return check(Array(folded.unicodeScalars), stringClass) ? folded : nil
    }

    /// Unicode full case folding (CaseFolding.txt statuses C and F), as Go's `cases.Fold()`.
    ///
    /// Differs from Swift's `lowercased()`: `ß`→`ss`, `ς`→`σ`, `ſ`→`s`, `µ`→`μ`, `ﬁ`→`fi`,
    /// Cherokee small letters fold to the capitals (`ꭰ`→`Ꭰ`), `ẞ`→`ss`, `ͅ`→`ι`.
    static func caseFold(_ input: String) -> String {
        var out = String.UnicodeScalarView()
        let table = Tables.shared.folding
        for scalar in input.unicodeScalars {
            if let mapped = table[scalar.value] { out.append(contentsOf: mapped) } else { out.append(scalar) }
        }
        return String(out)
    }

    /// RFC 8264 derived property of a scalar (0 PVALID … 5 CONTEXTO, see `PrecisData`).
    static func property(_ value: UInt32) -> UInt8 {
        let t = Tables.shared
        var lo = 0, hi = t.starts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if t.starts[mid] <= value { lo = mid } else { hi = mid - 1 }
        }
        return t.properties[lo]
    }

    private static let pValid: UInt8 = 0, freePValid: UInt8 = 1, contextJ: UInt8 = 4, contextO: UInt8 = 5

    /// The x/text checker: class membership plus the CONTEXTJ/CONTEXTO rules of RFC 5892 Appendix A.
    private static func check(_ scalars: [Unicode.Scalar], _ stringClass: StringClass) -> Bool {
        let t = Tables.shared
        var needsJapanese = false, hasJapanese = false, arabicIndic = false, extendedArabicIndic = false
        for (i, scalar) in scalars.enumerated() {
            let v = scalar.value
            let p = property(v)
            if t.japanese.contains(v), v != 0x30FB { hasJapanese = true }
            switch p {
            case pValid: continue
            case freePValid where stringClass == .freeform: continue
            case contextJ:
                // ZWJ and ZWNJ: allowed after a virama (the ZWNJ joining-type rule is not modelled).
                guard i > 0, t.viramas.contains(scalars[i - 1].value) else { return false }
            case contextO:
                switch v {
                case 0x00B7: // MIDDLE DOT between two 'l'
                    guard i > 0, i + 1 < scalars.count, scalars[i - 1] == "l", scalars[i + 1] == "l" else { return false }
                case 0x0375: // GREEK LOWER NUMERAL SIGN followed by Greek
                    guard i + 1 < scalars.count, t.greek.contains(scalars[i + 1].value) else { return false }
                case 0x05F3, 0x05F4: // HEBREW GERESH / GERSHAYIM after Hebrew
                    guard i > 0, t.hebrew.contains(scalars[i - 1].value) else { return false }
                case 0x30FB: needsJapanese = true
                case 0x0660...0x0669: arabicIndic = true
                case 0x06F0...0x06F9: extendedArabicIndic = true
                default: return false
                }
            default: return false
            }
        }
        if needsJapanese && !hasJapanese { return false }
        if arabicIndic && extendedArabicIndic { return false }
        return true
    }

    /// Parsed forms of the generated tables, built once.
    final class Tables: Sendable {
        static let shared = Tables()
        let starts: [UInt32]
        let properties: [UInt8]
        let folding: [UInt32: [Unicode.Scalar]]
        let viramas: Set<UInt32>
        let greek: ScalarRangeTable
        let hebrew: ScalarRangeTable
        let japanese: ScalarRangeTable

        private init() {
            var starts: [UInt32] = [], properties: [UInt8] = []
            for entry in Tables.items(PrecisData.derivedProperties) {
                starts.append(UInt32(entry.dropLast(), radix: 16)!)
                properties.append(UInt8(String(entry.last!))!)
            }
            self.starts = starts
            self.properties = properties
            var folding: [UInt32: [Unicode.Scalar]] = [:]
            for entry in Tables.items(PrecisData.caseFolding) {
                let parts = entry.split(separator: ":")
                folding[UInt32(parts[0], radix: 16)!] = parts[1].split(separator: " ").map {
                    Unicode.Scalar(UInt32($0, radix: 16)!)!
                }
            }
            self.folding = folding
            viramas = Set(Tables.items(PrecisData.viramas).map { UInt32($0, radix: 16)! })
            greek = ScalarRangeTable(PrecisData.greek)
            hebrew = ScalarRangeTable(PrecisData.hebrew)
            japanese = ScalarRangeTable(PrecisData.japanese)
        }

        /// Comma-separated items of a generated literal (line breaks inside it are ignored).
        static func items(_ literal: String) -> [Substring] {
            literal.filter { $0 != "\n" }.split(separator: ",")
        }
    }
}

/// Sorted inclusive scalar ranges written as `start-end` hex pairs, with binary search.
struct ScalarRangeTable: Sendable {
    private let lower: [UInt32]
    private let upper: [UInt32]

    init(_ literal: String) {
        var lower: [UInt32] = [], upper: [UInt32] = []
        for item in Precis.Tables.items(literal) {
            let parts = item.split(separator: "-")
            lower.append(UInt32(parts[0], radix: 16)!)
            upper.append(UInt32(parts[1], radix: 16)!)
        }
        self.lower = lower
        self.upper = upper
    }

    func contains(_ value: UInt32) -> Bool {
        var lo = 0, hi = lower.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if value < lower[mid] { hi = mid - 1 } else if value > upper[mid] { lo = mid + 1 } else { return true }
        }
        return false
    }
}
