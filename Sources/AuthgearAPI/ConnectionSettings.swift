import Foundation

/// Where and how to reach a project's Admin API, each value with the place it came from.
///
/// Precedence: command-line flags > environment (`AUTHGEAR_ENDPOINT`, `AUTHGEAR_PROJECT_ID`,
/// `AUTHGEAR_KEY_ID`, `AUTHGEAR_KEY_FILE`, `AUTHGEAR_CA_FILE`) > the selected profile of
/// ``ProfileFile`` (`--profile NAME`, else `AUTHGEAR_PROFILE`, else `default`). A `sandbox.env`
/// file of `AUTHGEAR_…=…` lines works once sourced into the environment (`set -a; . ./sandbox.env`).
public struct ConnectionSettings: Sendable, Equatable {
    /// One connection value.
    public enum Field: String, Sendable, CaseIterable, CustomStringConvertible {
        case endpoint, projectID, keyID, keyFile, caFile

        /// The command-line flag, e.g. `--project-id`.
        public var flag: String {
            switch self {
            case .endpoint: return "--endpoint"
            case .projectID: return "--project-id"
            case .keyID: return "--key-id"
            case .keyFile: return "--key-file"
            case .caFile: return "--ca-file"
            }
        }

        /// The environment variable, e.g. `AUTHGEAR_PROJECT_ID`.
        public var environmentVariable: String {
            switch self {
            case .endpoint: return "AUTHGEAR_ENDPOINT"
            case .projectID: return "AUTHGEAR_PROJECT_ID"
            case .keyID: return "AUTHGEAR_KEY_ID"
            case .keyFile: return "AUTHGEAR_KEY_FILE"
            case .caFile: return "AUTHGEAR_CA_FILE"
            }
        }

        /// The key inside a profile, e.g. `project_id`.
        public var profileKey: String {
            switch self {
            case .endpoint: return "endpoint"
            case .projectID: return "project_id"
            case .keyID: return "key_id"
            case .keyFile: return "key_file"
            case .caFile: return "ca_file"
            }
        }

        /// Whether a connection cannot be made without it.
        public var isRequired: Bool { self != .caFile }

        public var description: String { profileKey.replacingOccurrences(of: "_", with: " ") }
    }

    /// Where a value came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        case flag(String)
        case environment(String)
        case profile(name: String, path: String)

        public var description: String {
            switch self {
            case .flag(let flag): return "from \(flag)"
            case .environment(let name): return "from $\(name)"
            case .profile(let name, let path): return "from profile \"\(name)\" in \(path)"
            }
        }
    }

    /// A value and its source.
    public struct Setting: Sendable, Equatable {
        public var value: String
        public var source: Source
        public init(_ value: String, from source: Source) {
            self.value = value
            self.source = source
        }
    }

    /// Values given on the command line (`nil` = not given).
    public struct Flags: Sendable, Equatable {
        public var endpoint, projectID, keyID, keyFile, caFile, profile: String?
        /// `--allow-insecure-http`: accept plain http:// to a host other than this machine.
        public var allowInsecureHTTP: Bool
        public init(endpoint: String? = nil, projectID: String? = nil, keyID: String? = nil,
                    keyFile: String? = nil, caFile: String? = nil, profile: String? = nil, allowInsecureHTTP: Bool = false) {
            (self.endpoint, self.projectID, self.keyID, self.keyFile, self.caFile, self.profile)
                = (endpoint, projectID, keyID, keyFile, caFile, profile)
            self.allowInsecureHTTP = allowInsecureHTTP
        }

        func value(_ field: Field) -> String? {
            switch field {
            case .endpoint: return endpoint
            case .projectID: return projectID
            case .keyID: return keyID
            case .keyFile: return keyFile
            case .caFile: return caFile
            }
        }
    }

    /// Environment variable choosing the profile when `--profile` is not given.
    public static let profileVariable = "AUTHGEAR_PROFILE"
    /// Environment variable that, set to `1` (or `true`, `yes`), does what `--allow-insecure-http` does.
    public static let allowInsecureHTTPVariable = "AUTHGEAR_ALLOW_INSECURE_HTTP"

    /// The project's Admin API origin, e.g. `https://myapp.authgear.cloud` (no trailing slash).
    public var endpoint: Setting
    public var projectID: Setting
    public var keyID: Setting
    /// Path of the PEM private key.
    public var keyFile: Setting
    /// Path of a PEM CA bundle to trust, when set.
    public var caFile: Setting?
    /// The profile consulted (`default` unless chosen).
    public var profileName: String
    /// Set when plain http:// leaves this machine because `--allow-insecure-http` (or
    /// `AUTHGEAR_ALLOW_INSECURE_HTTP`) allowed it: what to warn about on every run.
    public var insecureHTTPWarning: String?

    /// Resolves every field from `flags`, `environment` and the profiles file already read:
    /// `profilesFile` is what `profilesPath` holds, `nil` when there is no file there (reading
    /// it is the caller's: ConnectionSetup's `resolve(flags:environment:profilesPath:)`).
    public static func resolve(
        flags: Flags, environment: [String: String], profilesPath path: String?, profilesFile: ProfileFile?
    ) throws(ConnectionSettingsError) -> ConnectionSettings {
        let explicitProfile = nonEmpty(flags.profile) ?? nonEmpty(environment[profileVariable])
        let profileName = explicitProfile ?? "default"
        var profile: [String: String] = [:]
        if let path {
            if let file = profilesFile {
                if let values = file.profiles[profileName] {
                    profile = values
                } else if explicitProfile != nil {
                    throw .profileNotFound(name: profileName, path: path, available: file.profiles.keys.sorted())
                }
            } else if explicitProfile != nil {
                throw .profileFileMissing(name: profileName, path: path)
            }
        } else if explicitProfile != nil {
            throw .profileFileMissing(name: profileName, path: "$XDG_CONFIG_HOME/authgear-migrate/profiles.json")
        }

        var found: [Field: Setting] = [:]
        for field in Field.allCases {
            let isPath = field == .keyFile || field == .caFile
            if let value = nonEmpty(flags.value(field)) {
                found[field] = Setting(isPath ? expandHome(value, environment) : value, from: .flag(field.flag))
            } else if let value = nonEmpty(environment[field.environmentVariable]) {
                found[field] = Setting(isPath ? expandHome(value, environment) : value,
                                       from: .environment(field.environmentVariable))
            } else if let value = nonEmpty(profile[field.profileKey]), let path {
                let resolved = field == .keyFile || field == .caFile
                    ? ProfileFile.resolvePath(value, relativeTo: path, environment: environment) : value
                found[field] = Setting(resolved, from: .profile(name: profileName, path: path))
            }
        }
        let missing = Field.allCases.filter { $0.isRequired && found[$0] == nil }
        guard missing.isEmpty, var endpoint = found[.endpoint], let projectID = found[.projectID],
              let keyID = found[.keyID], let keyFile = found[.keyFile] else {
            throw .missing(missing, profilesPath: path)
        }
        endpoint.value = try validatedEndpoint(endpoint)
        var warning: String?
        if let exposure = plainHTTPExposure(endpoint.value, environment: environment) {
            let allowedBy = flags.allowInsecureHTTP ? "--allow-insecure-http"
                : isYes(environment[allowInsecureHTTPVariable]) ? "$\(allowInsecureHTTPVariable)" : nil
            guard let allowedBy else { throw .insecureEndpoint(endpoint, exposure: exposure) }
            warning = "plain http:// allowed by \(allowedBy): \(exposure.reason), so the Admin API token and the records' "
                + "password hashes travel unencrypted and anyone on the way can read or change them."
        }
        if projectID.value.contains(where: { $0 == "/" || $0 == ":" || $0 == "." || $0 == " " }) {
            throw .invalidProjectID(projectID)
        }
        return ConnectionSettings(endpoint: endpoint, projectID: projectID, keyID: keyID, keyFile: keyFile,
                                  caFile: found[.caFile], profileName: profileName, insecureHTTPWarning: warning)
    }

    /// Why plain http:// would leave this machine.
    public enum PlainHTTPExposure: Sendable, Equatable {
        /// The endpoint's host is not loopback (or not a plain `host[:port]` that could be checked).
        case remoteHost(String)
        /// The host is loopback, but libcurl would hand the request to a proxy elsewhere.
        case proxy(NetworkPath.Proxy)

        public var reason: String {
            switch self {
            case .remoteHost(let host): return "\(host) is not this machine"
            case .proxy(let proxy): return "its requests go through the proxy \(proxy), which is not on this machine"
            }
        }
    }

    /// Nil when `endpoint` (already validated) is https://, or http:// that stays on this machine:
    /// a loopback host (``NetworkPath/isLoopback(host:)``) reached directly or through a proxy
    /// that is itself loopback. An https:// endpoint through any proxy is a CONNECT tunnel: fine.
    public static func plainHTTPExposure(_ endpoint: String, environment: [String: String]) -> PlainHTTPExposure? {
        guard endpoint.lowercased().hasPrefix("http://") else { return nil }
        let authority = endpoint.dropFirst("http://".count)
        guard let host = plainHost(authority), NetworkPath.isLoopback(host: host) else {
            return .remoteHost(plainHost(authority) ?? String(authority))
        }
        if let proxy = NetworkPath.proxy(scheme: "http", host: host, lookup: { environment[$0] }),
           !NetworkPath.isLoopback(host: proxy.host) {
            return .proxy(proxy)
        }
        return nil
    }

    /// The host of `host[:port]` (IPv6 in brackets), or nil when it is anything else (user info,
    /// a port that is not 1-5 digits).
    static func plainHost(_ authority: Substring) -> String? {
        if authority.contains("@") { return nil }
        var host = authority, rest: Substring = ""
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[...close]
            rest = authority[authority.index(after: close)...]
        } else if let colon = authority.firstIndex(of: ":") {
            host = authority[..<colon]
            rest = authority[colon...]
        }
        if !rest.isEmpty {
            let port = rest.dropFirst()
            guard rest.first == ":", (1...5).contains(port.count), port.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        }
        return host.isEmpty ? nil : String(host)
    }

    private static func isYes(_ value: String?) -> Bool {
        ["1", "true", "yes"].contains((value ?? "").trimmingCharacters(in: .whitespaces).lowercased())
    }

    /// One line per value with its source, e.g. `project id: myapp (from $AUTHGEAR_PROJECT_ID)`.
    public var report: [String] {
        var lines = [("endpoint", endpoint), ("project id", projectID), ("key id", keyID), ("key file", keyFile)]
            .map { "\($0.0): \($0.1.value) (\($0.1.source))" }
        if let caFile { lines.append("ca file: \(caFile.value) (\(caFile.source))") }
        if let insecureHTTPWarning { lines.append("warning: \(insecureHTTPWarning)") }
        return lines
    }

    /// Checks the endpoint is an `http(s)://host[:port]` origin and drops trailing slashes.
    static func validatedEndpoint(_ setting: Setting) throws(ConnectionSettingsError) -> String {
        var value = setting.value.trimmingCharacters(in: .whitespaces)
        while value.hasSuffix("/") { value.removeLast() }
        let lower = value.lowercased()
        let scheme = lower.hasPrefix("https://") ? "https://" : lower.hasPrefix("http://") ? "http://" : nil
        guard let scheme else {
            throw .invalidEndpoint(setting, reason: "it must start with https:// (or http:// for a sandbox on this machine)")
        }
        let rest = value.dropFirst(scheme.count)
        if rest.isEmpty { throw .invalidEndpoint(setting, reason: "it has no host name") }
        if let cut = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) {
            let origin = value[..<cut]
            throw .invalidEndpoint(setting, reason: "it has a path (\(rest[cut...])): give the project's origin alone, \(origin) "
                + "(the tool adds /_api/admin/… itself), e.g. https://myapp.authgear.cloud")
        }
        return value
    }

    private static func expandHome(_ path: String, _ environment: [String: String]) -> String {
        guard path.hasPrefix("~/"), let home = environment["HOME"], !home.isEmpty else { return path }
        return home + path.dropFirst(1)
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }
}
