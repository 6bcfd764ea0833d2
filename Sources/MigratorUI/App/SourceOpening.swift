import Foundation
import MigrationCore

/// Opens a source as the TUI does: starts the index scan, stops at a CSV that still needs its
/// column mapping, waits only for the first screenful, loads the edits, and returns a session
/// while the scan goes on in the background.
public enum SourceOpening {
    public enum Outcome {
        case opened(SourceSession)
        /// A CSV without a mapping file: the columns as the default mapping reads them.
        case needsMapping([MappingState.Column])
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Where the TUI saves the mapping accepted for a source (CSV or another system's export):
    /// with its state, keyed by the source's path, where the headless commands find it too.
    public static func mappingPath(forCSV path: String) -> String {
        SavedMapping.path(forSource: path)
    }

    /// The mapping accepted last time for this file, else `NAME.mapping.json` beside `NAME.csv`,
    /// else one accepted for a file of the same name (older TUIs saved by name), parsed: the
    /// mapping step starts from the first of them that fits the source.
    static func savedMappings(forCSV path: String) -> [JSONValue] {
        let sibling = (path as NSString).deletingPathExtension + ".mapping.json"
        return [SavedMapping.path(forSource: path), sibling, SavedMapping.legacyPath(forSource: path)].compactMap { candidate in
            FileManager.default.contents(atPath: candidate).flatMap { try? JSONParser.parse([UInt8]($0)) }
        }
    }

    /// The rows of an extended mapping document's `map`: one per entry, the source pointer as
    /// the header (an entry that fills several fields gives one row per field).
    public static func presetColumns(_ document: JSONValue) -> [MappingState.Column] {
        var columns: [MappingState.Column] = []
        for member in document["map"]?.objectValue ?? [] {
            let entries = member.value.arrayValue ?? [member.value]
            for entry in entries {
                let field = entry.stringValue ?? (entry["skip"]?.boolValue == true ? nil : entry["field"]?.stringValue)
                columns.append(MappingState.Column(header: member.key, field: field, entry: entry))
            }
        }
        return columns
    }

    /// The extended mapping document for `columns` (rows of `presetColumns`) over `base`: the
    /// base's other keys (format, key, layout, not_imported) kept, its `map` rebuilt from the rows;
    /// what a row now maps is no longer counted as not imported.
    public static func presetDocument(_ columns: [MappingState.Column], base: JSONValue) -> JSONValue {
        var map: [JSONMember] = []
        for c in columns {
            var entry: JSONValue
            if let field = c.field {
                if case .object? = c.entry { entry = c.entry!.setting("field", to: .string(field)).setting("skip", to: nil) } else { entry = .string(field) }
            } else {
                entry = (c.entry?.objectValue != nil ? c.entry! : .object([])).setting("skip", to: .bool(true))
            }
            if let i = map.firstIndex(where: { $0.key == c.header }) {
                map[i].value = .array((map[i].value.arrayValue ?? [map[i].value]) + [entry])
            } else {
                map.append(JSONMember(c.header, entry))
            }
        }
        var document = base.setting("map", to: .object(map))
        if case .object(let dropped)? = base["not_imported"] {
            let read = Set(columns.filter { $0.field != nil }.map(\.header))
            let kept = dropped.filter { !read.contains($0.key) }
            document = document.setting("not_imported", to: kept.isEmpty ? nil : .object(kept))
        }
        return document
    }

    /// Whether mapping rows are an extended mapping's (source pointers) rather than CSV headers.
    public static func isPresetMapping(_ columns: [MappingState.Column]) -> Bool {
        columns.first?.header.hasPrefix("/") ?? false
    }

    /// The preset document a source is read with by default, for rebuilding an edited mapping.
    public static func presetBase(path: String, format: SourceFormat?) -> JSONValue? {
        guard let index = try? RecordIndex.open(path: path, format: format) else { return nil }
        index.cancel()
        return index.recordMapping?.document
    }

    public static func open(path: String, format: SourceFormat?, mappingPath: String?) throws(Failure) -> Outcome {
        var mapping: JSONValue?
        if let mappingPath {
            guard let data = FileManager.default.contents(atPath: mappingPath), let value = try? JSONParser.parse([UInt8](data)) else {
                throw Failure(description: "cannot read the mapping file \(mappingPath) as JSON")
            }
            mapping = value
        }
        let index: RecordIndex
        do { index = try RecordIndex.open(path: path, format: format, mapping: mapping) } catch {
            throw Failure(description: error.description)
        }
        if index.presetName != nil, mappingPath == nil, let preset = index.recordMapping {
            // Another system's export: its preset (or the mapping accepted last time) is shown
            // and can be changed before the records are read through it.
            var document = preset.document
            if let saved = savedMappings(forCSV: path).first(where: {
                RecordMappingFile.isExtended($0) && $0["format"] == document["format"] && (try? RecordMapping(document: $0)) != nil
            }) {
                document = saved
            }
            index.cancel()
            return .needsMapping(presetColumns(document))
        }
        if index.format == .csv, mappingPath == nil, let layout = index.csv {
            // Start from a mapping file beside the source or the one saved last time, if any.
            var mapping = layout.mapping
            var saved: JSONValue?
            for candidate in savedMappings(forCSV: path) where !RecordMappingFile.isExtended(candidate) {
                guard let m = try? CSVMapping(header: layout.header, mappingFile: candidate) else { continue }
                mapping = m
                saved = candidate
                break
            }
            let columns = mapping.columns.map { MappingState.Column(header: $0.header, field: $0.field, entry: saved?[$0.header]) }
            let known = Set(columns.map(\.header))
            let unknown = layout.header.filter { !known.contains($0) }.map { MappingState.Column(header: $0, field: nil) }
            index.cancel()
            return .needsMapping(columns + unknown)
        }
        // Only the first screenful is needed now: the columns are chosen from real records.
        let deadline = Date().addingTimeInterval(0.25)
        while !index.isComplete, index.count < 200, Date() < deadline { usleep(1_000) }
        let editsPath = EditStore.defaultPath(forSource: path)
        let edits: EditOverlay
        do { edits = try EditStore(path: editsPath).load(for: index.file) } catch {
            throw Failure(description: "\(error)")
        }
        let doc = index.documentDefaults
        let settings = ValidationSettings(identifier: doc.identifier.flatMap(ImportIdentifier.init(rawValue:)) ?? .email, upsert: doc.upsert ?? false)
        return .opened(SourceSession(path: path, workspace: SourceWorkspace(index: index, edits: edits, settings: settings),
                                     mappingPath: mappingPath, editsPath: editsPath))
    }
}
