/// The server's `UsernameChecker.Validate` (`pkg/lib/authn/identity/loginid/type_checkers.go`),
/// in its order: PRECIS IdentifierClass (folded) → reserved names → excluded keywords →
/// `ascii_only` (`^[a-zA-Z0-9_\-.]*$`) → confusable characters.
enum UsernameLoginIDChecker {
    static func validate(_ loginID: String, options: UsernameLoginIDOptions) -> LoginIDFailure? {
        // The factory builds the keyword matchlist first; a keyword the FreeForm profile rejects
        // makes matchlist.New fail, and every username then fails with a non-validation error.
        var keywords: [String] = []
        for line in options.excludedKeywords {
            let trimmed = GoStrings.trimSpace(line)
            if trimmed.isEmpty { continue }
            guard let keyword = Precis.foldCase(trimmed, .freeform) else {
                return .unexpected("failed to case fold excluded keyword")
            }
            keywords.append(keyword)
        }
        guard let folded = Precis.foldCase(loginID, .identifier) else { return .format("username") }
        if options.blockReservedUsernames, reservedNames.contains(folded) { return .blocked("UsernameReserved") }
        if !options.excludedKeywords.isEmpty {
            guard let value = Precis.foldCase(folded, .freeform) else { return .format("username") }
            if keywords.contains(where: { GoStrings.contains(value, $0) }) { return .blocked("UsernameExcludedKeywords") }
        }
        if options.asciiOnly, !loginID.utf8.allSatisfy(isUsernameASCII) { return .format("username") }
        if ConfusableCharacters.containsConfusable(loginID) {
            return .general("username contains confusable characters")
        }
        return nil
    }

    /// `[a-zA-Z0-9_\-.]`
    private static func isUsernameASCII(_ b: UInt8) -> Bool {
        switch b {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."): return true
        default: return false
        }
    }

    /// The plain entries of `ReservedNames.text` (trimmed; empty and `#` lines skipped).
    static let reservedNames: Set<String> = Set(
        ReservedNames.text.split(separator: "\n").map { GoStrings.trimSpace(String($0)) }
            .filter { !$0.isEmpty && !$0.hasPrefix("#") }
    )
}

/// skygeario/go-confusable-homoglyphs `IsConfusable(s, false, ["LATIN", "COMMON"])`, precomputed.
enum ConfusableCharacters {
    private static let table = ScalarRangeTable(ConfusableData.confusableScalars)

    static func containsConfusable(_ s: String) -> Bool {
        if s.utf8.allSatisfy({ $0 < 0x80 }) { return false }
        return s.unicodeScalars.contains { table.contains($0.value) }
    }
}

/// Go `strings` functions whose Unicode semantics differ from Foundation's.
enum GoStrings {
    /// `strings.TrimSpace`: trims scalars for which Go's `unicode.IsSpace` is true.
    static func trimSpace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0.value) }) else { return "" }
        let last = scalars.lastIndex(where: { !isSpace($0.value) })!
        if first == scalars.startIndex, last == scalars.index(before: scalars.endIndex) { return s }
        return String(scalars[first...last])
    }

    /// Go's `unicode.IsSpace`.
    static func isSpace(_ v: UInt32) -> Bool {
        switch v {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000: return true
        default: return false
        }
    }

    /// `strings.Contains` (byte-wise; Swift's `contains` compares Characters).
    static func contains(_ s: String, _ sub: String) -> Bool {
        let a = Array(s.utf8), b = Array(sub.utf8)
        if b.isEmpty { return true }
        guard a.count >= b.count else { return false }
        for i in 0...(a.count - b.count) where a[i] == b[0] && Array(a[i..<(i + b.count)]) == b { return true }
        return false
    }
}
