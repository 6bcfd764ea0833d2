import Foundation
import MigrationCore

/// A source as a run knows it: by content (size and fingerprint), with its path as a hint. Two
/// files with the same content are the same source wherever they are; the same path with other
/// content is another source (its record numbers mean other records).
public struct SourceIdentity: Sendable, Hashable {
    public var path: String
    public var size: Int
    public var fingerprint: String

    public init(path: String, size: Int, fingerprint: String) {
        self.path = URL(fileURLWithPath: path).standardizedFileURL.path
        self.size = size
        self.fingerprint = fingerprint
    }

    public init(file: SourceFile) {
        self.init(path: file.path, size: file.size, fingerprint: file.fingerprint())
    }

    /// The source a run was read from.
    public init(run: RunRecord) {
        self.init(path: run.sourcePath, size: run.sourceSize, fingerprint: run.sourceFingerprint)
    }

    /// Same content (the path does not matter).
    public func sameContent(as other: SourceIdentity) -> Bool { size == other.size && fingerprint == other.fingerprint }
}

/// Where a run sends: the endpoint (compared without a trailing slash) and the project id.
public struct RunTarget: Sendable, Hashable, CustomStringConvertible {
    public var endpoint: String
    public var projectID: String

    public init(endpoint: String, projectID: String) {
        var e = endpoint
        while e.hasSuffix("/") { e.removeLast() }
        self.endpoint = e
        self.projectID = projectID
    }

    public init(run: RunRecord) { self.init(endpoint: run.endpoint, projectID: run.projectID) }

    public var description: String { "\(endpoint) project \(projectID)" }
}

extension RunRecord {
    public var source: SourceIdentity { SourceIdentity(run: self) }
    public var target: RunTarget { RunTarget(run: self) }
}

/// A run together with a source proven to be the one it was read from (same size and
/// fingerprint): the only way to map a run's record numbers to records. Anything that reads
/// records for a run's results (upsert previews, review identifiers, retry passes, reports)
/// takes one, so another file's record numbers can never be looked up in this source.
public struct RunSource: Sendable {
    public let run: RunRecord
    public let workspace: SourceWorkspace
    /// True when the operator chose to go on with a source whose content changed
    /// (`--allow-changed-source`): record numbers beyond its records are then reported missing.
    public let changed: Bool

    /// Binds `workspace` to `run`, or throws a `RunCoordinator.Failure` naming both files when the
    /// source is not the one the run was read from (unless `allowChanged`).
    public init(run: RunRecord, workspace: SourceWorkspace, allowChanged: Bool = false) throws(RunCoordinator.Failure) {
        let file = workspace.index.file
        let actual = SourceIdentity(file: file)
        let same = actual.sameContent(as: run.source)
        if !same, !allowChanged {
            throw RunCoordinator.Failure("""
                run \(run.id.prefix(8)) was read from \(run.sourcePath) (\(run.sourceSize) bytes, fingerprint \(run.sourceFingerprint)), \
                but the open source is \(actual.path) (\(actual.size) bytes, fingerprint \(actual.fingerprint)): its record numbers \
                would name other records.
                  Open the run's own file (\(run.sourcePath)), or restore it as it was when the run began.
                """)
        }
        self.run = run
        self.workspace = workspace
        self.changed = !same
    }

    /// Records of the source (a run of a changed source may name records it no longer has).
    public var recordCount: Int { workspace.index.count }

    /// Whether record `n` exists in this source.
    public func contains(_ n: Int) -> Bool { n >= 0 && n < recordCount }

    /// Record `n` as it would be sent (its edit, else the source's), or nil when the source does not have it.
    public func record(_ n: Int) -> JSONValue? {
        guard contains(n) else { return nil }
        if case .replaced(let v)? = workspace.edits[n] { return v }
        if case .success(let v) = workspace.index.loadRecord(n) { return v }
        return nil
    }

    /// The identifier of record `n` as written in the source (or its edit), if any.
    public func identifier(_ n: Int) -> String? {
        record(n)?[workspace.settings.identifier.field]?.stringValue
    }
}
