/// The server's JSON-schema format checks. Each returns nil when the value is accepted, or the
/// server's `details.error` text when it is not.
///
/// Ports of `pkg/util/validation/formats.go` (Authgear), the `email` checker of
/// `iawaknahc/jsonschema`, and the Go standard library / `golang.org/x/text` code they call.
public enum FormatRules {
    /// `email`: Go `net/mail.ParseAddress`, display names rejected.
    public static func email(_ s: String) -> String? {
        switch GoMailAddress.parseSingle(s) {
        case .failure(let error):
            return "invalid email address: " + error.message
        case .success(let address):
            return address.name.isEmpty ? nil : "invalid email address"
        }
    }

    /// `date-time`: Go `time.Parse(time.RFC3339, s)`.
    public static func dateTime(_ s: String) -> String? {
        GoTimeParse.isRFC3339(s) ? nil : "date-time must be in rfc3339 format"
    }

    /// `birthdate`: `2006-01-02`, `0000-01-02`, `--01-02` or `2006` Go layouts.
    public static func birthdate(_ s: String) -> String? {
        GoTimeParse.isBirthdate(s) ? nil : "invalid birthdate: " + goQuote(s)
    }

    /// `timezone`: at least one `/` and loadable through Go `time.LoadLocation`.
    public static func timezone(_ s: String) -> String? {
        if !s.utf8.contains(UInt8(ascii: "/")) {
            return "valid timezone name has at least 1 slash: " + goQuote(s)
        }
        if let error = GoTimezone.loadError(s) {
            return "invalid timezone name: " + error
        }
        return nil
    }

    /// `bcp47`: `language.Parse` succeeds and the tag's canonical string equals the input.
    public static func bcp47(_ s: String) -> String? {
        switch BCP47Parser.parse(s) {
        case .failure(let error):
            return "invalid BCP 47 tag: " + error.message
        case .success(let canonical):
            return canonical == s ? nil : "non-canonical BCP 47 tag: \(s) != \(canonical)"
        }
    }

    /// `uri`: Go `url.Parse` succeeds, scheme and host are non-empty and the path is clean.
    ///
    /// When `url.Parse` fails, the server's `details` is not `{"error": …}` but the JSON of Go's
    /// `*url.Error` (`{"Err":{},"Op":"parse","URL":…}`); this returns the `Error()` text of that
    /// error instead (`parse "<url>": <reason>`). Use ``uriParseFailure(_:)`` to tell the cases apart.
    public static func uri(_ s: String) -> String? {
        switch GoURL.parse(s) {
        case .failure(let error):
            return error.description
        case .success(let url):
            if url.scheme.isEmpty || url.host.isEmpty {
                return "input URL must be absolute"
            }
            return absolutePath(url.escapedPath)
        }
    }

    /// `x_picture`: `http`/`https` URL satisfying `uri`, or `authgearimages:///<clean path>`.
    public static func picture(_ s: String) -> String? {
        switch GoURL.parse(s) {
        case .failure(let error):
            return error.description
        case .success(let url):
            switch url.scheme {
            case "http", "https":
                return uri(s)
            case "authgearimages":
                if !url.host.isEmpty {
                    return "authgearimages URI does not have host"
                }
                return absolutePath(url.escapedPath)
            default:
                return "invalid scheme: " + url.scheme
            }
        }
    }

    /// The Go `*url.Error` of `url.Parse(s)` when parsing fails (server then reports
    /// `{"Err":{},"Op":"parse","URL":<url>}` as details), or nil when `url.Parse` succeeds.
    public static func uriParseFailure(_ s: String) -> (op: String, url: String, reason: String)? {
        if case .failure(let error) = GoURL.parse(s) {
            return ("parse", error.url, error.reason)
        }
        return nil
    }

    /// Authgear `FormatAbsolutePath`: absolute and unchanged by Go `path.Clean` (trailing slash kept).
    static func absolutePath(_ raw: String) -> String? {
        let str = raw.isEmpty ? "/" : raw
        let hasTrailingSlash = str.hasSuffix("/")
        var cleaned = GoPath.clean(str)
        if hasTrailingSlash && !cleaned.hasSuffix("/") {
            cleaned += "/"
        }
        if !str.hasPrefix("/") || cleaned != str {
            return "invalid path: " + str
        }
        return nil
    }

    /// Go's `strconv.Quote` (also what `%q` and `%#v` print for a string).
    public static func goQuote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            appendQuoted(scalar, quote: "\"", to: &out)
        }
        out += "\""
        return out
    }

    /// Go's `strconv.QuoteRune` (what `%q` prints for a rune).
    static func goQuoteRune(_ scalar: Unicode.Scalar) -> String {
        var out = "'"
        appendQuoted(scalar, quote: "'", to: &out)
        out += "'"
        return out
    }

    private static func appendQuoted(_ r: Unicode.Scalar, quote: Character, to out: inout String) {
        let v = r.value
        if Character(r) == quote || r == "\\" {
            out += "\\" + String(r)
            return
        }
        if isGoPrint(r) {
            out.unicodeScalars.append(r)
            return
        }
        switch v {
        case 0x07: out += "\\a"
        case 0x08: out += "\\b"
        case 0x0C: out += "\\f"
        case 0x0A: out += "\\n"
        case 0x0D: out += "\\r"
        case 0x09: out += "\\t"
        case 0x0B: out += "\\v"
        default:
            if v < 0x20 || v == 0x7F {
                out += "\\x" + hex(v, width: 2)
            } else if v < 0x10000 {
                out += "\\u" + hex(v, width: 4)
            } else {
                out += "\\U" + hex(v, width: 8)
            }
        }
    }

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Go `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and U+0020.
    private static func isGoPrint(_ r: Unicode.Scalar) -> Bool {
        if r.value < 0x80 {
            return r.value >= 0x20 && r.value < 0x7F
        }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark,
             .decimalNumber, .letterNumber, .otherNumber,
             .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
             .initialPunctuation, .finalPunctuation, .otherPunctuation,
             .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }
}
