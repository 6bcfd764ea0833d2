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
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "List the runs in the journal, newest first.",
        discussion: """
        One line per run: id, started, state, source, target, totals. State is finished, paused (with its \
        reason), stopped (by the operator), interrupted (the journal says active but no process holds its \
        lock: it was killed or crashed; `resume` continues it), or running elsewhere (another process holds \
        the journal's lock; its pid and command are shown).
        """)

    @OptionGroup var where_: JournalOptions

    func run() throws {
        try runReportingErrors {
            let j = try where_.open()
            let runs = try j.runs()
            if runs.isEmpty { print("no runs in \(j.path)"); return 0 }
            let f = ISO8601DateFormatter()
            for r in runs {
                let s = try RunSummary.load(r, journal: j)
                let c = s.counts
                let reason: String
                switch s.status {
                case .paused(let why?): reason = "  (\(why))"
                case .runningElsewhere(let holder?): reason = "  (\(holder))"
                default: reason = ""
                }
                print("\(r.id.prefix(8))  \(f.string(from: r.createdAt))  \(s.status.word.padding(toLength: 11, withPad: " ", startingAt: 0))  \(r.sourcePath)  → \(r.target)  inserted \(c.inserted.groupedDigits), updated \(c.updated.groupedDigits), skipped \(c.skipped.groupedDigits), failed \(c.failed.groupedDigits), pending \(s.pending.groupedDigits) of \(s.planned.groupedDigits) planned (\(r.recordCount.groupedDigits) in the source)" + reason)
            }
            return 0
        }
    }
}

/// `authgear-migrate status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show a run's totals per outcome, batches per state and top failure reasons.",
        discussion: """
        The state is told exactly: finished; paused (and why: quota, server unreachable, credentials, canary); \
        stopped (by the operator); interrupted (the journal says active but no process holds the journal's lock: \
        the process that ran it was killed or crashed); running elsewhere (another process holds the lock: its \
        pid, command and start time). For a run with batches whose outcome is unknown (a request that may have \
        reached the server when the process stopped) it says how many and what `resume` does with them: sends \
        each again exactly (same bytes, checked by hash); users that then come back skipped are flagged \
        possibly_created_at. --json adds state, journal_state, held_by, pending, planned, unknown_outcome_batches, \
        unknown_outcome_records and resume_plan.
        """
    )

    @OptionGroup var where_: JournalOptions
    @Flag(help: "Machine-readable output (one JSON object).") var json = false

    func run() throws {
        try runReportingErrors {
            let j = try where_.open()
            let run = try where_.resolveRun(j)
            let summary = try RunSummary.load(run, journal: j)
            let c = summary.counts
            let possiblyCreated = summary.possiblyCreated
            var byState: [String: Int] = [:]
            for (state, n) in summary.batchesByState { byState[state.rawValue] = n }
            let top = summary.failuresByReason.prefix(10)
            if json {
                var holder: JSONValue = .null
                if case .runningElsewhere(let h) = summary.status { holder = h.map(JSONValue.string) ?? .null }
                let doc = JSONValue.obj([
                    "run": .string(run.id), "state": .string(summary.status.word), "journal_state": .string(run.state.rawValue),
                    "held_by": holder, "source": .string(run.sourcePath),
                    "source_size": .number(String(run.sourceSize)), "source_fingerprint": .string(run.sourceFingerprint),
                    "endpoint": .string(run.endpoint), "pending": .number(String(summary.pending)),
                    "planned": .number(String(summary.planned)),
                    "unknown_outcome_batches": .number(String(summary.unknownOutcome.batches)),
                    "unknown_outcome_records": .number(String(summary.unknownOutcome.records)),
                    "resume_plan": summary.resumePlan.map(JSONValue.string) ?? .null,
                    "project_id": .string(run.projectID), "records": .number(String(run.recordCount)),
                    "inserted": .number(String(c.inserted)), "updated": .number(String(c.updated)),
                    "skipped": .number(String(c.skipped)), "failed": .number(String(c.failed)),
                    "possibly_created_by_interrupted_attempt": .number(String(possiblyCreated)),
                    "batches": .object(byState.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(String($0.value))) }),
                    "top_failure_reasons": .object(top.map { JSONMember($0.reason, .number(String($0.count))) }),
                    "paused_reason": run.pausedReason.map(JSONValue.string) ?? .null,
                ])
                print(doc.jsonText)
                return 0
            }
            print("run \(run.id) (\(summary.status.description))")
            if summary.status == .interrupted {
                print("  the journal says active, but no process holds its lock: the process that ran it is gone (killed, crashed or the machine stopped)")
            }
            print("  source   \(run.sourcePath) (\(run.recordCount.counted("record"))), identifier \(run.identifier), upsert \(run.upsert ? "on" : "off")")
            print("  target   \(run.endpoint) project \(run.projectID)")
            print("  inserted \(c.inserted.groupedDigits)  updated \(c.updated.groupedDigits)  skipped \(c.skipped.groupedDigits)  failed \(c.failed.groupedDigits)  pending \(summary.pending.groupedDigits)  (\(c.total.groupedDigits) of \(summary.planned.counted("planned record")) with a result)")
            if possiblyCreated > 0 {
                print("  \(possiblyCreated.counted("skipped user")) may have been created by an interrupted attempt of this run (see report)")
            }
            print("  batches  " + byState.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            if !top.isEmpty {
                print("  top failure reasons:")
                for (reason, n) in top { print("    \(reason)  \(n)") }
            }
            if let plan = summary.resumePlan { print("  on resume: \(plan)") }
            if summary.status.isResumable { print("  continue with: authgear-migrate resume --run \(run.id.prefix(8))") }
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
        NDJSON keys / CSV columns: record (0-based position in the source), line, legacy_id (the source's own \
        user id: the run's import --key-field), identifier, outcome (inserted, updated, skipped, failed; \
        pending = not sent yet; invalid = never sendable; excluded; not_in_run = left out by a delta launch because \
        an earlier run into the same target imported it), user_id, warnings, error {reason, message, \
        cause_kind, clash} (CSV: error_reason, error_message, error_cause, error_clash: the server's cause \
        kind and, for a duplicated identity, which identity clashed), possibly_created_at (a skipped user that \
        an interrupted attempt of this run may have created). Records themselves are never written, so no \
        password hash or secret can appear. --user-map writes legacy_id,identifier,user_id for updating a \
        legacy system's foreign keys. --summary prints one JSON object instead: totals by outcome, times \
        (started, finished, elapsed, elapsed without paused time), failures by reason, and the files written \
        by this command (with -o).
        """
    )

    @OptionGroup var where_: JournalOptions
    @Option(help: "Which records: failed, skipped, inserted, updated, pending, invalid, excluded, not_in_run or all.") var outcome = "all"
    @Option(help: "csv or ndjson.") var format = "csv"
    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Write here instead of stdout.", valueName: "file")) var output: String?
    @Flag(help: "Write the identifier → user_id map (CSV) instead of the report.") var userMap = false
    @Flag(help: "Report even if the source changed since the run began (identifiers may then be wrong).") var allowChangedSource = false
    @Flag(help: "Print the run's summary as one JSON object (totals, times, failures by reason, files written); with -o the report goes to that file.")
    var summary = false

    func run() throws {
        try runReportingErrors {
            guard ["csv", "ndjson"].contains(format) else { throw CLIError.usage("--format must be csv or ndjson") }
            let only = RecordState(outcome)
            guard only != nil || outcome == "all" else {
                throw CLIError.usage("--outcome must be one of failed, skipped, inserted, updated, pending, invalid, excluded, not_in_run, all")
            }
            let j = try where_.open()
            let run = try where_.resolveRun(j)
            // The summary alone needs only the journal.
            if summary && output == nil { print(try RunSummary.load(run, journal: j).json().jsonText); return 0 }
            let workspace: SourceWorkspace
            do { workspace = try RunCoordinator.openSource(for: run, allowChangedSource: allowChangedSource) } catch {
                throw CLIError.unreadable("\(error)")
            }
            let rows = try RunReport.rows(run: run, workspace: workspace, journal: j, only: userMap ? nil : only,
                                          allowChangedSource: allowChangedSource)
            let bytes = userMap ? RunReport.userMap(rows) : (format == "csv" ? RunReport.csv(rows) : RunReport.ndjson(rows))
            var files: [String] = []
            if let output {
                do { try StateDirectory.writeAtomically(bytes, to: output, mode: 0o600) } catch {
                    throw CLIError.unreadable("cannot write \(output): \(error.localizedDescription)")
                }
                FileHandle.standardError.write(Data("wrote \(rows.count.counted("row")) to \(output)\n".utf8))
                files.append(URL(fileURLWithPath: output).standardizedFileURL.path)
            } else if !summary {
                FileHandle.standardOutput.write(Data(bytes))
            }
            if summary { print(try RunSummary.load(run, journal: j).json(files: files).jsonText) }
            return 0
        }
    }
}
