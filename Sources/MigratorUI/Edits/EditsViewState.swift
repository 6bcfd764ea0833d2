import Foundation
import MigrationCore

/// The edits view: one row per changed field (or exclusion) of every edited record, as a diff
/// against the source's record; filtered by text; secrets masked unless revealed.
public struct EditsViewState: Equatable, Sendable {
    public struct Row: Equatable, Sendable {
        public enum Kind: Equatable, Sendable { case changed, added, deleted, excluded }
        public var record: Int
        public var line: Int
        public var kind: Kind
        public var pointer: JSONPointer
        public var old: JSONValue?
        public var new: JSONValue?

        /// The field as shown: `email`, `address.country`; "—" for an exclusion.
        public var fieldText: String {
            kind == .excluded ? "—" : (pointer.tokens.isEmpty ? "(record)" : pointer.tokens.joined(separator: "."))
        }

        /// The source's value and the edited one, as the view shows them (secrets masked unless `reveal`).
        public func texts(reveal: Bool) -> (old: String, new: String) {
            switch kind {
            case .excluded: return ("", "excluded from the import")
            case .added: return ("(absent)", Self.text(new, at: pointer, reveal: reveal))
            case .deleted: return (Self.text(old, at: pointer, reveal: reveal), "(deleted)")
            case .changed: return (Self.text(old, at: pointer, reveal: reveal), Self.text(new, at: pointer, reveal: reveal))
            }
        }

        static func text(_ v: JSONValue?, at pointer: JSONPointer, reveal: Bool) -> String {
            guard let v else { return "" }
            let shown = reveal ? v : Secrets.masked(v, at: pointer)
            switch shown {
            case .array, .object: return shown.jsonText
            default: return JSONText.cellText(shown)
            }
        }

        /// Whether the row shows `term` (case-insensitive) in its record number, field or values as displayed.
        public func matches(_ term: String, reveal: Bool) -> Bool {
            let t = texts(reveal: reveal)
            return [String(record), fieldText, t.old, t.new].contains { $0.localizedCaseInsensitiveContains(term) }
        }
    }

    /// Every row, in record order.
    public var rows: [Row] = []
    /// Indices into `rows` that match the filter (nil: no filter).
    public var shown: [Int]?
    public var filter = ""
    public var cursor = 0
    public var top = 0
    public var revealSecrets = false
    /// How many records are edited (rows can be several per record).
    public var recordCount = 0
    /// Where Esc goes back to.
    public var returnTo: Screen = .records
    public init() {}

    public var count: Int { shown?.count ?? rows.count }
    public func row(at i: Int) -> Row { rows[shown.map { $0[i] } ?? i] }
}
