import ArgumentParser
import Foundation
import MigrationCore

/// `authgear-migrate export FILE -o OUT`: writes an Authgear import document.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the records (edits applied, CSV mapped) as an Authgear import document.",
        discussion: """
        Turns a CSV, NDJSON or JSON export of a legacy system into the document the User Import \
        API takes: {"identifier": ..., "upsert": ..., "records": [...]}, one record per line. \
        Unedited JSON records keep their exact spelling. Records excluded in the editor are left \
        out. The source file is never modified.

        Exit status: 0 written (with --only-valid: also when invalid records were left out), \
        1 written but it contains records with errors, 2 nothing written.
        """
    )

    @OptionGroup var source: SourceOptions

    @Option(name: [.short, .customLong("output")], help: ArgumentHelp("Where to write the import document.", valueName: "file"))
    var output: String

    @Flag(help: "Leave out records that have errors.")
    var onlyValid = false

    func run() throws {
        try runReportingErrors {
            let progress = ProgressLine()
            let out = URL(fileURLWithPath: output).standardizedFileURL.path
            guard out != URL(fileURLWithPath: source.file).standardizedFileURL.path else {
                throw CLIError.usage("refusing to overwrite the source file \(source.file): choose another -o path")
            }
            let workspace = try source.openWorkspace(progress: progress)
            let report = workspace.validate(progress: { done, total in
                progress.update("validating", fraction: total == 0 ? 1 : Double(done) / Double(total), detail: "\(done.groupedDigits)/\(total.groupedDigits) records")
            })
            progress.clear()
            try requireUnchangedSource(report)
            let writer = ImportDocumentWriter(index: workspace.index, edits: workspace.edits,
                                              identifier: workspace.settings.identifier, upsert: workspace.settings.upsert)
            let written: Int
            do {
                written = try writer.write(to: output, report: report) { n in !onlyValid || report.status[n] != .errors }
            } catch let error as SourceError {
                throw CLIError.unreadable(error.description)
            } catch {
                throw CLIError.unreadable("cannot write \(output): \(error.localizedDescription)")
            }
            let leftOut = report.recordCount - written
            var message = "wrote \(written.counted("record")) to \(output)"
            if leftOut > 0 { message += " (\(leftOut.groupedDigits) left out: \(onlyValid ? "with errors or excluded" : "excluded or unreadable"))" }
            print(message)
            if !onlyValid, report.errorCount > 0 {
                FileHandle.standardError.write(Data("warning: \(report.errorCount.groupedDigits) of the written records have errors; run `authgear-migrate validate \(output)` or use --only-valid\n".utf8))
                return 1
            }
            return 0
        }
    }
}
