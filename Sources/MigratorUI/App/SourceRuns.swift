import Foundation
import MigrationEngine

/// The runs that belong to the open source, as the journal has them: a run is attached to the
/// open file only if it was made from the same content (size and fingerprint) into the current
/// target (endpoint and project). A run of another file is never attached: it can only be
/// offered as "open that file".
public struct SourceRuns: Sendable, Equatable {
    /// The open source this answer is for (nil: none was open), so a late answer for another file is ignored.
    public var sourcePath: String?
    /// The open source's latest run into the current target.
    public var attached: RunHistoryEntry?
    public var batches: [RunViewState.BatchRow]
    public var totals: RunProgressTotals?
    /// An unfinished run of another file (or of this file into another target), to offer.
    public var elsewhere: RunHistoryEntry?
    /// Whether `elsewhere` is of this very file (then only its target differs).
    public var elsewhereIsThisFile: Bool

    public init(sourcePath: String?, attached: RunHistoryEntry? = nil, batches: [RunViewState.BatchRow] = [], totals: RunProgressTotals? = nil,
                elsewhere: RunHistoryEntry? = nil, elsewhereIsThisFile: Bool = false) {
        self.sourcePath = sourcePath
        self.attached = attached
        self.batches = batches
        self.totals = totals
        self.elsewhere = elsewhere
        self.elsewhereIsThisFile = elsewhereIsThisFile
    }
}

public enum RunBinding {
    /// Whether `run` was made from this content (not merely this path) into this target.
    public static func belongs(_ run: RunRecord, to source: SourceIdentity, target: RunTarget) -> Bool {
        run.source.sameContent(as: source) && run.target == target
    }

    /// From every run of the journal (newest first): the open source's latest run into the target,
    /// and the newest resumable run that is not it (to offer, never to attach).
    public static func choose(_ entries: [RunHistoryEntry], source: SourceIdentity?, target: RunTarget)
        -> (attached: RunHistoryEntry?, elsewhere: RunHistoryEntry?, elsewhereIsThisFile: Bool) {
        let attached = source.flatMap { s in entries.first { belongs($0.run, to: s, target: target) } }
        let elsewhere = entries.first { $0.isResumable && $0.run.id != attached?.run.id && !(attached?.isUnfinished ?? false) }
        let sameFile = elsewhere.map { e in source.map { e.run.source.sameContent(as: $0) } ?? false } ?? false
        return (attached, elsewhere, sameFile)
    }
}
