import Foundation
import MigrationCore

/// What the picker says a file is, from its name and first bytes: a source format, or "not a
/// source" with what it is instead (a README, a lock file, a CSV mapping), so a file that holds
/// no records is neither guessed as CSV/NDJSON nor opened as one.
public enum SourceKind {
    /// The picker's label for a file that holds no records.
    public static let notASource = "not a source"

    /// Extensions of files that are never user exports (documents, code, lock files, keys, archives).
    static let otherExtensions: [String: String] = [
        "md": "Markdown text", "markdown": "Markdown text", "rst": "a text document", "adoc": "a text document",
        "resolved": "a Swift package lock file", "lock": "a lock file", "swift": "Swift source code",
        "yml": "a YAML file", "yaml": "a YAML file", "toml": "a TOML file", "sh": "a shell script", "py": "Python code",
        "js": "JavaScript code", "ts": "TypeScript code", "html": "an HTML page", "htm": "an HTML page", "xml": "an XML file",
        "pem": "a key or certificate (PEM)", "key": "a key file", "log": "a log file", "pdf": "a PDF document",
        "gz": "a compressed archive", "zip": "a compressed archive", "tar": "an archive", "png": "an image", "jpg": "an image",
    ]

    /// What opening a file that is no source says: what it is, and what to pick instead.
    public static func refusal(_ name: String, is what: String, instead: String = pickAnExport) -> String {
        "\(name) is \(what), not a source: \(instead)"
    }
    public static let pickAnExport = "pick an export of users (a JSON array, NDJSON or CSV, or another system's export)"

    /// `(format label, what the file is when not a source)`: the label is a format name
    /// (authgear, json-array, ndjson, csv, a preset) or `notASource`, with `note` the sentence
    /// that opening it says ("README.md is Markdown text, not a source: pick an export of
    /// users …"); the label is nil when the head cannot be read as a source at all.
    public static func classify(path: String, head: UnsafeRawBufferPointer) -> (label: String?, note: String?) {
        let name = (path as NSString).lastPathComponent
        let ext = (name as NSString).pathExtension.lowercased()
        if let what = otherExtensions[ext] { return (notASource, refusal(name, is: what)) }
        let format = (try? SourceFormat.shape(head, path: path))?.format ?? (try? SourceFormat.detect(head, path: path))
        guard let format else { return (nil, nil) }
        guard format == .ndjson else { return (format.rawValue, nil) }
        // NDJSON's first line is one whole record; a document spread over lines is something else.
        let text = Array(head)
        let start = text.firstIndex { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 } ?? 0
        let firstLine = Array(text[start..<(text[start...].firstIndex(of: 0x0A) ?? text.count)])
        let value = (try? JSONParser.parse(firstLine)) ?? (try? JSONParser.parse(text))
        if let value, isMapping(value) || name.hasSuffix(".mapping.json") {
            return (notASource, refusal(name, is: "a column mapping", instead: "open the export it belongs to (a CSV's NAME.mapping.json beside it is used)"))
        }
        // A first line longer than the head read is a long record, not proof of anything.
        if text[start...].contains(0x0A), (try? JSONParser.parse(firstLine)) == nil {
            return (notASource, refusal(name, is: "a JSON document with no list of users in it"))
        }
        return (format.rawValue, nil)
    }

    /// A mapping file is an object whose "columns" or "map" says how a CSV's columns become records.
    static func isMapping(_ value: JSONValue) -> Bool {
        guard case .object(let members) = value else { return false }
        return members.contains { ($0.key == "columns" || $0.key == "map") && $0.value.isObjectOrArray }
    }
}

private extension JSONValue {
    var isObjectOrArray: Bool {
        switch self {
        case .object, .array: return true
        default: return false
        }
    }
}
