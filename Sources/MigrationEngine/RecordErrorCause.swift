import Foundation
import MigrationCore

/// The server's cause of a failed record, from the error object the journal keeps (`errorJSON`):
/// the cause's kind (`DuplicatedIdentity`, a schema cause such as `format` at `/email`, …) and, for
/// a duplicated identity, which identity of the record clashed with which of another user — as
/// the TUI's Review shows it.
public struct RecordErrorCause: Sendable, Equatable {
    public var kind: String?
    /// `email login ID clashes with an existing login_id (email) identity of another user`.
    public var clash: String?

    public init(kind: String?, clash: String?) {
        self.kind = kind
        self.clash = clash
    }

    /// Nil when the object has no cause worth a column.
    public static func parse(_ errorJSON: String?) -> RecordErrorCause? {
        guard let errorJSON, let value = try? JSONParser.parse(Array(errorJSON.utf8)), let info = value["info"], info != .null else { return nil }
        var kind = info["cause"]?["kind"]?.stringValue
        if kind == nil, case .array(let causes)? = info["causes"], let first = causes.first {
            kind = [first["kind"]?.stringValue, first["location"]?.stringValue.map { "at " + $0 }].compactMap { $0 }.joined(separator: " ")
            if causes.count > 1 { kind! += " (+\(causes.count - 1) more)" }
        }
        var clash: String?
        let incoming = info["LoginIDTypeIncoming"]?.stringValue.map { "\($0) login ID" } ?? info["IdentityTypeIncoming"]?.stringValue
        let existingType = info["IdentityTypeExisting"]?.stringValue
        let existingDetail = info["LoginIDTypeExisting"]?.stringValue ?? info["OAuthProviderTypeExisting"]?.stringValue
        if let incoming, let existingType {
            clash = "the record's \(incoming) clashes with an existing \(existingType)" + (existingDetail.map { " (\($0))" } ?? "") + " identity of another user"
        }
        if kind == nil, clash == nil { return nil }
        return RecordErrorCause(kind: kind?.isEmpty == true ? nil : kind, clash: clash)
    }
}
