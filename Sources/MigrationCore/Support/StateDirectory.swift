import Foundation

/// Where authgear-migrate keeps its state: `$XDG_STATE_HOME/authgear-migrate`
/// (default `~/.local/state/authgear-migrate`).
public enum StateDirectory {
    public static var root: String {
        let env = ProcessInfo.processInfo.environment
        if let xdg = env["XDG_STATE_HOME"], xdg.hasPrefix("/") { return xdg + "/authgear-migrate" }
        let home = env["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/authgear-migrate"
    }

    public static func path(_ relative: String) -> String { root + "/" + relative }

    /// Writes `bytes` to `path` through a temporary file and a rename, creating directories (mode 0700).
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: Int) throws {
        let dir = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(bytes), attributes: [.posixPermissions: mode]) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: tmp])
        }
        if rename(tmp, path) != 0 {
            let reason = SystemError.text()
            unlink(tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path, NSLocalizedDescriptionKey: "cannot write \(path): \(reason)"])
        }
    }
}

extension StateDirectory {
    /// `<root>/<folder>/<name>-<hash><suffix>`: a state file of one source, told apart from
    /// another directory's file of the same name by an FNV-1a hash of the absolute path.
    public static func sourceKeyedPath(_ folder: String, source sourcePath: String, suffix: String) -> String {
        let absolute = URL(fileURLWithPath: sourcePath).standardizedFileURL.path
        var h: UInt64 = 0xcbf29ce484222325
        for b in absolute.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        let name = URL(fileURLWithPath: absolute).lastPathComponent
        return path("\(folder)/\(name)-\(String(h, radix: 16))\(suffix)")
    }
}
