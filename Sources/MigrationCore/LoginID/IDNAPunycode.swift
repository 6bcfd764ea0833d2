/// Go's `idna.ToASCII` (`golang.org/x/net/idna`, the `Punycode` profile: no mapping, no
/// validation), used by the server only for an email's *unique key*, never for the stored claim.
///
/// Each `.`-separated label that is not pure ASCII becomes `xn--` + RFC 3492 Punycode; labels that
/// already start with `xn--` are decoded first (invalid Punycode is an error).
enum IDNAPunycode {
    struct Failure: Error { let label: String }

    static func toASCII(_ domain: String) throws(Failure) -> String {
        let bytes = domain.utf8
        if bytes.allSatisfy({ $0 < 0x80 }), !GoStrings.contains(domain, "xn--") { return domain }
        var labels = domain.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var failure: Failure?
        for i in labels.indices where labels[i].hasPrefix("xn--") {
            if let decoded = decode(Array(labels[i].utf8.dropFirst(4))) {
                labels[i] = decoded
            } else if failure == nil {
                failure = Failure(label: labels[i])
            }
        }
        for i in labels.indices where !labels[i].utf8.allSatisfy({ $0 < 0x80 }) {
            labels[i] = "xn--" + encode(Array(labels[i].unicodeScalars.map(\.value)))
        }
        if let failure { throw failure }
        return labels.joined(separator: ".")
    }

    private static let base: Int64 = 36, tMin: Int64 = 1, tMax: Int64 = 26, skew: Int64 = 38, damp: Int64 = 700
    private static let initialBias: Int64 = 72, initialN: Int64 = 128

    private static func adapt(_ delta: Int64, _ numPoints: Int64, _ firstTime: Bool) -> Int64 {
        var delta = firstTime ? delta / damp : delta / 2
        delta += delta / numPoints
        var k: Int64 = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }

    private static func threshold(_ k: Int64, _ bias: Int64) -> Int64 {
        k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
    }

    private static func digitChar(_ d: Int64) -> Character {
        Character(Unicode.Scalar(UInt8(d < 26 ? d + 97 : d - 26 + 48)))
    }

    static func encode(_ input: [UInt32]) -> String {
        var output = ""
        var basic: Int64 = 0
        for r in input where r < 0x80 {
            output.append(Character(Unicode.Scalar(UInt8(r))))
            basic += 1
        }
        var h = basic
        if basic > 0 { output.append("-") }
        var n = initialN, delta: Int64 = 0, bias = initialBias
        while h < Int64(input.count) {
            let m = Int64(input.filter { Int64($0) >= n }.min()!)
            delta += (m - n) * (h + 1)
            n = m
            for r in input {
                if Int64(r) < n { delta += 1 }
                if Int64(r) == n {
                    var q = delta, k = base
                    while true {
                        let t = threshold(k, bias)
                        if q < t { break }
                        output.append(digitChar(t + (q - t) % (base - t)))
                        q = (q - t) / (base - t)
                        k += base
                    }
                    output.append(digitChar(q))
                    bias = adapt(delta, h + 1, h == basic)
                    delta = 0
                    h += 1
                }
            }
            delta += 1
            n += 1
        }
        return output
    }

    /// x/net's `decode`: nil on malformed input.
    static func decode(_ encoded: [UInt8]) -> String? {
        if encoded.isEmpty { return "" }
        let dash = encoded.lastIndex(of: UInt8(ascii: "-")).map { $0 + 1 } ?? 0
        if dash == 1 { return nil }
        if dash == encoded.count { return String(decoding: encoded.dropLast(), as: UTF8.self) }
        var output: [UInt32] = dash > 0 ? String(decoding: encoded[..<(dash - 1)], as: UTF8.self).unicodeScalars.map(\.value) : []
        var i: Int64 = 0, n = initialN, bias = initialBias, pos = dash
        while pos < encoded.count {
            let oldI = i
            var w: Int64 = 1, k = base
            while true {
                guard pos < encoded.count else { return nil }
                let c = encoded[pos]
                let digit: Int64
                switch c {
                case 0x30...0x39: digit = Int64(c) - 22
                case 0x41...0x5A: digit = Int64(c) - 0x41
                case 0x61...0x7A: digit = Int64(c) - 0x61
                default: return nil
                }
                pos += 1
                i += digit * w
                if i > Int64(Int32.max) { return nil }
                let t = threshold(k, bias)
                if digit < t { break }
                w *= base - t
                if w > Int64(Int32.max) { return nil }
                k += base
            }
            if output.count >= 1024 { return nil }
            let x = Int64(output.count + 1)
            bias = adapt(i - oldI, x, oldI == 0)
            n += i / x
            i %= x
            guard n >= 0, n <= 0x10FFFF, let _ = Unicode.Scalar(UInt32(n)) else { return nil }
            output.insert(UInt32(n), at: Int(i))
            i += 1
        }
        return String(String.UnicodeScalarView(output.compactMap(Unicode.Scalar.init)))
    }
}
