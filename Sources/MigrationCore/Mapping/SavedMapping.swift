import Foundation

/// The mapping the TUI's mapping step accepted for a source, kept with the TUI's state (never
/// written beside or into the export): `$XDG_STATE_HOME/authgear-migrate/mappings/<name>-<hash>.mapping.json`,
/// keyed by the source's absolute path as its edits are. The headless commands read a source
/// through it too unless `--mapping` names another, so `validate`, `export` and `import` see
/// the records the TUI showed.
public enum SavedMapping {
    /// Where the TUI saves the mapping accepted for `sourcePath`.
    public static func path(forSource sourcePath: String) -> String {
        StateDirectory.sourceKeyedPath("mappings", source: sourcePath, suffix: ".mapping.json")
    }

    /// The saved mapping's path, when the TUI saved one for `sourcePath`.
    public static func existing(forSource sourcePath: String) -> String? {
        let p = path(forSource: sourcePath)
        return FileManager.default.fileExists(atPath: p) ? p : nil
    }

    /// Where TUIs before this one saved it: by file name alone (a pre-fill for the mapping step
    /// only, since another directory's file of the same name used it too).
    public static func legacyPath(forSource sourcePath: String) -> String {
        let name = ((sourcePath as NSString).lastPathComponent as NSString).deletingPathExtension
        return StateDirectory.path("mappings/\(name).mapping.json")
    }
}
