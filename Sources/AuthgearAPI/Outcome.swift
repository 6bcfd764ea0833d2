/// What happened to one record (`details[].outcome`, spec §9): the one type for it from the
/// server's answer through the engine, the journal, reports and the screens.
public enum Outcome: Sendable, Hashable, CustomStringConvertible {
    case inserted, updated, skipped, failed
    /// An outcome this client does not know (kept verbatim). It is not a success: it counts with
    /// the failures, so that the record is reported and can be retried, never taken as imported.
    case other(String)

    public init(_ text: String) {
        switch text {
        case "inserted": self = .inserted
        case "updated": self = .updated
        case "skipped": self = .skipped
        case "failed": self = .failed
        default: self = .other(text)
        }
    }

    /// The server's word for it (what the journal and reports store).
    public var description: String {
        switch self {
        case .inserted: return "inserted"
        case .updated: return "updated"
        case .skipped: return "skipped"
        case .failed: return "failed"
        case .other(let text): return text
        }
    }

    /// Inserted, updated or skipped: the user exists in the project as the record asked.
    public var isSuccess: Bool {
        switch self {
        case .inserted, .updated, .skipped: return true
        case .failed, .other: return false
        }
    }
}
