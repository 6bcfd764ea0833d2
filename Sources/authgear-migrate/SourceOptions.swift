import ArgumentParser
import Foundation
import MigrationCore

/// Options every command that reads a source shares.
struct SourceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The source file: JSON import document, JSON array, NDJSON or CSV.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Identifier field of the import: email, phone_number or preferred_username. Default: the document's \"identifier\", else email."))
    var identifier: ImportIdentifier?

    @Flag(inversion: .prefixedNo, help: "Update users that already exist (upsert). Default: the document's \"upsert\", else off.")
    var upsert: Bool?

    @Option(help: ArgumentHelp("Source format: authgear, json-array, ndjson or csv. Default: detected from the content."))
    var format: SourceFormat?

    @Option(help: ArgumentHelp("CSV column mapping: a JSON file whose keys are CSV headers and whose values are field paths or {\"field\", \"type\", ...}.", valueName: "file"))
    var mapping: String?

    @Option(help: ArgumentHelp("Edits file to apply (default: the one the TUI keeps for this source under $XDG_STATE_HOME/authgear-migrate/edits).", valueName: "file"))
    var edits: String?

    /// Opens the source, waits for its index, applies edits; prints progress on stderr when it is a terminal.
    func openWorkspace(progress: ProgressLine) throws -> SourceWorkspace {
        var mappingValue: JSONValue?
        if let mapping {
            guard let data = FileManager.default.contents(atPath: mapping) else {
                throw CLIError.unreadable("\(mapping): cannot read the mapping file (check the path and permissions)")
            }
            do { mappingValue = try JSONParser.parse([UInt8](data)) } catch {
                throw CLIError.unreadable("\(mapping): the mapping file is not valid JSON: \(error.description)")
            }
        }
        let index: RecordIndex
        do { index = try RecordIndex.open(path: file, format: format, mapping: mappingValue) } catch {
            throw CLIError.unreadable(error.description)
        }
        while !index.isComplete {
            progress.update("indexing \(file)", fraction: index.progress, detail: "\(index.count) records")
            usleep(50_000)
        }
        do { try index.waitUntilComplete() } catch { throw CLIError.unreadable(error.description) }
        if index.count == 0 {
            throw CLIError.unreadable("\(file): no records found (\(index.format.rawValue))"
                + (index.format == .csv ? "; a CSV source needs a header row and at least one data row" : ""))
        }
        if let layout = index.csv, !layout.mapping.unknownHeaders.isEmpty {
            progress.note("note: CSV columns not mapped to any field (ignored): \(layout.mapping.unknownHeaders.joined(separator: ", "))")
        }
        let doc = index.documentSettings
        let chosen = identifier ?? doc.identifier.flatMap(ImportIdentifier.init(rawValue:)) ?? .email
        let settings = ValidationSettings(identifier: chosen, upsert: upsert ?? doc.upsert ?? false)
        let store = EditStore(path: edits ?? EditStore.defaultPath(forSource: file))
        let overlay: EditOverlay
        do { overlay = try store.load(for: index.file) } catch { throw CLIError.unreadable("\(error)") }
        return SourceWorkspace(index: index, edits: overlay, settings: settings)
    }
}

extension ImportIdentifier: ExpressibleByArgument {}
extension SourceFormat: ExpressibleByArgument {}

/// Errors that stop a command, with the exit status they mean.
enum CLIError: CommandFailure {
    /// The input cannot be read at all (exit 2).
    case unreadable(String)
    /// The command was used wrongly (exit 2).
    case usage(String)

    var description: String {
        switch self {
        case .unreadable(let m), .usage(let m): return m
        }
    }
}

/// Exit 2 when the source changed (was cut short) while the validation pass read it: its
/// verdicts came from bytes that are no longer the file's.
func requireUnchangedSource(_ report: ValidationReport) throws {
    if let failure = report.sourceFailure { throw CLIError.unreadable(failure.description) }
}

/// Runs a command body: any error that escapes it (bad input, journal, SQLite, credentials) is
/// printed on stderr and exits 2, the status for "the command could not run".
func runReportingErrors(_ body: () throws -> Int32) throws {
    let status: Int32
    do { status = try body() } catch let exit as ExitCode {
        throw exit
    } catch let failure as CommandFailure {
        FileHandle.standardError.write(Data(("error: " + failure.description + "\n").utf8))
        throw ExitCode(failure.exitStatus)
    } catch {
        // A library error no command expects (a bug, or a case without its own type yet).
        FileHandle.standardError.write(Data(("error: " + String(describing: error) + "\n").utf8))
        throw ExitCode(2)
    }
    if status != 0 { throw ExitCode(status) }
}
