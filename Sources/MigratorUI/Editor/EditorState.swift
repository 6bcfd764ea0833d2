/// The field editor of one record.
public struct EditorState: Equatable, Sendable {
    public var record = 0
    public var selected = 0
    public var top = 0
    public var revealSecrets = false
    /// Where to go back to.
    public var returnTo: Screen = .records
    public init() {}
}
