/// The two `Content-Type` checks of `POST` (spec §3.1 rows 3 and 4), after Go's `mime.ParseMediaType`.
enum ContentTypeRules {
    /// Row 3 → 415 when false: media type JSON or GraphQL, charset (if any) utf-8/utf8.
    static func isAcceptable(_ header: String?) -> Bool {
        guard let header, let (mediaType, params) = parse(header) else { return false }
        guard mediaType == "application/json" || mediaType == "application/graphql" else { return false }
        if let charset = params["charset"] {
            let lower = charset.lowercased()
            return lower == "utf-8" || lower == "utf8"
        }
        return true
    }

    /// Row 4 → 400 BadRequest when false: exactly `application/json` with at most `charset=utf-8`.
    static func isJSON(_ header: String?) -> Bool {
        guard let header, let (mediaType, params) = parse(header), mediaType == "application/json" else { return false }
        if params.isEmpty { return true }
        guard params.count == 1, let charset = params["charset"] else { return false }
        return charset.lowercased() == "utf-8"
    }

    /// Media type (lower-cased) and parameters (keys lower-cased), or nil where Go returns an error.
    static func parse(_ value: String) -> (String, [String: String])? {
        let bytes = Array(value.utf8)
        var i = 0
        func skipSpace() { while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x09 { i += 1 } }
        func token() -> String? {
            let start = i
            while i < bytes.count, isTokenChar(bytes[i]) { i += 1 }
            return i > start ? String(decoding: bytes[start..<i], as: UTF8.self) : nil
        }
        skipSpace()
        guard let type = token() else { return nil }
        var mediaType = type
        if i < bytes.count, bytes[i] == UInt8(ascii: "/") {
            i += 1
            guard let sub = token() else { return nil }
            mediaType += "/" + sub
        } else {
            return nil
        }
        var params: [String: String] = [:]
        while true {
            skipSpace()
            if i >= bytes.count { break }
            guard bytes[i] == UInt8(ascii: ";") else { return nil }
            i += 1
            skipSpace()
            if i >= bytes.count { break }  // trailing semicolon is ignored
            guard let key = token() else { return nil }
            skipSpace()
            guard i < bytes.count, bytes[i] == UInt8(ascii: "=") else { return nil }
            i += 1
            skipSpace()
            var val: String
            if i < bytes.count, bytes[i] == UInt8(ascii: "\"") {
                i += 1
                var out: [UInt8] = []
                var closed = false
                while i < bytes.count {
                    let c = bytes[i]
                    if c == UInt8(ascii: "\"") { closed = true; i += 1; break }
                    if c == UInt8(ascii: "\\"), i + 1 < bytes.count { out.append(bytes[i + 1]); i += 2; continue }
                    out.append(c); i += 1
                }
                guard closed else { return nil }
                val = String(decoding: out, as: UTF8.self)
            } else {
                guard let t = token() else { return nil }
                val = t
            }
            let lowerKey = key.lowercased()
            guard params[lowerKey] == nil else { return nil }  // duplicate parameter
            params[lowerKey] = val
        }
        return (mediaType.lowercased(), params)
    }

    private static func isTokenChar(_ c: UInt8) -> Bool {
        guard c > 0x20, c < 0x7F else { return false }
        return !"()<>@,;:\\\"/[]?=".utf8.contains(c)
    }
}
