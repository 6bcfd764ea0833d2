extension JSONParser {
    /// The value of the top-level member `key` of the JSON object in `bytes` (the last one when
    /// the key repeats, as `JSONValue`'s subscript reads it), or nil when it has none. The other
    /// members' values are stepped over, checked for structure but not built: one field of a
    /// record costs a scan of its bytes, not a tree (the journal's record keys of a million records).
    public static func member(_ key: String, ofObject bytes: UnsafeRawBufferPointer) throws(JSONSyntaxError) -> JSONValue? {
        var parser = JSONParser(bytes: bytes, pos: 0, end: bytes.count, maxDepth: defaultMaxDepth)
        return try parser.member(Array(key.utf8))
    }

    private mutating func member(_ key: [UInt8]) throws(JSONSyntaxError) -> JSONValue? {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        skipWhitespace()
        guard pos < end, bytes[pos] == UInt8(ascii: "{") else { throw error("unexpected \(describe(pos)): a JSON object was expected", at: pos) }
        pos += 1
        skipWhitespace()
        var found: JSONValue?
        if pos < end, bytes[pos] == UInt8(ascii: "}") {
            pos += 1
        } else {
            while true {
                guard pos < end, bytes[pos] == quote else {
                    throw error("unexpected \(describe(pos)): an object key in double quotes was expected", at: pos)
                }
                let open = pos
                try skipString()
                let raw = UnsafeRawBufferPointer(rebasing: bytes[(open + 1)..<(pos - 1)])
                let matches: Bool
                if raw.contains(backslash) {
                    // An escaped key is compared decoded.
                    var decoder = self
                    decoder.pos = open
                    matches = Array(try decoder.parseString().utf8) == key
                } else {
                    matches = raw.elementsEqual(key)
                }
                skipWhitespace()
                guard pos < end, bytes[pos] == UInt8(ascii: ":") else {
                    throw error("unexpected \(describe(pos)) after an object key: ':' was expected", at: pos)
                }
                pos += 1
                skipWhitespace()
                if matches { found = try parseValue() } else { try skipValue() }
                skipWhitespace()
                guard pos < end else { throw error("unexpected end of input inside an object: ',' or '}' was expected", at: pos) }
                if bytes[pos] == UInt8(ascii: "}") { pos += 1; break }
                guard bytes[pos] == UInt8(ascii: ",") else {
                    throw error("unexpected \(describe(pos)) inside an object: ',' or '}' was expected", at: pos)
                }
                pos += 1
                skipWhitespace()
            }
        }
        skipWhitespace()
        if pos < end { throw error("unexpected \(describe(pos)) after the end of the JSON value", at: pos) }
        return found
    }
}
