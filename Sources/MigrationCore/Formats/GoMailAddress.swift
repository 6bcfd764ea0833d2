import Foundation

/// An error carrying the exact `Error()` text of the Go error it mirrors.
struct GoFormatError: Error, Sendable, Equatable {
    let message: String
}

/// Port of Go `net/mail.ParseAddress` (addrParser, newest upstream: domain literals, obs-phrase CFWS).
struct GoMailAddress: Sendable {
    let name: String
    let address: String

    /// `mail.ParseAddress(s)`.
    static func parseSingle(_ s: String) -> Result<GoMailAddress, GoFormatError> {
        var parser = GoMailParser(bytes: Array(s.utf8))
        return parser.parseSingleAddress()
    }
}

struct GoMailParser {
    let s: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { s = bytes }

    typealias R<T> = Result<T, GoFormatError>
    private func fail<T>(_ m: String) -> R<T> { .failure(GoFormatError(message: m)) }

    var empty: Bool { i >= s.count }
    func peek() -> UInt8 { s[i] }
    var rest: String { String(decoding: s[i...], as: UTF8.self) }

    mutating func consume(_ c: UInt8) -> Bool {
        if empty || peek() != c { return false }
        i += 1
        return true
    }

    mutating func skipSpace() {
        while i < s.count && (s[i] == 0x20 || s[i] == 0x09) { i += 1 }
    }

    /// Decodes the rune at `j`: (scalar, size); size 0 at end.
    func rune(at j: Int) -> (Unicode.Scalar, Int) {
        if j >= s.count { return ("\u{FFFD}", 0) }
        let b0 = s[j]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        let n = b0 >= 0xF0 ? 4 : b0 >= 0xE0 ? 3 : 2
        let end = min(j + n, s.count)
        let scalar = String(decoding: s[j..<end], as: UTF8.self).unicodeScalars.first ?? "\u{FFFD}"
        return (scalar, end - j)
    }

    mutating func parseSingleAddress() -> R<GoMailAddress> {
        let addrs: [GoMailAddress]
        switch parseAddress(handleGroup: true) {
        case .failure(let e): return .failure(e)
        case .success(let a): addrs = a
        }
        if !skipCFWS() { return fail("mail: misformatted parenthetical comment") }
        if !empty { return fail("mail: expected single address, got " + FormatRules.goQuote(rest)) }
        if addrs.isEmpty { return fail("mail: empty group") }
        if addrs.count > 1 { return fail("mail: group with multiple addresses") }
        return .success(addrs[0])
    }

    mutating func parseAddress(handleGroup: Bool) -> R<[GoMailAddress]> {
        skipSpace()
        if empty { return fail("mail: no address") }
        if case .success(let spec) = consumeAddrSpec() {
            var displayName = ""
            skipSpace()
            if !empty && peek() == UInt8(ascii: "(") {
                switch consumeDisplayNameComment() {
                case .failure(let e): return .failure(e)
                case .success(let n): displayName = n
                }
            }
            return .success([GoMailAddress(name: displayName, address: spec)])
        }
        var displayName = ""
        if peek() != UInt8(ascii: "<") {
            switch consumePhrase() {
            case .failure(let e): return .failure(e)
            case .success(let p): displayName = p
            }
        }
        skipSpace()
        if handleGroup && consume(UInt8(ascii: ":")) {
            return consumeGroupList()
        }
        if !consume(UInt8(ascii: "<")) {
            if displayName.unicodeScalars.allSatisfy({ Self.isAtext($0, dot: true) }) {
                return fail("mail: missing '@' or angle-addr")
            }
            return fail("mail: no angle-addr")
        }
        let spec: String
        switch consumeAddrSpec() {
        case .failure(let e): return .failure(e)
        case .success(let sp): spec = sp
        }
        if !consume(UInt8(ascii: ">")) { return fail("mail: unclosed angle-addr") }
        return .success([GoMailAddress(name: displayName, address: spec)])
    }

    mutating func consumeGroupList() -> R<[GoMailAddress]> {
        var group: [GoMailAddress] = []
        skipSpace()
        if consume(UInt8(ascii: ";")) {
            if !skipCFWS() { return fail("mail: misformatted parenthetical comment") }
            return .success(group)
        }
        while true {
            skipSpace()
            switch parseAddress(handleGroup: false) {
            case .failure(let e): return .failure(e)
            case .success(let a): group += a
            }
            if !skipCFWS() { return fail("mail: misformatted parenthetical comment") }
            if consume(UInt8(ascii: ";")) {
                if !skipCFWS() { return fail("mail: misformatted parenthetical comment") }
                break
            }
            if !consume(UInt8(ascii: ",")) { return fail("mail: expected comma") }
        }
        return .success(group)
    }

    mutating func consumeAddrSpec() -> R<String> {
        let orig = i
        let result = consumeAddrSpecInner()
        if case .failure = result { i = orig }
        return result
    }

    private mutating func consumeAddrSpecInner() -> R<String> {
        var localPart: String
        skipSpace()
        if empty { return fail("mail: no addr-spec") }
        if peek() == UInt8(ascii: "\"") {
            let r = consumeQuotedString()
            switch r {
            case .failure(let e):
                // Go overwrites err only when localPart == "" (always the case on failure).
                _ = e
                return fail("mail: empty quoted string in addr-spec")
            case .success(let q):
                if q.isEmpty { return fail("mail: empty quoted string in addr-spec") }
                localPart = q
            }
        } else {
            switch consumeAtom(dot: true, permissive: false) {
            case .failure(let e): return .failure(e)
            case .success(let a): localPart = a
            }
        }
        if !consume(UInt8(ascii: "@")) { return fail("mail: missing @ in addr-spec") }
        skipSpace()
        if empty { return fail("mail: no domain in addr-spec") }
        let domain: String
        if peek() == UInt8(ascii: "[") {
            switch consumeDomainLiteral() {
            case .failure(let e): return .failure(e)
            case .success(let d): domain = d
            }
        } else {
            switch consumeAtom(dot: true, permissive: false) {
            case .failure(let e): return .failure(e)
            case .success(let d): domain = d
            }
        }
        localPart += "@" + domain
        return .success(localPart)
    }

    mutating func consumePhrase() -> R<String> {
        var words: [String] = []
        var isPrevEncoded = false
        var lastError: GoFormatError?
        while true {
            if !words.isEmpty && !skipCFWS() {
                return fail("mail: misformatted parenthetical comment")
            }
            skipSpace()
            if empty { break }
            var word: String
            var isEncoded = false
            if peek() == UInt8(ascii: "\"") {
                switch consumeQuotedString() {
                case .failure(let e): lastError = e
                case .success(let w): word = w; lastError = nil
                    append(word, encoded: false, to: &words, prev: &isPrevEncoded); continue
                }
                break
            }
            switch consumeAtom(dot: true, permissive: true) {
            case .failure(let e): lastError = e
            case .success(let w):
                let decoded = Self.decodeRFC2047Word(w)
                if let e = decoded.error { lastError = e; break }
                word = decoded.word
                isEncoded = decoded.isEncoded
                append(word, encoded: isEncoded, to: &words, prev: &isPrevEncoded)
                continue
            }
            break
        }
        if let e = lastError, words.isEmpty {
            return fail("mail: missing word in phrase: " + e.message)
        }
        return .success(words.joined(separator: " "))
    }

    private func append(_ word: String, encoded: Bool, to words: inout [String], prev: inout Bool) {
        if prev && encoded {
            words[words.count - 1] += word
        } else {
            words.append(word)
        }
        prev = encoded
    }

    mutating func consumeQuotedString() -> R<String> {
        var j = i + 1
        var qsb = String.UnicodeScalarView()
        var escaped = false
        while true {
            let (r, size) = rune(at: j)
            if size == 0 { return fail("mail: unclosed quoted-string") }
            if escaped {
                if !Self.isVchar(r) && !Self.isWSP(r) {
                    return fail("mail: bad character in quoted-string: " + FormatRules.goQuoteRune(r))
                }
                qsb.append(r)
                escaped = false
            } else if Self.isQtext(r) || Self.isWSP(r) {
                qsb.append(r)
            } else if r == "\"" {
                break
            } else if r == "\\" {
                escaped = true
            } else {
                return fail("mail: bad character in quoted-string: " + FormatRules.goQuoteRune(r))
            }
            j += size
        }
        i = j + 1
        return .success(String(qsb))
    }

    mutating func consumeAtom(dot: Bool, permissive: Bool) -> R<String> {
        var j = i
        while true {
            let (r, size) = rune(at: j)
            if size == 0 || !Self.isAtext(r, dot: dot) { break }
            j += size
        }
        if j == i { return fail("mail: invalid string") }
        let atom = String(decoding: s[i..<j], as: UTF8.self)
        i = j
        if !permissive {
            if atom.hasPrefix(".") { return fail("mail: leading dot in atom") }
            if atom.containsBytes("..") { return fail("mail: double dot in atom") }
            if atom.hasSuffix(".") { return fail("mail: trailing dot in atom") }
        }
        return .success(atom)
    }

    mutating func consumeDomainLiteral() -> R<String> {
        if !consume(UInt8(ascii: "[")) { return fail("mail: missing \"[\" in domain-literal") }
        var dtext = String.UnicodeScalarView()
        while true {
            if empty { return fail("mail: unclosed domain-literal") }
            if peek() == UInt8(ascii: "]") { break }
            let (r, size) = rune(at: i)
            if !Self.isDtext(r) {
                return fail("mail: bad character in domain-literal: " + FormatRules.goQuoteRune(r))
            }
            dtext.append(r)
            i += size
        }
        if !consume(UInt8(ascii: "]")) { return fail("mail: unclosed domain-literal") }
        let text = String(dtext)
        if text.hasPrefix("IPv6:") {
            if GoIP.parseIP(String(text.dropFirst(5))) == nil {
                return fail("mail: invalid IPv6 address in domain-literal: " + FormatRules.goQuote(text))
            }
        } else if GoIP.parseIP(text)?.isIPv4OrMapped != true {
            return fail("mail: invalid IP address in domain-literal: " + FormatRules.goQuote(text))
        }
        return .success("[" + text + "]")
    }

    mutating func consumeDisplayNameComment() -> R<String> {
        if !consume(UInt8(ascii: "(")) { return fail("mail: comment does not start with (") }
        guard let comment = consumeComment() else {
            return fail("mail: misformatted parenthetical comment")
        }
        var words = comment.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        for idx in words.indices {
            let decoded = Self.decodeRFC2047Word(words[idx])
            if let e = decoded.error { return .failure(e) }
            if decoded.isEncoded { words[idx] = decoded.word }
        }
        return .success(words.joined(separator: " "))
    }

    mutating func skipCFWS() -> Bool {
        skipSpace()
        while consume(UInt8(ascii: "(")) {
            if consumeComment() == nil { return false }
            skipSpace()
        }
        return true
    }

    /// '(' already consumed; nil when unbalanced.
    mutating func consumeComment() -> String? {
        var depth = 1
        var comment: [UInt8] = []
        while !empty && depth != 0 {
            if peek() == UInt8(ascii: "\\") && s.count - i > 1 {
                i += 1
            } else if peek() == UInt8(ascii: "(") {
                depth += 1
            } else if peek() == UInt8(ascii: ")") {
                depth -= 1
            }
            if depth > 0 { comment.append(s[i]) }
            i += 1
        }
        return depth == 0 ? String(decoding: comment, as: UTF8.self) : nil
    }
}
