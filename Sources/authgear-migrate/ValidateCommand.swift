import ArgumentParser
import Foundation
import MigrationCore

/// `authgear-migrate validate FILE`: checks every record against the server's rules.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check every record against the server's rules before anything is sent.",
        discussion: """
        Reports, for each record with problems, its number (0-based position in the source), \
        its line, the field (JSON pointer), a rule id and a message in the server's own words. \
        Also finds what the server would not tell you until too late: identifiers used twice \
        after normalisation, unusable bcrypt hashes, bad TOTP secrets, fields that are ignored.

        With --json, stdout has one JSON object per line for every record with issues \
        ({"record", "line", "issues": [{"severity", "pointer", "rule", "message"}]}) and a \
        final {"summary": {"format", "records", "valid", "with_errors", "with_warnings"}} line; \
        for another system's export also "without_password" (users whose hash cannot be \
        imported), "not_imported" (what the import cannot carry → records that have it), \
        "skipped" and "skipped_by_reason" (rows the mapping leaves out, such as Supabase's \
        deleted and anonymous users; each is also listed as {"record", "line", "skipped": reason}).

        Exit status: 0 every record valid (warnings allowed), 1 some records have errors, \
        2 the file cannot be read.
        """
    )

    @OptionGroup var source: SourceOptions

    @Flag(help: "Machine-readable output: NDJSON, one line per record with issues, then a summary line.")
    var json = false

    @Option(help: "How many problem records to list in human output (0 for all).")
    var show = 20

    func run() throws {
        try runReportingErrors {
            let progress = ProgressLine()
            let workspace = try source.openWorkspace(progress: progress)
            let report = workspace.validate(progress: { done, total in
                progress.update("validating", fraction: total == 0 ? 1 : Double(done) / Double(total), detail: "\(done.groupedDigits)/\(total.groupedDigits) records")
            })
            progress.clear()
            try requireUnchangedSource(report)
            if json { printJSON(report, workspace) } else { printHuman(report, workspace) }
            return report.errorCount > 0 ? 1 : 0
        }
    }

    private func printJSON(_ report: ValidationReport, _ workspace: SourceWorkspace) {
        var out: [UInt8] = []
        let writer = JSONWriter()
        let skipped = SkippedRows.find(index: workspace.index, report: report, edits: workspace.edits)
        func flush() { if out.count > 1 << 16 { FileHandle.standardOutput.write(Data(out)); out.removeAll(keepingCapacity: true) } }
        // In record order: a skipped row (no issues: it is not judged) between the records with issues.
        var s = 0
        func skippedRows(before limit: Int) {
            while s < skipped.records.count, skipped.records[s] < limit {
                let n = skipped.records[s]
                writer.write(.obj(["record": .number(String(n)), "line": .number(String(workspace.index.span(n).line)),
                                   "skipped": .string(skipped.reasons[Int(skipped.reasonOfRecord[s])])]), to: &out)
                out.append(0x0A)
                flush()
                s += 1
            }
        }
        for n in report.issues.keys {
            skippedRows(before: n)
            let issues = report.issues[n]!.map { issue in
                JSONValue.obj([
                    "severity": .string(issue.severity.rawValue), "pointer": .string(issue.pointer),
                    "rule": .string(issue.rule), "message": .string(issue.message),
                ])
            }
            writer.write(.obj(["record": .number(String(n)), "line": .number(String(workspace.index.span(n).line)), "issues": .array(issues)]), to: &out)
            out.append(0x0A)
            flush()
        }
        skippedRows(before: Int.max)
        var summary: [JSONMember] = [
            JSONMember("format", .string(workspace.index.format.rawValue)),
            JSONMember("records", .number(String(report.recordCount))), JSONMember("valid", .number(String(report.validCount))),
            JSONMember("with_errors", .number(String(report.errorCount))), JSONMember("with_warnings", .number(String(report.warningCount))),
        ]
        if let m = workspace.index.recordMapping {
            summary.append(JSONMember("without_password", .number(String(report.withoutImportablePassword))))
            summary.append(JSONMember("not_imported", .object(notImported(report, m).map { JSONMember($0.what, .number(String($0.count))) })))
            summary.append(JSONMember("skipped", .number(String(skipped.total))))
            summary.append(JSONMember("skipped_by_reason", .object(zip(skipped.reasons, skipped.counts).filter { $0.1 > 0 }
                .map { JSONMember($0.0, .number(String($0.1))) })))
        }
        writer.write(.obj(["summary": .object(summary)]), to: &out)
        out.append(0x0A)
        FileHandle.standardOutput.write(Data(out))
    }

    private func printHuman(_ report: ValidationReport, _ workspace: SourceWorkspace) {
        let index = workspace.index
        let s = workspace.settings
        var lines: [String] = []
        let what = index.presetName.map { "\(index.format.rawValue) export, mapping \"\($0)\"" } ?? index.format.rawValue
        lines.append("\(index.file.path): \(report.recordCount.counted("record")) (\(what)), identifier \(s.identifier.rawValue), upsert \(s.upsert ? "on" : "off")")
        if let mapping = source.mappingLine { lines.append("  " + mapping) }
        if !workspace.edits.isEmpty { lines.append("  with \(workspace.edits.changes.count.counted("edited record")) applied") }
        lines.append("  valid          \(report.validCount.groupedDigits.leftPadded(9))  (\(report.warningCount.groupedDigits) with warnings)")
        lines.append("  with errors    \(report.errorCount.groupedDigits.leftPadded(9))")
        let skipped = SkippedRows.find(index: index, report: report, edits: workspace.edits)
        let excluded = report.excludedCount - skipped.total
        if excluded > 0 { lines.append("  excluded       \(excluded.groupedDigits.leftPadded(9))") }
        if skipped.total > 0 { lines.append("  skipped        \(skipped.total.groupedDigits.leftPadded(9))  (by the mapping's skip rules: never sent)") }
        if let m = index.recordMapping {
            let withoutPassword = report.withoutImportablePassword
            let dropped = notImported(report, m)
            if withoutPassword > 0 || !dropped.isEmpty || skipped.total > 0 {
                lines.append("")
                lines.append("Not imported:")
                if let said = skipped.summary {
                    // Said once: how many, why, and where the first of each reason is.
                    let first = skipped.firstRecords.compactMap { $0.map { "record \($0) (line \(index.span($0).line))" } }
                    lines.append("  \(said); first: \(first.joined(separator: ", "))")
                }
                if withoutPassword > 0 {
                    lines.append("  \(withoutPassword.groupedDigits) user\(withoutPassword == 1 ? "" : "s") will have no password: their hash cannot be imported "
                                 + "(password.not_importable); they reset it or sign in passwordless")
                }
                for entry in dropped { lines.append("  \(entry.what): \(entry.count.counted("record"))") }
            }
        }
        let counts = report.countsByRule()
        for severity in [Issue.Severity.error, .warning] {
            let rows = counts.filter { $0.severity == severity }
            guard !rows.isEmpty else { continue }
            lines.append("")
            lines.append(severity == .error ? "Errors by rule:" : "Warnings by rule:")
            let width = rows.map(\.rule.count).max() ?? 0
            for row in rows { lines.append("  \(row.rule.padding(toLength: width, withPad: " ", startingAt: 0))  \(row.count.groupedDigits.leftPadded(9))") }
        }
        let problems = report.issues.keys.filter { report.status[$0] == .errors }
        if !problems.isEmpty {
            lines.append("")
            lines.append(show > 0 && problems.count > show ? "First \(show.counted("record")) with errors:" : "Records with errors:")
            for n in (show > 0 ? Array(problems.prefix(show)) : problems) {
                let line = index.span(n).line
                for issue in report.issues[n]! where issue.severity == .error {
                    let field = issue.pointer.isEmpty ? "(record)" : issue.pointer
                    lines.append("  record \(n) (line \(line)) \(field): \(issue.message) [\(issue.rule)]")
                }
            }
        }
        if report.errorCount == 0 {
            lines.append("")
            lines.append("Every record is valid. Next: authgear-migrate export \(index.file.path) -o import.json")
        } else {
            lines.append("")
            lines.append("Fix the records above (or leave them out with export --only-valid); --json lists every issue.")
        }
        print(lines.joined(separator: "\n"))
    }
}

/// What the source has that the import cannot carry, with the number of records that have it.
func notImported(_ report: ValidationReport, _ mapping: RecordMapping) -> [(what: String, count: Int)] {
    zip(mapping.notImportedLabels, report.notImported + [Int](repeating: 0, count: max(0, mapping.notImportedLabels.count - report.notImported.count)))
        .filter { $0.1 > 0 }.map { (what: $0.0, count: $0.1) }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
