/// The field editor of one record.
public struct EditorState: Equatable, Sendable {
    public var record = 0
    public var selected = 0
    public var top = 0
    public var revealSecrets = false
    /// Where to go back to.
    public var returnTo: Screen = .records
    /// The server's failure of the record, when opened from the failed tab of Review (the journal's
    /// latest outcome: reason, message, cause, which identity clashed).
    public var failure: ReviewState.Item?
    public init() {}
}
