import Foundation

/// Where a request really goes: whether a host is this machine, and which proxy libcurl takes
/// from the environment for a URL. Used to refuse plain http:// that would leave the machine
/// (``ConnectionSettings``) and to name a dead proxy as the proxy (the libcurl transport).
public enum NetworkPath {
    /// Whether `host` (as written in a URL: a name, an IPv4 literal or a bracketed IPv6 literal)
    /// certainly means this machine: `localhost`, 127.0.0.0/8, `[::1]` or `[::ffff:127.x.y.z]`.
    ///
    /// Strict on purpose: anything else — `localhost.evil.com`, `127.0.0.1.evil.com`, the
    /// shorthand and numeric forms libcurl may still accept (`127.1`, `0x7f.0.0.1`,
    /// `2130706433`), percent-encoding, `0.0.0.0` — is not loopback.
    public static func isLoopback(host: String) -> Bool {
        if host.lowercased() == "localhost" { return true }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 { return UInt32(bigEndian: v4.s_addr) >> 24 == 127 }
        guard host.hasPrefix("["), host.hasSuffix("]") else { return false }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, String(host.dropFirst().dropLast()), &v6) == 1 else { return false }
        let bytes = withUnsafeBytes(of: &v6) { Array($0) }
        if bytes[0..<15].allSatisfy({ $0 == 0 }) && bytes[15] == 1 { return true }            // ::1
        return bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF // ::ffff:127.x.y.z
            && bytes[12] == 127
    }

    /// A proxy set in the environment.
    public struct Proxy: Sendable, Equatable, CustomStringConvertible {
        /// The variable it came from, e.g. `https_proxy`.
        public var variable: String
        /// The proxy URL with any `user:password@` replaced by `***@`.
        public var maskedURL: String
        /// The proxy's host as written (IPv6 in brackets).
        public var host: String

        public init(variable: String, maskedURL: String, host: String) {
            (self.variable, self.maskedURL, self.host) = (variable, maskedURL, host)
        }

        /// E.g. `http://***@proxy.corp:3128 (from https_proxy)`.
        public var description: String { "\(maskedURL) (from \(variable))" }
    }

    /// The proxy libcurl 7.88 uses for `scheme://host` when no proxy option is set, read through
    /// `lookup` (libcurl's `detect_proxy` and `Curl_check_noproxy`): `no_proxy`/`NO_PROXY` first,
    /// then `<scheme>_proxy` (lower case; upper case too except `HTTP_PROXY`, which libcurl
    /// ignores), then `all_proxy`/`ALL_PROXY`. An empty variable counts as unset (`curl_getenv`).
    public static func proxy(scheme: String, host: String, lookup rawLookup: (String) -> String?) -> Proxy? {
        func lookup(_ name: String) -> String? {
            guard let value = rawLookup(name), !value.isEmpty else { return nil }
            return value
        }
        let scheme = scheme.lowercased()
        if let noProxy = lookup("no_proxy") ?? lookup("NO_PROXY"), bypasses(noProxy, host: host) { return nil }
        var names = ["\(scheme)_proxy"]
        if scheme != "http" { names.append("\(scheme.uppercased())_PROXY") }
        var found: (String, String)?
        for name in names { if let value = lookup(name) { found = (name, value); break } }
        if found == nil {
            for name in ["all_proxy", "ALL_PROXY"] { if let value = lookup(name) { found = (name, value); break } }
        }
        guard let (variable, raw) = found else { return nil }
        let value = raw.trimmingCharacters(in: .whitespaces)
        guard !value.isEmpty else { return nil }
        return Proxy(variable: variable, maskedURL: masked(value), host: proxyHost(value))
    }

    /// ``proxy(scheme:host:lookup:)`` for a URL, reading this process's environment now.
    public static func proxy(forURL url: String) -> Proxy? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        let written = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return proxy(scheme: scheme, host: written) { name in getenv(name).map { String(cString: $0) } }
    }

    /// `no_proxy` matching as libcurl 7.88 does it: `*` alone bypasses everything; entries are
    /// separated by commas or spaces; a name matches itself and its subdomains (a leading dot
    /// is ignored); an IP matches exactly or by CIDR prefix (IPv4).
    static func bypasses(_ list: String, host: String) -> Bool {
        let trimmed = list.trimmingCharacters(in: .whitespaces)
        if trimmed == "*" { return true }
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name.hasSuffix(".") { name.removeLast() }
        var v4 = in_addr()
        let hostIPv4: UInt32? = inet_pton(AF_INET, name, &v4) == 1 ? UInt32(bigEndian: v4.s_addr) : nil
        for rawEntry in trimmed.split(whereSeparator: { $0 == "," || $0 == " " || $0 == "\t" }) {
            var entry = rawEntry.lowercased()
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            }
            if entry.hasSuffix(".") { entry.removeLast() }
            if entry.hasPrefix(".") { entry.removeFirst() }
            if entry.isEmpty { continue }
            if let hostIPv4, let slash = entry.firstIndex(of: "/") {
                var net = in_addr()
                guard inet_pton(AF_INET, String(entry[..<slash]), &net) == 1,
                      let bits = Int(entry[entry.index(after: slash)...]), (0...32).contains(bits) else { continue }
                let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << UInt32(32 - bits)
                if hostIPv4 & mask == UInt32(bigEndian: net.s_addr) & mask { return true }
                continue
            }
            if name == entry || name.hasSuffix("." + entry) { return true }
        }
        return false
    }

    /// The proxy URL with credentials replaced by `***`.
    static func masked(_ url: String) -> String {
        let schemeEnd = url.range(of: "://")
        let authorityStart = schemeEnd?.upperBound ?? url.startIndex
        let authorityEnd = url[authorityStart...].firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? url.endIndex
        guard let at = url[authorityStart..<authorityEnd].lastIndex(of: "@") else { return url }
        return String(url[..<authorityStart]) + "***" + String(url[at...])
    }

    /// The host of a proxy URL (the scheme is optional, as for libcurl).
    static func proxyHost(_ url: String) -> String {
        var rest = Substring(url)
        if let schemeEnd = rest.range(of: "://") { rest = rest[schemeEnd.upperBound...] }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") { return String(rest[...close]) }
        if let colon = rest.lastIndex(of: ":") { rest = rest[..<colon] }
        return String(rest)
    }
}
