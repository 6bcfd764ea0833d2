import Foundation

/// RFC 2047 word decoding and RFC 5322 character classes used by the `net/mail` port.
extension GoMailParser {
    // MARK: RFC 2047 (mime.WordDecoder with the charset-rejecting reader of net/mail)

    static func decodeRFC2047Word(_ w: String) -> (word: String, isEncoded: Bool, error: GoFormatError?) {
        let b = Array(w.utf8)
        let q = UInt8(ascii: "?"), eq = UInt8(ascii: "=")
        guard b.count >= 8, b[0] == eq, b[1] == q, b[b.count - 2] == q, b[b.count - 1] == eq,
              b.filter({ $0 == q }).count == 4 else { return (w, false, nil) }
        let inner = Array(b[2..<(b.count - 2)])
        let parts = inner.split(separator: q, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].count == 1 else { return (w, false, nil) }
        let charset = String(decoding: parts[0], as: UTF8.self)
        let text = Array(parts[2])
        let content: [UInt8]
        switch parts[1].first! {
        case UInt8(ascii: "B"), UInt8(ascii: "b"):
            guard let d = Data(base64Encoded: Data(text)) else { return (w, false, nil) }
            content = Array(d)
        case UInt8(ascii: "Q"), UInt8(ascii: "q"):
            guard let d = qDecode(text) else { return (w, false, nil) }
            content = d
        default:
            return (w, false, nil)
        }
        switch charset.lowercased() {
        case "utf-8":
            return (String(decoding: content, as: UTF8.self), true, nil)
        case "iso-8859-1":
            return (String(String.UnicodeScalarView(content.map { Unicode.Scalar($0) })), true, nil)
        case "us-ascii":
            let scalars = content.map { $0 >= 0x80 ? Unicode.Scalar(0xFFFD)! : Unicode.Scalar($0) }
            return (String(String.UnicodeScalarView(scalars)), true, nil)
        default:
            return (w, true, GoFormatError(message: "charset not supported: " + FormatRules.goQuote(charset.lowercased())))
        }
    }

    private static func qDecode(_ s: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        var k = 0
        while k < s.count {
            let c = s[k]
            if c == UInt8(ascii: "_") {
                out.append(0x20)
            } else if c == UInt8(ascii: "=") {
                guard k + 2 < s.count, let h = hexValue(s[k + 1]), let l = hexValue(s[k + 2]) else { return nil }
                out.append(h << 4 | l)
                k += 2
            } else if (c >= 0x20 && c <= 0x7E) || c == 0x0A || c == 0x0D || c == 0x09 {
                out.append(c)
            } else {
                return nil
            }
            k += 1
        }
        return out
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    // MARK: character classes

    static func isAtext(_ r: Unicode.Scalar, dot: Bool) -> Bool {
        switch r {
        case ".": return dot
        case "(", ")", "<", ">", "[", "]", ":", ";", "@", "\\", ",", "\"": return false
        default: return isVchar(r)
        }
    }

    static func isQtext(_ r: Unicode.Scalar) -> Bool {
        r != "\\" && r != "\"" && isVchar(r)
    }

    static func isVchar(_ r: Unicode.Scalar) -> Bool {
        (r.value >= 0x21 && r.value <= 0x7E) || r.value >= 0x80
    }

    static func isWSP(_ r: Unicode.Scalar) -> Bool { r == " " || r == "\t" }

    static func isDtext(_ r: Unicode.Scalar) -> Bool {
        r != "[" && r != "]" && r != "\\" && isVchar(r)
    }
}
