/// The source formats authgear-migrate reads.
public enum SourceFormat: String, Sendable, CaseIterable, Codable {
    /// `{"identifier": …, "upsert": …, "records": […]}`: what the User Import API takes.
    case authgear
    /// A bare JSON array of record objects.
    case jsonArray = "json-array"
    /// One JSON record per line (JSON Lines); blank lines allowed.
    case ndjson
    /// Comma-separated values with a header row, mapped to record fields.
    case csv
    // The exports of other systems, each read through its preset mapping (`SourcePresets`);
    // how their records are laid out (NDJSON, an array, `{"users": [...]}`, CSV) is detected.
    case auth0, firebase, supabase, clerk, cognito, keycloak, okta, django, laravel, devise, wordpress

    /// Whether this names another system's export rather than a layout of Authgear records.
    public var isSystem: Bool {
        switch self {
        case .authgear, .jsonArray, .ndjson, .csv: return false
        default: return true
        }
    }

    /// Every name `--format` takes, for help and messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")

    /// What the source is (its format, record layout and preset), from its content; `forced`
    /// (`--format`) names the format instead, the layout is still read from the content.
    public static func shape(_ bytes: UnsafeRawBufferPointer, path: String, forced: SourceFormat? = nil) throws(SourceError) -> SourceShape {
        try SourceDetection.detect(bytes, path: path, forced: forced)
    }

    /// Guesses the layout from the first bytes of the content (never the file name).
    public static func detect(_ bytes: UnsafeRawBufferPointer, path: String) throws(SourceError) -> SourceFormat {
        var i = ByteScan.skipBOM(bytes)
        if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
            throw SourceError(path: path, line: 1, column: 1, message: "the file is UTF-16, not UTF-8",
                              hint: "convert it, e.g. iconv -f UTF-16 -t UTF-8 \(path) > converted.json")
        }
        let probe = min(bytes.count, 4096)
        for k in 0..<probe where bytes[k] == 0 {
            throw SourceError(path: path, message: "the file contains NUL bytes near the start (byte \(k)): it is binary or not UTF-8",
                              hint: "give a UTF-8 JSON, NDJSON or CSV file")
        }
        while i < bytes.count, ByteScan.isWhitespace(bytes[i]) { i += 1 }
        guard i < bytes.count else {
            throw SourceError(path: path, message: "the file is empty", hint: "give a JSON, NDJSON or CSV file with at least one record")
        }
        switch bytes[i] {
        case UInt8(ascii: "["): return .jsonArray
        case UInt8(ascii: "{"):
            // An import document's first key is one of its three; a record's never is.
            var j = i + 1
            while j < bytes.count, ByteScan.isWhitespace(bytes[j]) { j += 1 }
            if j < bytes.count, bytes[j] == UInt8(ascii: "\"") {
                var k = j + 1
                while k < bytes.count, bytes[k] != UInt8(ascii: "\""), k - j < 64 { k += 1 }
                let key = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(j + 1)..<min(k, bytes.count)]), as: UTF8.self)
                if key == "identifier" || key == "upsert" || key == "records" { return .authgear }
            }
            return .ndjson
        default:
            return .csv
        }
    }
}

/// Small byte-level helpers shared by the scanners.
enum ByteScan {
    @inline(__always) static func isWhitespace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 }

    /// 3 when the bytes start with a UTF-8 byte-order mark, else 0.
    static func skipBOM(_ bytes: UnsafeRawBufferPointer) -> Int {
        bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
    }
}
