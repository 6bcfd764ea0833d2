/// The bottom-line editor: a kind, a label and the text being typed with its cursor.
public struct Prompt: Equatable, Sendable {
    public enum Kind: Equatable, Sendable {
        case search
        case command
        case editValue(pointer: String, asString: Bool)
        case addField
        case path
        case settingsField(SettingsField)
        case exportReport
        case exportEdited
        case runReport(runID: String)
        /// A rollback's typed confirmation: the project id, exactly.
        case rollbackConfirm(runID: String)
        case mappingTarget(header: String)
        /// The source JSON pointer of a new mapping row (then its field is picked).
        case mappingSource
        /// The field of a new mapping row reading `source`.
        case mappingNewRow(source: String)
        /// The text a mapping row's conversion asks for (a prefix, a separator).
        case mappingOption(row: Int, choice: MappingConversion)
        /// The edits view's filter, and the file its export goes to.
        case editsFilter
        case exportEdits
    }
    public var kind: Kind
    public var label: String
    public var text: LineEditor

    public init(_ kind: Kind, label: String, text: String = "") {
        self.kind = kind
        self.label = label
        self.text = LineEditor(text)
    }
}
