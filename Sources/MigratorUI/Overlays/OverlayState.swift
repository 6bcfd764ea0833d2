/// Modal layers drawn over the current screen.
public enum Overlay: Equatable, Sendable {
    case help
    /// A question with counts; `key` is the deliberate key that confirms (Esc/n cancel).
    case confirm(Confirmation)
    /// A list to pick from (filter by rule, say).
    case menu(Menu)
    /// A run's end: its summary. Enter or Esc closes it; any other key closes it and does what it does.
    case banner(EndBanner)
    /// An operation on the marked records: chosen, previewed (how many change, how many become valid), confirmed.
    case bulk(BulkState)
}

public struct Confirmation: Equatable, Sendable {
    public var title: String
    public var lines: [String]
    public var key: Character
    public var action: ConfirmedAction
}

/// What a confirmation, once given, does.
public enum ConfirmedAction: Equatable, Sendable {
    case launch
    case quit
    case cancelRun
    case retryFailed([Int])
    case rerunSkipped([Int])
    case resume(runID: String)
    /// Opens the source of another file's run (where that run can be resumed).
    case openSource(path: String, mappingPath: String?)
    case retryAllFailed
    /// The connection check failed and the operator said launch anyway: on to the launch confirmation.
    case launchDespiteFailedCheck
}

public struct Menu: Equatable, Sendable {
    public enum Purpose: Equatable, Sendable {
        case filter, columns, sort
        /// A new mapping row's source (`paths` are the items before "type one").
        case mappingSource(paths: [String])
        /// A new mapping row's field (`fields` are the items before "type one").
        case mappingTarget(source: String, fields: [String])
        /// Mapping row `row`'s type or transform (`choices` are the items).
        case mappingConversion(row: Int, choices: [MappingConversion])
    }
    public var title: String
    public var items: [String]
    public var selected = 0
    public var purpose: Purpose
}
