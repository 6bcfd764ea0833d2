import MigrationEngine

/// The Runs screen: every run of the journal, and one run's summary.
public struct RunsState: Equatable, Sendable {
    public var entries: [RunHistoryEntry] = []
    public var loaded = false
    public var selected = 0
    /// Showing the selected run's summary instead of the list.
    public var showingSummary = false
    /// Where Esc goes back to.
    public var returnTo: Screen = .records
    /// A rollback being confirmed, running or just ended (drawn instead of the list).
    public var rollback: RollbackState?
    /// Targets a profile protects, with the reason rollback refuses them.
    public var protected: [RunTarget: String] = [:]
    public init() {}

    public var selectedEntry: RunHistoryEntry? { entries.indices.contains(selected) ? entries[selected] : nil }
}
