import ArgumentParser
import Foundation
import MigrationCore

/// Options every command that reads a source shares.
struct SourceOptions: ParsableArguments {
    @Argument(help: ArgumentHelp("The source file: JSON import document, JSON array, NDJSON or CSV, or an export of Auth0, Firebase, Supabase, Clerk, Cognito, Keycloak, Okta, or a Django, Laravel, Devise or WordPress users table.", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("Identifier field of the import: email, phone_number or preferred_username. Default: the document's \"identifier\", else email."))
    var identifier: ImportIdentifier?

    @Flag(inversion: .prefixedNo, help: "Update users that already exist (upsert). Default: the document's \"upsert\", else off.")
    var upsert: Bool?

    @Option(help: ArgumentHelp("Source format: \(SourceFormat.names). Default: detected from the content (a system's export is read through its built-in mapping; the records' layout — NDJSON, array, {\"users\": [...]}, CSV — is always read from the content)."))
    var format: SourceFormat?

    @Option(help: ArgumentHelp("Mapping file: a JSON object whose keys are CSV headers and whose values are field paths or {\"field\", \"type\", ...}; or the extended form {\"map\": {\"/json/pointer\": …}, \"key\": …} that replaces a system's built-in mapping (see --mapping-out). Default: the mapping the TUI's mapping step saved for this file under $XDG_STATE_HOME/authgear-migrate/mappings, if any.", valueName: "file"))
    var mapping: String?

    @Option(help: ArgumentHelp("Write the mapping in effect (a system's built-in mapping, or the CSV column mapping) to this file, to review or edit and pass back with --mapping.", valueName: "file"))
    var mappingOut: String?

    @Option(help: ArgumentHelp("Auth0 password-hash export (from Auth0 support) to join to an Auth0 user export: by user id, auth0| + (alt_id or _id.$oid), never by e-mail.", valueName: "file"))
    var passwords: String?

    @Option(help: ArgumentHelp("Edits file to apply: one exported from the TUI's edits view (E, then w), written by hand in that format, or the TUI's own. Records are found by their key (a login ID), so the file still applies to a re-export; an edit that no longer applies stops the command, naming the entry and the record. Default: the one the TUI keeps for this source under $XDG_STATE_HOME/authgear-migrate/edits.", valueName: "file"))
    var edits: String?

    /// The mapping file the source is read through: `--mapping`, else the one the TUI saved for
    /// this file (`saved`), else none.
    var mappingInEffect: (path: String, saved: Bool)? {
        if let mapping { return (mapping, false) }
        return SavedMapping.existing(forSource: file).map { ($0, true) }
    }

    /// How the summaries name the mapping file in effect: "mapping: FILE (saved by the TUI)".
    var mappingLine: String? {
        mappingInEffect.map { "mapping: \($0.path)" + ($0.saved ? " (saved by the TUI)" : "") }
    }

    /// Opens the source, waits for its index, applies edits; prints progress on stderr when it is a terminal.
    func openWorkspace(progress: ProgressLine) throws -> SourceWorkspace {
        var mappingValue: JSONValue?
        let inEffect = mappingInEffect
        if case let (mapping, saved)? = inEffect {
            let whose = saved ? "the mapping the TUI saved for \(file) (\(mapping))" : mapping
            let fix = saved ? ": accept the mapping again in the TUI, pass --mapping FILE, or delete \(mapping)" : ""
            guard let data = FileManager.default.contents(atPath: mapping) else {
                throw CLIError.unreadable("\(whose): cannot read the mapping file (check the path and permissions)")
            }
            do { mappingValue = try JSONParser.parse([UInt8](data)) } catch {
                throw CLIError.unreadable("\(whose): the mapping file is not valid JSON: \(error.description)\(fix)")
            }
        }
        var join: PasswordJoin?
        if let passwords {
            do { join = try PasswordJoin.auth0(path: passwords) } catch { throw CLIError.unreadable(error.description) }
        }
        let index: RecordIndex
        do { index = try RecordIndex.open(path: file, format: format, mapping: mappingValue, passwords: join) } catch {
            if case let (saved, true)? = inEffect {
                throw CLIError.unreadable("\(error.description) (the mapping the TUI saved for this file: \(saved); accept it again in the TUI, pass --mapping FILE, or delete it)")
            }
            throw CLIError.unreadable(error.description)
        }
        if case let (saved, true)? = inEffect { progress.note("note: mapping: \(saved) (saved by the TUI; --mapping FILE replaces it)") }
        if let join {
            guard index.recordMapping?.key != nil else {
                throw CLIError.usage("--passwords joins hashes by user id: \(file) is \(index.format.rawValue), whose mapping names no user id (\"key\")")
            }
            progress.note("note: \(join.hashes.count.groupedDigits) password hashes read from \(join.path), joined by user id")
        }
        if let mappingOut { try writeMapping(index, to: mappingOut) }
        while !index.isComplete {
            progress.update("indexing \(file)", fraction: index.progress, detail: "\(index.count.counted("record"))")
            usleep(50_000)
        }
        do { try index.waitUntilComplete() } catch { throw CLIError.unreadable(error.description) }
        if index.count == 0 {
            throw CLIError.unreadable("\(file): no records found (\(index.format.rawValue))"
                + (index.format == .csv ? "; a CSV source needs a header row and at least one data row" : ""))
        }
        if let name = index.presetName {
            progress.note("note: \(file) is an export of \(index.format.rawValue); read with the built-in mapping \"\(name)\" (--mapping-out FILE writes it)")
        }
        if let layout = index.csv, !layout.rowsAsObjects, !layout.mapping.unknownHeaders.isEmpty {
            progress.note("note: CSV columns not mapped to any field (ignored): \(layout.mapping.unknownHeaders.joined(separator: ", "))")
        }
        let doc = index.documentDefaults
        let chosen = identifier ?? doc.identifier.flatMap(ImportIdentifier.init(rawValue:)) ?? .email
        let settings = ValidationSettings(identifier: chosen, upsert: upsert ?? doc.upsert ?? false)
        let overlay: EditOverlay
        do {
            // --edits: an edits file exported from the TUI (or written by hand), or a TUI sidecar;
            // without it, the sidecar the TUI keeps for this source, when there is one.
            if let edits { overlay = try EditsFile.load(path: edits, index: index) }
            else { overlay = try EditStore(path: EditStore.defaultPath(forSource: file)).load(for: index.file) }
        } catch { throw CLIError.unreadable("\(error)") }
        return SourceWorkspace(index: index, edits: overlay, settings: settings)
    }
}

/// Writes the mapping in effect: the extended document of a preset (or of `--mapping`), or the
/// CSV column mapping as the CSV form.
func writeMapping(_ index: RecordIndex, to path: String) throws {
    let document: JSONValue
    if let m = index.recordMapping {
        document = m.document
    } else if let layout = index.csv {
        document = .object(layout.mapping.columns.map { c in
            guard let field = c.field, let type = c.type else { return JSONMember(c.header, .obj(["skip": .bool(true)])) }
            var options = [JSONMember("field", .string(field)), JSONMember("type", .string(type.rawValue))]
            if type == .list { options.append(JSONMember("separator", .string(c.separator))) }
            if !c.trueWords.isEmpty { options.append(JSONMember("true", .array(c.trueWords.map(JSONValue.string)))) }
            if !c.falseWords.isEmpty { options.append(JSONMember("false", .array(c.falseWords.map(JSONValue.string)))) }
            return JSONMember(c.header, .object(options))
        })
    } else {
        throw CLIError.usage("--mapping-out: \(index.file.path) is \(index.format.rawValue): its records are Authgear records, there is no mapping to write")
    }
    var bytes = PrettyJSON.text(document)
    bytes.append(0x0A)
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
        throw CLIError.unreadable("\(path): cannot write the mapping file (check the directory and permissions)")
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
    /// The operator did not confirm; nothing was sent (exit 2).
    case declined(String)

    var description: String {
        switch self {
        case .unreadable(let m), .usage(let m), .declined(let m): return m
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
