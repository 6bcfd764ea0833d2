import Foundation
import MigrationCore
import MigrationEngine

/// The screens of the TUI, in the order an operator meets them.
public enum Screen: String, Sendable, Equatable, CaseIterable {
    case picker, mapping, records, editor, settings, progress, review, runs, verify, edits
}

/// Everything the UI shows. `update` changes it in answer to messages; `AppView` draws it.
/// The open source is a reference (`SourceSession`): a million records are never copied.
public struct AppState {
    public var screen: Screen = .picker
    public var size: (width: Int, height: Int) = (80, 24)
    public var colors = true
    public var logPath = ""
    /// A transient line at the bottom (what just happened, or what went wrong).
    public var status: StatusLine?
    public var overlay: Overlay?
    /// First line of the help overlay shown (help scrolls on small terminals).
    public var helpOffset = 0
    /// The line editor at the bottom (search, jump, a field's new value, a path).
    public var prompt: Prompt?
    /// The time screens show ages against: set by the runtime before each message (fixed in tests).
    public var now = Date()
    public var quitting = false

    public var picker = PickerState()
    public var mapping = MappingState()
    public var session: SourceSession?
    public var loading: LoadingState?
    public var records = RecordsState()
    /// The records table's chosen columns (`c`), kept for every file opened in this session.
    public var columnChoice = ColumnChoice()
    public var editor = EditorState()
    public var settings = ImportSettings()
    public var run = RunViewState()
    public var review = ReviewState()
    public var runs = RunsState()
    public var verify = VerifyState()
    /// The edits view (E): every edit as a diff against the source's record.
    public var edits = EditsViewState()
    /// Numbers each bulk preview (across sources), so a late answer to an older one is ignored.
    public var bulkGeneration = 0
    /// What earlier runs already imported of the open source into the form's target (counted when launching).
    public var launchDelta: LaunchDelta?
    /// The launch confirmation waits for `launchDelta`.
    public var launchPending = false
    /// Bumped when the terminal's bell should ring (the runtime rings it once per change).
    public var bells = 0
    /// The zone dates are shown in (fixed in tests).
    public var timeZone = TimeZone.current

    public init() {}

    /// True while the engine is sending or polling.
    public var runInFlight: Bool { run.active }
}

public struct StatusLine: Equatable, Sendable {
    public enum Kind: Sendable { case info, error }
    public var text: String
    public var kind: Kind
    public static func info(_ t: String) -> StatusLine { StatusLine(text: t, kind: .info) }
    public static func error(_ t: String) -> StatusLine { StatusLine(text: t, kind: .error) }
}

/// Progress of opening a source: indexing, then validating in the background.
public struct LoadingState: Equatable, Sendable {
    public var path: String
    public var indexed = 0
    public var indexFraction = 0.0
    public var indexComplete = false
    /// Where and why reading stopped before the end of the file; nil while reading or when it was read to its end.
    public var readFailure: String?
    public var validated = 0
    public var validationTotal = 0
    public var validationComplete = false
}
