/// Port of Go `net/url.Parse` (Go 1.25 rules: bracketed hosts must be IPv6 literals) reduced to
/// the fields the `uri` / `x_picture` checks read: scheme, host and `EscapedPath()`.
struct GoURL: Sendable {
    var scheme = ""
    var host = ""
    var path: [UInt8] = []
    var rawPath: [UInt8] = []

    /// A Go `*url.Error` (`Op` is always "parse").
    struct ParseError: Error, Sendable {
        let url: String
        let reason: String
        /// `(*url.Error).Error()`.
        var description: String { "parse " + FormatRules.goQuote(url) + ": " + reason }
    }

    private enum Mode { case path, host, zone, userPassword, fragment }

    /// `url.Parse(raw)`.
    static func parse(_ raw: String) -> Result<GoURL, ParseError> {
        let bytes = Array(raw.utf8)
        let hash = bytes.firstIndex(of: UInt8(ascii: "#"))
        let u = hash.map { Array(bytes[..<$0]) } ?? bytes
        let uString = String(decoding: u, as: UTF8.self)
        var url: GoURL
        switch parseRef(u) {
        case .failure(let reason): return .failure(ParseError(url: uString, reason: reason.message))
        case .success(let v): url = v
        }
        if let h = hash, h + 1 < bytes.count {
            if case .failure(let reason) = unescape(Array(bytes[(h + 1)...]), .fragment) {
                return .failure(ParseError(url: raw, reason: reason.message))
            }
        }
        return .success(url)
    }

    private static func fail<T>(_ m: String) -> Result<T, GoFormatError> { .failure(GoFormatError(message: m)) }

    private static func parseRef(_ raw: [UInt8]) -> Result<GoURL, GoFormatError> {
        if raw.contains(where: { $0 < 0x20 || $0 == 0x7F }) {
            return fail("net/url: invalid control character in URL")
        }
        var url = GoURL()
        if raw == Array("*".utf8) {
            url.path = Array("*".utf8)
            return .success(url)
        }
        var rest = raw[...]
        // getScheme
        schemeLoop: for (i, c) in raw.enumerated() {
            switch c {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
                continue
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                if i == 0 { break schemeLoop }
            case UInt8(ascii: ":"):
                if i == 0 { return fail("missing protocol scheme") }
                url.scheme = String(decoding: raw[..<i], as: UTF8.self).lowercased()
                rest = raw[(i + 1)...]
                break schemeLoop
            default:
                break schemeLoop
            }
        }
        let q = UInt8(ascii: "?")
        let qCount = rest.filter { $0 == q }.count
        if rest.last == q && qCount == 1 {
            rest = rest.dropLast()
        } else if let qi = rest.firstIndex(of: q) {
            rest = rest[..<qi]
        }
        let slash = UInt8(ascii: "/")
        if rest.first != slash {
            if !url.scheme.isEmpty {
                return .success(url)  // opaque
            }
            let segment = rest.firstIndex(of: slash).map { rest[..<$0] } ?? rest
            if segment.contains(UInt8(ascii: ":")) {
                return fail("first path segment in URL cannot contain colon")
            }
        }
        let startsWith2 = rest.count >= 2 && rest.first == slash && rest[rest.startIndex + 1] == slash
        let startsWith3 = startsWith2 && rest.count >= 3 && rest[rest.startIndex + 2] == slash
        if (!url.scheme.isEmpty || !startsWith3) && startsWith2 {
            var authority = rest.dropFirst(2)
            rest = rest[rest.endIndex...]
            if let si = authority.firstIndex(of: slash) {
                rest = authority[si...]
                authority = authority[..<si]
            }
            switch parseAuthority(Array(authority)) {
            case .failure(let e): return .failure(e)
            case .success(let h): url.host = h
            }
        }
        switch unescape(Array(rest), .path) {
        case .failure(let e): return .failure(e)
        case .success(let p):
            url.path = p
            url.rawPath = escape(p, .path) == Array(rest) ? [] : Array(rest)
        }
        return .success(url)
    }

    private static func parseAuthority(_ authority: [UInt8]) -> Result<String, GoFormatError> {
        let at = authority.lastIndex(of: UInt8(ascii: "@"))
        let hostPart = at.map { Array(authority[($0 + 1)...]) } ?? authority
        let host: String
        switch parseHost(hostPart) {
        case .failure(let e): return .failure(e)
        case .success(let h): host = String(decoding: h, as: UTF8.self)
        }
        guard let at else { return .success(host) }
        let userinfo = authority[..<at]
        for c in userinfo {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                continue
            default:
                if !Array("-._:~!$&'()*+,;=%@".utf8).contains(c) { return fail("net/url: invalid userinfo") }
            }
        }
        let colon = UInt8(ascii: ":")
        if let ci = userinfo.firstIndex(of: colon) {
            if case .failure(let e) = unescape(Array(userinfo[..<ci]), .userPassword) { return .failure(e) }
            if case .failure(let e) = unescape(Array(userinfo[(ci + 1)...]), .userPassword) { return .failure(e) }
        } else if case .failure(let e) = unescape(Array(userinfo), .userPassword) {
            return .failure(e)
        }
        return .success(host)
    }

    private static func parseHost(_ host: [UInt8]) -> Result<[UInt8], GoFormatError> {
        let open = host.lastIndex(of: UInt8(ascii: "["))
        if let open, open > 0 {
            return fail("invalid IP-literal")
        }
        if open == 0 {
            guard let close = host.lastIndex(of: UInt8(ascii: "]")) else { return fail("missing ']' in host") }
            let colonPort = Array(host[(close + 1)...])
            if !validOptionalPort(colonPort) {
                return fail("invalid port " + FormatRules.goQuote(String(decoding: colonPort, as: UTF8.self)) + " after host")
            }
            let hostname = Array(host[1..<close])
            var unescaped: [UInt8]
            if let zi = indexOf(Array("%25".utf8), in: hostname) {
                switch (unescape(Array(hostname[..<zi]), .host), unescape(Array(hostname[zi...]), .zone)) {
                case (.failure(let e), _), (_, .failure(let e)): return .failure(e)
                case (.success(let a), .success(let b)): unescaped = a + b
                }
            } else {
                switch unescape(hostname, .host) {
                case .failure(let e): return .failure(e)
                case .success(let a): unescaped = a
                }
            }
            let text = String(decoding: unescaped, as: UTF8.self)
            guard let addr = GoIP.parseAddr(text) else {
                return fail("invalid host: ParseAddr(" + FormatRules.goQuote(text) + "): unable to parse IP")
            }
            if addr.bytes.count == 4 { return fail("invalid IP-literal") }
            return .success(Array("[".utf8) + unescaped + Array("]".utf8) + colonPort)
        }
        if let ci = host.lastIndex(of: UInt8(ascii: ":")) {
            let colonPort = Array(host[ci...])
            if !validOptionalPort(colonPort) {
                return fail("invalid port " + FormatRules.goQuote(String(decoding: colonPort, as: UTF8.self)) + " after host")
            }
        }
        return unescape(host, .host)
    }

    private static func indexOf(_ needle: [UInt8], in hay: [UInt8]) -> Int? {
        guard hay.count >= needle.count else { return nil }
        for i in 0...(hay.count - needle.count) where Array(hay[i..<(i + needle.count)]) == needle {
            return i
        }
        return nil
    }

    private static func validOptionalPort(_ port: [UInt8]) -> Bool {
        if port.isEmpty { return true }
        if port[0] != UInt8(ascii: ":") { return false }
        return port.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    // MARK: escaping (net/url shouldEscape / unescape / escape)

    private static func isHex(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    private static func unhex(_ c: UInt8) -> UInt8 {
        c <= 0x39 ? c - 0x30 : (c <= 0x46 ? c - 0x41 + 10 : c - 0x61 + 10)
    }

    private static func shouldEscape(_ c: UInt8, _ mode: Mode) -> Bool {
        if (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) { return false }
        if mode == .host || mode == .zone {
            if Array("!$&'()*+,;=:[]<>\"".utf8).contains(c) { return false }
        }
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return false
        case UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: "/"),
             UInt8(ascii: ":"), UInt8(ascii: ";"), UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "@"):
            switch mode {
            case .path: return c == UInt8(ascii: "?")
            case .userPassword: return c == UInt8(ascii: "@") || c == UInt8(ascii: "/") || c == UInt8(ascii: "?") || c == UInt8(ascii: ":")
            case .fragment: return false
            case .host, .zone: return true
            }
        default:
            break
        }
        if mode == .fragment && Array("!()*".utf8).contains(c) { return false }
        return true
    }

    private static func unescape(_ s: [UInt8], _ mode: Mode) -> Result<[UInt8], GoFormatError> {
        var i = 0
        var n = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "%") {
                n += 1
                if i + 2 >= s.count || !isHex(s[i + 1]) || !isHex(s[i + 2]) {
                    let bad = String(decoding: s[i..<min(i + 3, s.count)], as: UTF8.self)
                    return fail("invalid URL escape " + FormatRules.goQuote(bad))
                }
                let triple = Array(s[i..<(i + 3)])
                if mode == .host && unhex(s[i + 1]) < 8 && triple != Array("%25".utf8) {
                    return fail("invalid URL escape " + FormatRules.goQuote(String(decoding: triple, as: UTF8.self)))
                }
                if mode == .zone {
                    let v = unhex(s[i + 1]) << 4 | unhex(s[i + 2])
                    if triple != Array("%25".utf8) && v != 0x20 && shouldEscape(v, .host) {
                        return fail("invalid URL escape " + FormatRules.goQuote(String(decoding: triple, as: UTF8.self)))
                    }
                }
                i += 3
            } else {
                if (mode == .host || mode == .zone) && s[i] < 0x80 && shouldEscape(s[i], mode) {
                    return fail("invalid character " + FormatRules.goQuote(String(decoding: [s[i]], as: UTF8.self)) + " in host name")
                }
                i += 1
            }
        }
        if n == 0 { return .success(s) }
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        i = 0
        while i < s.count {
            if s[i] == UInt8(ascii: "%") {
                out.append(unhex(s[i + 1]) << 4 | unhex(s[i + 2]))
                i += 3
            } else {
                out.append(s[i])
                i += 1
            }
        }
        return .success(out)
    }

    private static let upperHex = Array("0123456789ABCDEF".utf8)

    private static func escape(_ s: [UInt8], _ mode: Mode) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.count)
        for c in s {
            if shouldEscape(c, mode) {
                out += [UInt8(ascii: "%"), upperHex[Int(c >> 4)], upperHex[Int(c & 15)]]
            } else {
                out.append(c)
            }
        }
        return out
    }

    private static func validEncoded(_ s: [UInt8]) -> Bool {
        s.allSatisfy { c in
            Array("!$&'()*+,;=:@[]%".utf8).contains(c) || !shouldEscape(c, .path)
        }
    }

    /// `(*URL).EscapedPath()`.
    var escapedPath: String {
        if !rawPath.isEmpty && GoURL.validEncoded(rawPath) {
            return String(decoding: rawPath, as: UTF8.self)  // unescape(rawPath) == path by construction
        }
        if path == Array("*".utf8) { return "*" }
        return String(decoding: GoURL.escape(path, .path), as: UTF8.self)
    }
}
