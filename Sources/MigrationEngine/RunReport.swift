import AuthgearAPI
import Foundation
import MigrationCore

/// Where a source record stands in a run, as reports show it (their `outcome` column): the
/// outcome of its latest attempt, or why it has none.
public enum RecordState: Sendable, Hashable, CustomStringConvertible {
    case outcome(Outcome)
    /// Sendable, not sent yet (or its result not known yet).
    case pending
    /// Never sendable: it has validation errors.
    case invalid
    /// Left out in the editor.
    case excluded
    /// Sendable, but not planned in this run: a delta launch left it out because an earlier run
    /// into the same target already imported it (see `DeltaPlan`).
    case notInRun

    /// The report's word for a state (`inserted` … `failed`, `pending`, `invalid`, `excluded`), or nil.
    public init?(_ text: String) {
        switch text {
        case "pending": self = .pending
        case "invalid": self = .invalid
        case "excluded": self = .excluded
        case "not_in_run": self = .notInRun
        default:
            let o = Outcome(text)
            if case .other = o { return nil }
            self = .outcome(o)
        }
    }

    public var description: String {
        switch self {
        case .outcome(let o): return o.description
        case .pending: return "pending"
        case .invalid: return "invalid"
        case .excluded: return "excluded"
        case .notInRun: return "not_in_run"
        }
    }
}

/// One row of a run report: a source record and its current state.
public struct ReportRow: Sendable, Equatable {
    public var record: Int
    public var line: Int
    /// The source's own user id (the run's `--key-field`), if any.
    public var legacyID: String?
    public var identifier: String?
    public var state: RecordState
    public var userID: String?
    public var warnings: [String]
    public var errorReason: String?
    public var errorMessage: String?
    /// The server's cause (kind, which identity clashed), from its error object.
    public var cause: RecordErrorCause?
    /// For skipped users: the time of an interrupted attempt that may have created them.
    public var possiblyCreatedAt: Date?
}

/// Builds and writes run reports (CSV or NDJSON). Never includes the record itself, so no
/// password hash, TOTP secret or other field value beyond the identifier can leak into a report.
public enum RunReport {
    public static let columns = ["record", "line", "legacy_id", "identifier", "outcome", "user_id", "warnings", "error_reason", "error_message",
                                 "error_cause", "error_clash", "possibly_created_at"]

    /// Every record's row, or only those in state `filter`. Throws when `workspace` is not the
    /// run's source (unless `allowChangedSource`: the operator knows the records kept their places).
    public static func rows(run: RunRecord, workspace: SourceWorkspace, journal: Journal, only filter: RecordState? = nil,
                            allowChangedSource: Bool = false) throws -> [ReportRow] {
        _ = try RunSource(run: run, workspace: workspace, allowChanged: allowChangedSource)
        let keyField = try run.keyField.map { try RecordKeyField($0, index: workspace.index) }
        let latest = try journal.latestResults(run: run.id)
        let planned = Set(try journal.batches(run: run.id).flatMap(\.records))
        let report = workspace.report ?? workspace.validate()
        var rows: [ReportRow] = []
        let field = workspace.settings.identifier.field
        for n in 0..<report.recordCount {
            let r = latest[n]
            let state = r.map { RecordState.outcome($0.outcome) }
                ?? (report.status[n] == .excluded ? .excluded
                    : (report.isSendable(n) ? (planned.contains(n) || planned.isEmpty ? .pending : .notInRun) : .invalid))
            if let filter, filter != state { continue }
            var value: JSONValue?
            if case .replaced(let v)? = workspace.edits[n] { value = v }
            else if case .success(let v) = workspace.index.loadRecord(n) { value = v }
            let identifier = value?[field]?.stringValue
            let invalidMessage = state == .invalid ? report.issues[n]?.first(where: { $0.severity == .error }) : nil
            rows.append(ReportRow(record: n, line: Int(workspace.index.span(n).line),
                                  legacyID: keyField.map { $0.value(of: n, in: workspace.index, record: value) }
                                      ?? workspace.index.legacyKey(span: workspace.index.span(n)), identifier: identifier, state: state,
                                  userID: r?.userID, warnings: r?.warnings ?? [],
                                  errorReason: r?.errorReason ?? invalidMessage?.rule,
                                  errorMessage: r?.errorMessage ?? invalidMessage.map { ($0.pointer.isEmpty ? "" : $0.pointer + ": ") + $0.message },
                                  cause: r.flatMap { $0.outcome.isSuccess ? nil : RecordErrorCause.parse($0.errorJSON) },
                                  possiblyCreatedAt: r?.possiblyCreatedAt))
        }
        return rows
    }

    public static func ndjson(_ rows: [ReportRow]) -> [UInt8] {
        var out: [UInt8] = []
        let writer = JSONWriter()
        for row in rows {
            var members: [JSONMember] = [
                JSONMember("record", .number(String(row.record))), JSONMember("line", .number(String(row.line))),
                JSONMember("legacy_id", row.legacyID.map(JSONValue.string) ?? .null),
                JSONMember("identifier", row.identifier.map(JSONValue.string) ?? .null), JSONMember("outcome", .string(row.state.description)),
                JSONMember("user_id", row.userID.map(JSONValue.string) ?? .null),
                JSONMember("warnings", .array(row.warnings.map(JSONValue.string))),
                JSONMember("error", row.errorReason == nil && row.errorMessage == nil ? .null : .obj([
                    "reason": row.errorReason.map(JSONValue.string) ?? .null, "message": row.errorMessage.map(JSONValue.string) ?? .null,
                    "cause_kind": row.cause?.kind.map(JSONValue.string) ?? .null, "clash": row.cause?.clash.map(JSONValue.string) ?? .null,
                ])),
            ]
            if let at = row.possiblyCreatedAt { members.append(JSONMember("possibly_created_at", .string(iso(at)))) }
            writer.write(.object(members), to: &out)
            out.append(0x0A)
        }
        return out
    }

    public static func csv(_ rows: [ReportRow]) -> [UInt8] {
        var text = columns.joined(separator: ",") + "\r\n"
        for row in rows {
            let cells = [String(row.record), String(row.line), row.legacyID ?? "", row.identifier ?? "", row.state.description, row.userID ?? "",
                         row.warnings.joined(separator: "; "), row.errorReason ?? "", row.errorMessage ?? "",
                         row.cause?.kind ?? "", row.cause?.clash ?? "",
                         row.possiblyCreatedAt.map(iso) ?? ""]
            text += cells.map(csvCell).joined(separator: ",") + "\r\n"
        }
        return Array(text.utf8)
    }

    /// `legacy_id,identifier,user_id` for every record that has a user, so a legacy system can
    /// update its foreign keys (legacy_id is the run's `--key-field`, empty without one).
    public static func userMap(_ rows: [ReportRow]) -> [UInt8] {
        var text = "legacy_id,identifier,user_id\r\n"
        for row in rows where row.userID != nil && row.identifier != nil {
            text += csvCell(row.legacyID ?? "") + "," + csvCell(row.identifier!) + "," + row.userID! + "\r\n"
        }
        return Array(text.utf8)
    }

    static func csvCell(_ s: String) -> String {
        // Quoted when needed; values stay exactly as they are (a phone identifier starts with "+").
        let v = s
        return v.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + v.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : v
    }

    static func iso(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: d)
    }
}
