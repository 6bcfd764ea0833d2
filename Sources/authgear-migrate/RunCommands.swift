import ArgumentParser
import Foundation
import MigrationCore
import MigrationEngine

/// Options that locate the journal and a run in it.
struct JournalOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The journal (SQLite). Default: $XDG_STATE_HOME/authgear-migrate/journal.sqlite.", valueName: "file"))
    var journal: String?

    @Option(help: ArgumentHelp("The run (id or unique prefix; see `runs`). Default: the latest unfinished run, else the latest run.", valueName: "id"))
    var run: String?

    func open() throws -> Journal { try Journal(path: journal ?? Journal.defaultPath) }

    func resolveRun(_ j: Journal) throws -> RunRecord {
        let runs = try j.runs()
        if let run {
            let matches = runs.filter { $0.id.hasPrefix(run.lowercased()) }
            guard matches.count == 1 else {
                throw CLIError.usage(matches.isEmpty ? "no run \(run) in \(j.path) (list them with `authgear-migrate runs`)"
                                                     : "\(run) matches \(matches.count) runs: give more characters of the id")
            }
            return matches[0]
        }
        if let latest = try j.latestUnfinishedRun() ?? runs.first { return latest }
        throw CLIError.usage("the journal \(j.path) has no runs yet: start one with `authgear-migrate import FILE`")
    }
}

/// `authgear-migrate runs`.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "runs", abstract: "List the runs in the journal, newest first.")

    @OptionGroup var where_: JournalOptions

    func run() throws {
        try runReportingErrors {
            let j = try where_.open()
            let runs = try j.runs()
            if runs.isEmpty { print("no runs in \(j.path)"); return 0 }
            let f = ISO8601DateFormatter()
            for r in runs {
                let c = try j.outcomeCounts(run: r.id)
                print("\(r.id.prefix(8))  \(f.string(from: r.createdAt))  \(r.state.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0))  \(r.sourcePath)  → \(r.projectID)  inserted \(c.inserted), updated \(c.updated), skipped \(c.skipped), failed \(c.failed) of \(r.recordCount)" + (r.pausedReason.map { "  (\($0))" } ?? ""))
            }
            return 0
        }
    }
}

/// `authgear-migrate status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a run's totals per outcome, batches per state and top failure reasons."
    )

    @OptionGroup var where_: JournalOptions
    @Flag(help: "Machine-readable output (one JSON object).") var json = false

    func run() throws {
        try runReportingErrors {
            let j = try where_.open()
            let run = try where_.resolveRun(j)
            let results = try j.latestResults(run: run.id)
            let batches = try j.batches(run: run.id)
            var c = OutcomeCounts()
            var reasons: [String: Int] = [:]
            var possiblyCreated = 0
            for r in results.values {
                c.add(r.outcome)
                if !r.outcome.isSuccess { reasons[r.errorReason ?? (r.outcome == .failed ? "unknown" : "outcome \(r.outcome)"), default: 0] += 1 }
                if r.possiblyCreatedAt != nil { possiblyCreated += 1 }
            }
            var byState: [String: Int] = [:]
            for b in batches { byState[b.state.rawValue, default: 0] += 1 }
            let top = reasons.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(10)
            if json {
                let doc = JSONValue.obj([
                    "run": .string(run.id), "state": .string(run.state.rawValue), "source": .string(run.sourcePath),
                    "project_id": .string(run.projectID), "records": .number(String(run.recordCount)),
                    "inserted": .number(String(c.inserted)), "updated": .number(String(c.updated)),
                    "skipped": .number(String(c.skipped)), "failed": .number(String(c.failed)),
                    "possibly_created_by_interrupted_attempt": .number(String(possiblyCreated)),
                    "batches": .object(byState.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(String($0.value))) }),
                    "top_failure_reasons": .object(top.map { JSONMember($0.key, .number(String($0.value))) }),
                    "paused_reason": run.pausedReason.map(JSONValue.string) ?? .null,
                ])
                print(doc.jsonText)
                return 0
            }
            print("run \(run.id) (\(run.state.rawValue)\(run.pausedReason.map { ": \($0)" } ?? ""))")
            print("  source   \(run.sourcePath) (\(run.recordCount) records), identifier \(run.identifier), upsert \(run.upsert ? "on" : "off")")
            print("  target   \(run.endpoint) project \(run.projectID)")
            print("  inserted \(c.inserted)  updated \(c.updated)  skipped \(c.skipped)  failed \(c.failed)  (\(results.count) with a result)")
            if possiblyCreated > 0 {
                print("  \(possiblyCreated) skipped user(s) may have been created by an interrupted attempt of this run (see report)")
            }
            print("  batches  " + byState.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            if !top.isEmpty {
                print("  top failure reasons:")
                for (reason, n) in top { print("    \(reason)  \(n)") }
            }
            if run.state != .finished { print("  continue with: authgear-migrate resume --run \(run.id.prefix(8))") }
            return 0
        }
    }
}

/// `authgear-migrate report`.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write one row per record: outcome, user_id, warnings, error reason and message.",
        discussion: """
        NDJSON keys / CSV columns: record (0-based position in the source), line, identifier, outcome \
        (inserted, updated, skipped, failed; pending = not sent yet; invalid = never sendable; excluded), \
        user_id, warnings, error {reason, message}, possibly_created_at (a skipped user that an interrupted \
        attempt of this run may have created). Records themselves are never written, so no password hash \
        or secret can appear. --user-map writes identifier,user_id for updating a legacy system's foreign keys.
        """
    )

    @OptionGroup var where_: JournalOptions
    @Option(help: "Which records: failed, skipped, inserted, updated, pending, invalid, excluded or all.") var outcome = "all"
    @Option(help: "csv or ndjson.") var format = "csv"
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write here instead of stdout.", valueName: "file")) var output: String?
    @Flag(help: "Write the identifier → user_id map (CSV) instead of the report.") var userMap = false
    @Flag(help: "Report even if the source changed since the run began (identifiers may then be wrong).") var allowChangedSource = false

    func run() throws {
        try runReportingErrors {
            guard ["csv", "ndjson"].contains(format) else { throw CLIError.usage("--format must be csv or ndjson") }
            let only = RecordState(outcome)
            guard only != nil || outcome == "all" else {
                throw CLIError.usage("--outcome must be one of failed, skipped, inserted, updated, pending, invalid, excluded, all")
            }
            let j = try where_.open()
            let run = try where_.resolveRun(j)
            let workspace: SourceWorkspace
            do { workspace = try RunCoordinator.openSource(for: run, allowChangedSource: allowChangedSource) } catch {
                throw CLIError.unreadable("\(error)")
            }
            let rows = try RunReport.rows(run: run, workspace: workspace, journal: j, only: userMap ? nil : only)
            let bytes = userMap ? RunReport.userMap(rows) : (format == "csv" ? RunReport.csv(rows) : RunReport.ndjson(rows))
            if let output {
                do { try StateDirectory.writeAtomically(bytes, to: output, mode: 0o600) } catch {
                    throw CLIError.unreadable("cannot write \(output): \(error.localizedDescription)")
                }
                FileHandle.standardError.write(Data("wrote \(rows.count) rows to \(output)\n".utf8))
            } else {
                FileHandle.standardOutput.write(Data(bytes))
            }
            return 0
        }
    }
}
