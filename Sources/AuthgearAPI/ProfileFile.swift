import Foundation
import MigrationCore

/// The connection profiles file, `$XDG_CONFIG_HOME/authgear-migrate/profiles.json`
/// (`~/.config/…` when `XDG_CONFIG_HOME` is unset):
///
/// ```json
/// {"profiles": {
///    "default": {"endpoint": "https://myapp.authgear.cloud", "project_id": "myapp",
///                "key_id": "3f1c9f2e-…", "key_file": "~/keys/myapp.pem"},
///    "staging": {"endpoint": "…", "project_id": "…", "key_id": "…", "key_file": "staging.pem",
///                "ca_file": "/etc/ssl/corp-ca.pem"}}}
/// ```
///
/// String values only. `key_file`/`ca_file` may start with `~/`; relative paths are relative
/// to the profiles file's directory. No secrets belong here: the key stays in its own file.
public struct ProfileFile: Sendable, Equatable {
    /// Profile name → (`endpoint`, `project_id`, `key_id`, `key_file`, `ca_file`) → value.
    public var profiles: [String: [String: String]]

    /// Profiles marked `"protected": true`: their target (endpoint and project) refuses
    /// destructive commands such as `rollback`.
    public var protectedProfiles: Set<String> = []
    public init(profiles: [String: [String: String]], protectedProfiles: Set<String> = []) {
        self.profiles = profiles
        self.protectedProfiles = protectedProfiles
    }

    /// The name of a protected profile whose endpoint and project ID are `endpoint` and
    /// `projectID` (trailing slashes ignored), or nil.
    public func protectedProfile(endpoint: String, projectID: String) -> String? {
        func trimmed(_ s: String) -> String { var s = s; while s.hasSuffix("/") { s.removeLast() }; return s }
        return protectedProfiles.sorted().first { name in
            guard let p = profiles[name] else { return false }
            return p["project_id"] == projectID && p["endpoint"].map(trimmed) == trimmed(endpoint)
        }
    }

    /// The default location, or `nil` when neither `XDG_CONFIG_HOME` nor `HOME` is set.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") {
            return xdg + "/authgear-migrate/profiles.json"
        }
        guard let home = environment["HOME"], !home.isEmpty else { return nil }
        return home + "/.config/authgear-migrate/profiles.json"
    }

    /// Parses the profiles document; `path` only names it in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws(ConnectionSettingsError) -> ProfileFile {
        let json: JSONValue
        do {
            json = try JSONParser.parse(bytes)
        } catch {
            throw .profileFileInvalid(path: path, reason: "not valid JSON: \(error)")
        }
        guard let profiles = json["profiles"]?.objectValue else {
            throw .profileFileInvalid(path: path, reason: #"expected {"profiles": {"NAME": {…}}}"#)
        }
        let known = Set(ConnectionSettings.Field.allCases.map(\.profileKey))
        var result: [String: [String: String]] = [:]
        var protected: Set<String> = []
        for member in profiles {
            guard let fields = member.value.objectValue else {
                throw .profileFileInvalid(path: path, reason: "profile \"\(member.key)\" is not an object")
            }
            var values: [String: String] = [:]
            for field in fields {
                if field.key == "protected" {
                    guard let flag = field.value.boolValue else {
                        throw .profileFileInvalid(path: path, reason: "\"\(member.key)\".protected must be true or false")
                    }
                    if flag { protected.insert(member.key) }
                    continue
                }
                guard known.contains(field.key) else {
                    throw .profileFileInvalid(path: path, reason: "profile \"\(member.key)\" has unknown key \"\(field.key)\" "
                        + "(known: \((known.sorted() + ["protected"]).joined(separator: ", ")))")
                }
                guard let text = field.value.stringValue else {
                    throw .profileFileInvalid(path: path, reason: "\"\(member.key)\".\(field.key) must be a string")
                }
                values[field.key] = text
            }
            result[member.key] = values
        }
        return ProfileFile(profiles: result, protectedProfiles: protected)
    }

    /// Expands `~/` and makes a relative path relative to the profiles file's directory.
    static func resolvePath(_ value: String, relativeTo profilesPath: String, environment: [String: String]) -> String {
        if value.hasPrefix("~/"), let home = environment["HOME"] { return home + value.dropFirst(1) }
        if value.hasPrefix("/") { return value }
        let directory = (profilesPath as NSString).deletingLastPathComponent
        return directory + "/" + value
    }
}

/// Why the connection settings could not be resolved.
public enum ConnectionSettingsError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Required values given nowhere.
    case missing([ConnectionSettings.Field], profilesPath: String?)
    /// `--profile NAME` (or `AUTHGEAR_PROFILE`) names a profile the file lacks.
    case profileNotFound(name: String, path: String, available: [String])
    /// A profile was asked for but the profiles file does not exist.
    case profileFileMissing(name: String, path: String)
    /// The profiles file is not in the documented format.
    case profileFileInvalid(path: String, reason: String)
    /// The endpoint is not an `https://host` origin.
    case invalidEndpoint(ConnectionSettings.Setting, reason: String)
    /// The project ID looks like a URL or host name instead of the project's ID.
    case invalidProjectID(ConnectionSettings.Setting)
    /// Plain http:// that would leave this machine, without `--allow-insecure-http`.
    case insecureEndpoint(ConnectionSettings.Setting, exposure: ConnectionSettings.PlainHTTPExposure)

    public var description: String {
        switch self {
        case .missing(let fields, let path):
            let items = fields.map { "\($0) (\($0.flag) or \($0.environmentVariable))" }
            let file = path.map { " or in a profile of \($0)" } ?? ""
            return "missing connection settings: \(items.joined(separator: ", ")). Give them as flags, "
                + "environment variables\(file) (key names: \(fields.map(\.profileKey).joined(separator: ", ")))."
        case .profileNotFound(let name, let path, let available):
            let list = available.isEmpty ? "none" : available.joined(separator: ", ")
            return "profile \"\(name)\" is not in \(path) (profiles there: \(list))."
        case .profileFileMissing(let name, let path):
            return "profile \"\(name)\" was requested but \(path) does not exist."
        case .profileFileInvalid(let path, let reason):
            return "\(path) is not a valid profiles file: \(reason)."
        case .invalidEndpoint(let setting, let reason):
            return "endpoint \"\(setting.value)\" (\(setting.source)) is not usable: \(reason)."
        case .insecureEndpoint(let setting, let exposure):
            var fix = "Use the https:// endpoint (for a server whose certificate comes from a private CA, pass that CA with "
                + "--ca-file / AUTHGEAR_CA_FILE)"
            if case .proxy(let proxy) = exposure {
                fix += ", or keep the request on this machine: add the host to no_proxy, or unset \(proxy.variable)"
            }
            return "endpoint \"\(setting.value)\" (\(setting.source)) is refused: it is plain http:// and \(exposure.reason), "
                + "so the Admin API token and the records' password hashes would travel unencrypted. \(fix). "
                + "Plain http:// is for a server on this machine only (localhost, 127.0.0.0/8, [::1]); "
                + "--allow-insecure-http (or \(ConnectionSettings.allowInsecureHTTPVariable)=1) overrides this, not recommended."
        case .invalidProjectID(let setting):
            return "project ID \"\(setting.value)\" (\(setting.source)) is not a project ID: use the ID alone, "
                + "e.g. `myapp` for https://myapp.authgear.cloud (it is sent as the token's `aud`)."
        }
    }
}

extension ConnectionSettingsError: CommandFailure {}
