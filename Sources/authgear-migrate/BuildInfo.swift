import CBuildInfo

/// The version, and the commit a binary was built from.
///
/// `version` is set here and nowhere else: scripts/package.sh names the tarball from the
/// built binary's `--version`. The commit is baked in by scripts/package.sh (see
/// Sources/CBuildInfo/build_info.c); a plain `swift build` records none and says so.
enum BuildInfo {
    static let version = "0.1.0"

    /// The source tree a binary was built from, as scripts/package.sh recorded it.
    struct Provenance: Equatable, Sendable {
        /// The full git commit hash.
        var commit: String
        /// The commit's date, YYYY-MM-DD (empty when git gave none).
        var date: String
        /// The tree had changes that were not committed.
        var dirty: Bool
    }

    /// What this binary's build recorded, nil for a plain `swift build`.
    static var provenance: Provenance? {
        let commit = String(cString: authgear_build_commit())
        guard !commit.isEmpty else { return nil }
        return Provenance(commit: commit, date: String(cString: authgear_build_commit_date()),
                          dirty: authgear_build_tree_dirty() != 0)
    }

    /// The line `authgear-migrate --version` prints.
    static func versionLine(version: String = version, provenance: Provenance? = provenance) -> String {
        guard let provenance else {
            return "authgear-migrate \(version) (built from a working tree: no commit recorded; scripts/package.sh records it)"
        }
        var from = "commit \(provenance.commit)"
        if provenance.dirty { from += " with uncommitted changes" }
        if !provenance.date.isEmpty { from += ", \(provenance.date)" }
        return "authgear-migrate \(version) (\(from))"
    }
}
