/// Port of `golang.org/x/text/language.Parse` (Default canonicalisation) + `Tag.String()`.
///
/// Works on the token list instead of x/text's in-place byte buffer; produces the same
/// canonical string and the same error (ErrSyntax beats any other error, else the first one).
enum BCP47Parser {
    private static let errSyntax = "language: tag is not well-formed"
    private static let errDuplicateKey = "language: different values for same key in -u extension"

    private struct State {
        var tokens: [[UInt8]]
        var pos = 0
        var syntax = false
        var firstError: String?

        var token: [UInt8]? { pos < tokens.count ? tokens[pos] : nil }
        var tokenCount: Int { token?.count ?? 0 }

        mutating func setError(_ message: String) {
            if message == BCP47Parser.errSyntax { syntax = true } else if firstError == nil { firstError = message }
        }
        mutating func valueError(_ t: [UInt8]) {
            setError("language: subtag " + FormatRules.goQuote(String(decoding: t, as: UTF8.self)) + " is well-formed but unknown")
        }
    }

    private struct Core {
        var lang = "und"
        var script = ""
        var region = ""
        var extlangs: [String] = []  // only kept (unnormalised) inside a -t- extension
        var rest: [String] = []  // lowercased variants and extensions, already ordered
    }

    /// The canonical string of `language.Parse(s)`, or its error text.
    static func parse(_ s: String) -> Result<String, GoFormatError> {
        if s.isEmpty { return .failure(GoFormatError(message: errSyntax)) }
        if let g = grandfathered(s) { return .success(g) }
        var bytes = Array(s.utf8)
        for k in bytes.indices where bytes[k] == UInt8(ascii: "_") { bytes[k] = UInt8(ascii: "-") }
        let tokens = bytes.split(separator: UInt8(ascii: "-"), omittingEmptySubsequences: false).map(Array.init)
        for t in tokens where t.isEmpty || t.count > 8 || !t.allSatisfy(isAlnum) {
            return .failure(GoFormatError(message: errSyntax))
        }
        var st = State(tokens: tokens)
        var core = Core()
        let n = tokens[0].count
        if n == 1 {
            st.tokens = tokens.map(lower)
            if st.tokens[0] != [UInt8(ascii: "x")] { return .failure(GoFormatError(message: errSyntax)) }
            core.rest = parseExtensions(&st)
            core.lang = ""
        } else if n >= 4 {
            return .failure(GoFormatError(message: errSyntax))
        } else {
            parseTag(&st, &core, normalize: true)
            if st.tokenCount == 1 {
                core.rest += parseExtensions(&st)
            } else if st.token != nil {
                st.setError(errSyntax)
            }
        }
        if st.syntax { return .failure(GoFormatError(message: errSyntax)) }
        if let e = st.firstError { return .failure(GoFormatError(message: e)) }
        if core.lang.isEmpty { return .success(core.rest.joined(separator: "-")) }
        canonicalize(&core)
        var parts = [core.lang]
        if !core.script.isEmpty { parts.append(core.script) }
        if !core.region.isEmpty { parts.append(core.region) }
        return .success((parts + core.rest).joined(separator: "-"))
    }

    private static func isAlnum(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
    }
    private static func isAlpha(_ c: UInt8) -> Bool { c > UInt8(ascii: "9") }
    private static func lower(_ t: [UInt8]) -> [UInt8] { t.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 } }
    private static func upper(_ t: [UInt8]) -> [UInt8] { t.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 32 : $0 } }
    private static func str(_ t: [UInt8]) -> String { String(decoding: t, as: UTF8.self) }
    private static func allLetters(_ t: [UInt8]) -> Bool { t.allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A } }

    /// x/text `getLangID`: lowercase letters, known code; "und" is id 0 (returned as nil lang, no error).
    private static func langID(_ t: [UInt8], _ st: inout State) -> String? {
        guard allLetters(t) else { st.setError(errSyntax); return nil }
        let l = str(lower(t))
        guard BCP47Data.languages.contains(Substring(l)) else { st.valueError(lower(t)); return nil }
        let norm = BCP47Data.languageNormal[l] ?? l
        return norm == "und" ? nil : norm
    }

    private static func parseTag(_ st: inout State, _ core: inout Core, normalize: Bool) {
        core.lang = langID(st.token!, &st) ?? "und"
        st.pos += 1
        while let t = st.token, t.count == 3, isAlpha(t[0]) {
            if normalize {
                if let l = langID(t, &st) { core.lang = l }
            } else {
                core.extlangs.append(str(lower(t)))
            }
            st.pos += 1
        }
        if let t = st.token, t.count == 4, isAlpha(t[0]) {
            if allLetters(t) {
                let title = [upper([t[0]])[0]] + lower(Array(t[1...]))
                if BCP47Data.scripts.contains(Substring(str(title))) {
                    core.script = str(title)
                } else {
                    st.valueError(title)
                }
            } else {
                st.setError(errSyntax)
            }
            st.pos += 1
        }
        if let t = st.token, t.count == 2 || t.count == 3 {
            if t.count == 3 && !isAlpha(t[0]) && t.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                let code = str(t)
                if BCP47Data.regions.contains(Substring(code)) {
                    core.region = BCP47Data.regionNormal[code] ?? code
                } else {
                    st.valueError([])  // x/text bug: the M.49 ValueError carries an empty subtag
                }
            } else if allLetters(t) && (t.count == 2 || isAlpha(t[0])) {
                let code = str(upper(t))
                if BCP47Data.regions.contains(Substring(code)) {
                    core.region = BCP47Data.regionNormal[code] ?? code
                } else {
                    st.valueError(upper(t))
                }
            } else {
                st.setError(errSyntax)
            }
            st.pos += 1
        }
        // Variants: tokens of 4+ characters, sorted by x/text's variant index, de-duplicated.
        var found: [(order: Int, name: String)] = []
        while let t = st.token, t.count >= 4 {
            let name = str(lower(t))
            if let order = BCP47Data.variantOrder[name] {
                found.append((order, name))
            } else {
                st.valueError(lower(t))
            }
            st.pos += 1
        }
        var sorted: [(order: Int, name: String)] = []
        for v in found.enumerated().sorted(by: { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }).map(\.element)
        where sorted.last?.order != v.order {
            sorted.append(v)
        }
        let isAscending = zip(found, found.dropFirst()).allSatisfy { $0.order < $1.order }
        core.rest += (isAscending ? found : sorted).map(\.name)
    }

    /// Returns the ordered extension strings (singleton-led, private use last).
    private static func parseExtensions(_ st: inout State) -> [String] {
        var exts: [[String]] = []
        var isFirst = true
        while let t = st.token, t.count == 1 {
            let ext = lower(t)[0]
            let body = parseExtension(&st, ext)
            let joined = ([str([ext])] + body).joined(separator: "-")
            if joined.utf8.count < 3 || (ext != UInt8(ascii: "x") && joined.utf8.count < 4) {
                st.setError(errSyntax)
                isFirst = false
                continue
            }
            if isFirst && (ext == UInt8(ascii: "x") || st.token == nil) {
                return (exts + [[joined]]).flatMap { $0 }
            }
            isFirst = false
            if ext == UInt8(ascii: "x") {
                exts.sort { $0[0].utf8.first! < $1[0].utf8.first! }
                return exts.flatMap { $0 } + [joined]
            }
            exts.append([joined])
        }
        // Stable sort on the singleton (x/text's insertion sort for small inputs).
        let ordered = exts.enumerated().sorted { ($0.element[0].utf8.first!, $0.offset) < ($1.element[0].utf8.first!, $1.offset) }
        return ordered.flatMap(\.element)
    }

    private static func acceptMinSize(_ st: inout State, _ min: Int) -> [String] {
        var out: [String] = []
        while let t = st.token, t.count >= min {
            out.append(str(lower(t)))
            st.pos += 1
        }
        return out
    }

    private static func parseExtension(_ st: inout State, _ ext: UInt8) -> [String] {
        st.pos += 1
        switch ext {
        case UInt8(ascii: "u"):
            var attrs: [String] = []
            while let t = st.token, t.count > 2 {
                attrs.append(str(lower(t)))
                st.pos += 1
            }
            // x/text always re-sorts attributes, comparing their first three bytes only.
            attrs = attrs.enumerated().sorted {
                (Array($0.element.utf8.prefix(3)).lexicographicallyPrecedes(Array($1.element.utf8.prefix(3))))
                    || (Array($0.element.utf8.prefix(3)) == Array($1.element.utf8.prefix(3)) && $0.offset < $1.offset)
            }.map(\.element)
            var keys: [(key: String, text: String)] = []
            while let t = st.token, t.count == 2 {
                var chunk = [str(lower(t))]
                st.pos += 1
                while let v = st.token, v.count > 2 {
                    chunk.append(str(lower(v)))
                    st.pos += 1
                }
                keys.append((chunk[0], chunk.joined(separator: "-")))
            }
            let ascending = zip(keys, keys.dropFirst()).allSatisfy { $0.key < $1.key }
            if !ascending || st.syntax || st.firstError != nil {
                let sortedKeys = keys.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }.map(\.element)
                var kept: [(key: String, text: String)] = []
                for k in sortedKeys {
                    if let last = kept.last, last.key == k.key {
                        if last.text != k.text { st.setError(errDuplicateKey) }
                    } else {
                        kept.append(k)
                    }
                }
                keys = kept
            }
            return attrs + keys.map(\.text)
        case UInt8(ascii: "t"):
            var body: [String] = []
            if let t = st.token, t.count >= 2, t.count <= 3, isAlpha(t[1]) {
                var core = Core()
                parseTag(&st, &core, normalize: false)
                body = [core.lang.lowercased()] + core.extlangs + (core.script.isEmpty ? [] : [core.script.lowercased()])
                    + (core.region.isEmpty ? [] : [core.region.lowercased()]) + core.rest
            }
            while let t = st.token, t.count == 2, !isAlpha(t[1]) {
                body.append(str(lower(t)))
                st.pos += 1
                body += acceptMinSize(&st, 3)
            }
            return body
        case UInt8(ascii: "x"):
            return acceptMinSize(&st, 1)
        default:
            return acceptMinSize(&st, 2)
        }
    }

    /// x/text `canonicalize` with `Default = Deprecated | Legacy`.
    private static func canonicalize(_ core: inout Core) {
        var guardCount = 0
        while let alias = BCP47Data.languageAlias[core.lang], guardCount < 8 {
            guardCount += 1
            if alias.legacy {
                if core.lang == "sh" && core.script.isEmpty { core.script = "Latn" }
                core.lang = alias.to
                break
            }
            if core.lang == "mo" && core.region.isEmpty { core.region = "MD" }
            core.lang = alias.to
        }
        if core.script == "Qaai" { core.script = "Zinh" }
        if let r = BCP47Data.regionAlias[core.region] { core.region = r }
    }

    /// x/text's grandfathered/legacy tags (lowercased, `_` as `-`), with their Default-canonical result.
    private static let grandfatheredTags: [String: String] = [
        "art-lojban": "jbo", "i-ami": "ami", "i-bnn": "bnn", "i-hak": "hak", "i-klingon": "tlh",
        "i-lux": "lb", "i-navajo": "nv", "i-pwn": "pwn", "i-tao": "tao", "i-tay": "tay", "i-tsu": "tsu",
        "no-bok": "nb", "no-nyn": "nn", "sgn-be-fr": "sfb", "sgn-be-nl": "vgt", "sgn-ch-de": "sgg",
        "zh-guoyu": "cmn", "zh-hakka": "hak", "zh-min-nan": "nan", "zh-xiang": "hsn",
        "cel-gaulish": "xtg-x-cel-gaulish", "en-gb-oed": "en-GB-oxendict", "i-default": "en-x-i-default",
        "i-enochian": "und-x-i-enochian", "i-mingo": "see-x-i-mingo", "zh-min": "nan-x-zh-min",
        "root": "und", "en-us-posix": "en-US-u-va-posix",
    ]

    /// Go builds an 11-byte key: byte(rune) at each rune's byte offset, zero elsewhere.
    private static func grandfathered(_ s: String) -> String? {
        let utf8 = Array(s.utf8)
        guard utf8.count <= 11 else { return nil }
        var key = [UInt8](repeating: 0, count: 11)
        var offset = 0
        for scalar in s.unicodeScalars {
            var c = UInt8(truncatingIfNeeded: scalar.value)
            if scalar.value >= 0x41 && scalar.value <= 0x5A { c += 32 } else if scalar == "_" { c = UInt8(ascii: "-") }
            key[offset] = c
            offset += String(scalar).utf8.count
        }
        let end = key.firstIndex(of: 0) ?? 11
        guard key[end...].allSatisfy({ $0 == 0 }) else { return nil }
        return grandfatheredTags[String(decoding: key[..<end], as: UTF8.self)]
    }
}
