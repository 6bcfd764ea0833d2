import ArgumentParser
import AuthgearAPI
import Foundation
import MigrationCore
import MigrationEngine
import Synchronization

/// `authgear-migrate verify [FILE]`: proves what a run left in the project.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check that every record of a run is a user in the project holding what was sent.",
        discussion: """
        For a run (--run, else the latest run of FILE, else the latest run), every record with an outcome \
        is checked: a user with the journal's user_id exists and has the record's identifier (normalised as \
        the server does); for inserted and updated records the standard attributes, the custom attributes the \
        project defines, roles, groups, the disabled and verified flags equal what was sent, and a TOTP secret \
        matches (compared, never printed; the export exposes it, lookups do not). Password hashes are never \
        exported, so they cannot be checked: verify says so. Which custom attributes the project defines is \
        learnt from its users (the export and GraphQL carry defined attributes only): a sent attribute no user \
        in the project holds is listed as not checkable (the server drops attributes it does not define \
        without a warning). Failed and never-sent records whose identifier \
        is a user in the project are reported ("exists although the run failed").

        Runs of at most --lookup-limit records (default 1000) look users up by login ID over the Admin \
        GraphQL API, --lookup-concurrency at a time (default 6; a 429 answer is waited out as its Retry-After \
        says). Larger runs read one user export (one unit of the project's user_export quota) and look \
        up by login ID whatever the export does not contain before calling it missing. When the server's \
        export is disabled, verify falls back to lookups and says how long they will take.

        Output: totals, then each problem with its record, line, field, sent and found (secrets masked). \
        --json: one JSON object per problem (per field for mismatches), then \
        {"summary": {"checked": N, "verified": N, "missing": N, "mismatched": N, ...}}.

        Exit status: 0 every checked record verified, 1 some are missing or mismatched, 2 verify could not \
        run (journal, credentials, export quota or failure, bad options).
        """
    )

    @Argument(help: ArgumentHelp("The source file of the run (picks its latest run).", valueName: "file"))
    var file: String?
    @OptionGroup var where_: JournalOptions
    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "One JSON object per problem, then a summary line.") var json = false
    @Option(help: "Runs with more records to check than this read a user export instead of looking users up one by one.")
    var lookupLimit = RunVerifier.defaultLookupLimit
    @Option(help: "Login-ID lookups in flight at once (1-32).") var lookupConcurrency = 6
    @Flag(help: "Verify even though the source file changed since the run began.") var allowChangedSource = false

    func run() throws {
        try runReportingErrors {
            guard (1...32).contains(lookupConcurrency) else { throw CLIError.usage("--lookup-concurrency must be 1-32, not \(lookupConcurrency)") }
            let journal = try where_.open()
            let run = try resolveRun(journal)
            let project = try RunProject.open(run: run, connection: connection, allowChangedSource: allowChangedSource)
            let workspace = project.workspace, admin = project.admin
            let printer = VerifyPrinter(json: json)
            let progress = VerifyProgress()
            let verifier = RunVerifier(run: run, workspace: workspace, graphQL: AdminGraphQLClient(connection: admin),
                                       export: UserExportClient(connection: admin),
                                       onProblem: { printer.problem($0) },
                                       onEvent: { event in
                                           switch event {
                                           case .notice(let text): progress.note(text)
                                           case .progress(let phase, let done, let total): progress.show(phase: phase, done: done, total: total)
                                           }
                                       })
            verifier.lookupLimit = lookupLimit
            verifier.lookupConcurrency = lookupConcurrency
            if !json { print("verifying run \(run.id) (\(run.sourcePath)) against \(run.endpoint) project \(run.projectID)") }
            let summary = try runBlocking { try await verifier.verify(journal: journal) }
            progress.clear()
            printer.summary(summary)
            return summary.allVerified ? 0 : 1
        }
    }

    private func resolveRun(_ journal: Journal) throws -> RunRecord {
        guard let file, where_.run == nil else { return try where_.resolveRun(journal) }
        let path = URL(fileURLWithPath: file).standardizedFileURL.path
        guard let latest = try journal.runs().first(where: { $0.sourcePath == path }) else {
            throw CLIError.usage("no run of \(path) in \(journal.path) (list them with `authgear-migrate runs`)")
        }
        return latest
    }
}

/// Prints verify's problems and totals, human or NDJSON.
final class VerifyPrinter: Sendable {
    let json: Bool
    init(json: Bool) { self.json = json }

    func problem(_ p: VerifyProblem) {
        if json {
            var base: [JSONMember] = [JSONMember("record", .number(String(p.record))), JSONMember("line", .number(String(p.line))),
                                      JSONMember("identifier", p.identifier.map(JSONValue.string) ?? .null),
                                      JSONMember("state", .string(p.state)), JSONMember("user_id", p.userID.map(JSONValue.string) ?? .null),
                                      JSONMember("problem", .string(p.kind.rawValue))]
            if p.differences.isEmpty {
                print(JSONValue.object(base + [JSONMember("message", .string(p.message))]).jsonText)
                return
            }
            for d in p.differences {
                base.removeAll { ["field", "sent", "found"].contains($0.key) }
                print(JSONValue.object(base + [JSONMember("field", .string(d.field)), JSONMember("sent", Self.value(d.sent)),
                                               JSONMember("found", Self.value(d.found))]).jsonText)
            }
            return
        }
        let who = p.identifier.map { " \($0)" } ?? ""
        print("record \(p.record) (line \(p.line))\(who) [\(p.state)]: \(p.kind.rawValue) — \(p.message)")
        for d in p.differences {
            print("    \(d.field): sent \(d.sent ?? "(absent)"), found \(d.found ?? "(absent)")")
        }
    }

    func summary(_ s: VerifySummary) {
        if json {
            print(JSONValue.obj(["summary": .obj([
                "checked": .number(String(s.checked)), "verified": .number(String(s.verified)), "missing": .number(String(s.missing)),
                "mismatched": .number(String(s.mismatched)), "exists_although_failed": .number(String(s.existsAlthoughFailed)),
                "method": .string(s.method), "export_missed": .number(String(s.exportMissed)),
                "not_checkable": .object(s.uncheckable.sorted { $0.key < $1.key }.map { JSONMember($0.key, .number(String($0.value))) }),
                "not_checkable_why": .object(s.uncheckable.keys.sorted().map { JSONMember($0, .string(s.uncheckableReasons[$0] ?? "cannot be read back from the project")) }),
            ])]).jsonText)
            return
        }
        print("checked \(s.checked.groupedDigits): verified \(s.verified.groupedDigits), missing \(s.missing.groupedDigits), mismatched \(s.mismatched.groupedDigits)"
              + " (read by \(s.method == "export" ? "one user export" : "login-ID lookups")\(s.exportMissed > 0 ? ", \(s.exportMissed) users the export did not contain looked up" : ""))")
        print("failed or never-sent records looked for: \(s.failedLookedFor.groupedDigits); found in the project although the run failed: \(s.existsAlthoughFailed.groupedDigits)")
        if !s.uncheckable.isEmpty {
            print("not checkable:")
            for (field, count) in s.uncheckable.sorted(by: { $0.key < $1.key }) {
                print("    \(field) (\(count.groupedDigits) records): \(s.uncheckableReasons[field] ?? "cannot be read back from the project")")
            }
        }
    }

    /// A difference's JSON text as a value (masked secrets stay the mask string).
    static func value(_ text: String?) -> JSONValue {
        guard let text else { return .null }
        return (try? JSONParser.parse(text)) ?? .string(text)
    }
}

/// Verify's progress on stderr: a live line on a terminal, else a plain line every 5 s.
final class VerifyProgress: @unchecked Sendable {
    // @unchecked Sendable: `lastPlain` is behind `lock`; ProgressLine is itself thread-safe.
    private let line = ProgressLine()
    private let terminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var lastPlain = Date()

    func show(phase: String, done: Int, total: Int) {
        if terminal {
            line.update(phase, fraction: total > 0 ? Double(done) / Double(total) : 0,
                        detail: total > 0 ? "\(done.groupedDigits)/\(total.groupedDigits)" : done.groupedDigits)
            return
        }
        let due: Bool = lock.withLock {
            guard Date().timeIntervalSince(lastPlain) >= 5 else { return false }
            lastPlain = Date()
            return true
        }
        if due { FileHandle.standardError.write(Data("\(phase): \(done.groupedDigits)\(total > 0 ? " of \(total.groupedDigits)" : "")\n".utf8)) }
    }

    func note(_ text: String) { line.note(text) }
    func clear() { line.clear() }
}
