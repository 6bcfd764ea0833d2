import AuthgearAPI
import Foundation

extension ProfileFile {
    /// Reads and parses `path`; `nil` when the file does not exist.
    public static func load(path: String) throws(ConnectionSettingsError) -> ProfileFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .profileFileInvalid(path: path, reason: "cannot be read")
        }
        return try parse(Array(data), path: path)
    }
}

extension ConnectionSettings {
    /// Resolves every field, reading the profiles file at `profilesPath` (by default
    /// ``ProfileFile/defaultPath(environment:)``) when it exists.
    public static func resolve(
        flags: Flags, environment: [String: String], profilesPath: String? = nil
    ) throws(ConnectionSettingsError) -> ConnectionSettings {
        let path = profilesPath ?? ProfileFile.defaultPath(environment: environment)
        var file: ProfileFile?
        if let path { file = try ProfileFile.load(path: path) }
        return try resolve(flags: flags, environment: environment, profilesPath: path, profilesFile: file)
    }
}
