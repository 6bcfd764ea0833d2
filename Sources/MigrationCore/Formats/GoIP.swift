/// Port of Go `net/netip.ParseAddr` acceptance (as used by `net.ParseIP` and `net/url`).
enum GoIP {
    /// A parsed address: 4 bytes (IPv4) or 16 bytes (IPv6), with an optional zone.
    struct Address: Sendable {
        let bytes: [UInt8]
        let zone: String

        /// `ip.To4() != nil` for the 16-byte form `net.ParseIP` returns.
        var isIPv4OrMapped: Bool {
            if bytes.count == 4 { return true }
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF
        }
    }

    /// `net.ParseIP(s) != nil` (zones are rejected).
    static func parseIP(_ s: String) -> Address? {
        guard let a = parseAddr(s), a.zone.isEmpty else { return nil }
        return a
    }

    /// `netip.ParseAddr(s)`, nil on any error.
    static func parseAddr(_ s: String) -> Address? {
        let b = Array(s.utf8)
        for c in b {
            if c == UInt8(ascii: ".") { return parseIPv4(b[...]).map { Address(bytes: $0, zone: "") } }
            if c == UInt8(ascii: ":") { return parseIPv6(b) }
            if c == UInt8(ascii: "%") { return nil }
        }
        return nil
    }

    /// Strict dotted decimal: four fields, no leading zeros, each <= 255.
    static func parseIPv4(_ s: ArraySlice<UInt8>) -> [UInt8]? {
        var fields: [UInt8] = []
        var val = 0
        var digits = 0
        var lead0 = false
        for c in s {
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                if digits == 1 && lead0 { return nil }
                val = val * 10 + Int(c - 48)
                digits += 1
                if digits == 1 && c == UInt8(ascii: "0") { lead0 = true }
                if val > 255 { return nil }
            } else if c == UInt8(ascii: ".") {
                if digits == 0 || fields.count == 3 { return nil }
                fields.append(UInt8(val))
                val = 0; digits = 0; lead0 = false
            } else {
                return nil
            }
        }
        if digits == 0 || fields.count != 3 { return nil }
        fields.append(UInt8(val))
        return fields
    }

    private static func hexDigit(_ c: UInt8) -> Int? {
        switch c {
        case 0x30...0x39: return Int(c - 0x30)
        case 0x41...0x46: return Int(c - 0x41 + 10)
        case 0x61...0x66: return Int(c - 0x61 + 10)
        default: return nil
        }
    }

    private static func parseIPv6(_ input: [UInt8]) -> Address? {
        var s = input[...]
        var zone = ""
        if let p = s.firstIndex(of: UInt8(ascii: "%")) {
            zone = String(decoding: s[(p + 1)...], as: UTF8.self)
            s = s[..<p]
            if zone.isEmpty { return nil }
        }
        var ip = [UInt8](repeating: 0, count: 16)
        var ellipsis = -1
        var i = 0
        if s.count >= 2 && s.first == UInt8(ascii: ":") && s[s.startIndex + 1] == UInt8(ascii: ":") {
            ellipsis = 0
            s = s.dropFirst(2)
            if s.isEmpty { return Address(bytes: ip, zone: zone) }
        }
        while i < 16 {
            var off = 0
            var acc = 0
            while off < s.count, let d = hexDigit(s[s.startIndex + off]) {
                acc = acc * 16 + d
                off += 1
                if off > 4 || acc > 0xFFFF { return nil }
            }
            if off == 0 { return nil }
            if off < s.count && s[s.startIndex + off] == UInt8(ascii: ".") {
                if ellipsis < 0 && i != 12 { return nil }
                if i + 4 > 16 { return nil }
                guard let v4 = parseIPv4(s) else { return nil }
                ip[i] = v4[0]; ip[i + 1] = v4[1]; ip[i + 2] = v4[2]; ip[i + 3] = v4[3]
                s = s[s.endIndex...]
                i += 4
                break
            }
            ip[i] = UInt8(acc >> 8)
            ip[i + 1] = UInt8(acc & 0xFF)
            i += 2
            s = s.dropFirst(off)
            if s.isEmpty { break }
            if s.first != UInt8(ascii: ":") || s.count == 1 { return nil }
            s = s.dropFirst()
            if s.first == UInt8(ascii: ":") {
                if ellipsis >= 0 { return nil }
                ellipsis = i
                s = s.dropFirst()
                if s.isEmpty { break }
            }
        }
        if !s.isEmpty { return nil }
        if i < 16 {
            if ellipsis < 0 { return nil }
            let n = 16 - i
            var j = i - 1
            while j >= ellipsis {
                ip[j + n] = ip[j]
                j -= 1
            }
            for k in ellipsis..<(ellipsis + n) { ip[k] = 0 }
        } else if ellipsis >= 0 {
            return nil
        }
        return Address(bytes: ip, zone: zone)
    }
}
