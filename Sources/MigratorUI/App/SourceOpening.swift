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

    /// Where the TUI saves the mapping accepted for a CSV source.
    public static func mappingPath(forCSV path: String) -> String {
        let name = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        return StateDirectory.path("mappings/\(name).mapping.json")
    }

    /// `NAME.mapping.json` beside `NAME.csv`, else the mapping accepted last time, parsed.
    static func savedMapping(forCSV path: String) -> JSONValue? {
        let sibling = (path as NSString).deletingPathExtension + ".mapping.json"
        for candidate in [sibling, mappingPath(forCSV: path)] {
            if let data = FileManager.default.contents(atPath: candidate), let value = try? JSONParser.parse([UInt8](data)) { return value }
        }
        return nil
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
        if index.format == .csv, mappingPath == nil, let layout = index.csv {
            // Start from a mapping file beside the source or the one saved last time, if any.
            var mapping = layout.mapping
            let saved = savedMapping(forCSV: path)
            if let saved, let m = try? CSVMapping(header: layout.header, mappingFile: saved) { mapping = m }
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
