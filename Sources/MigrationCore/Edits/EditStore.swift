import Foundation

/// Saves and loads an `EditOverlay` in a sidecar file next to the run's state, never beside
/// or inside the source file. The file records which source it belongs to, so edits are not
/// applied to a different file by mistake. Written atomically with mode 0600 (edits may hold
/// password hashes).
public struct EditStore: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The default sidecar for a source: `$XDG_STATE_HOME/authgear-migrate/edits/<name>-<hash>.edits.json`.
    public static func defaultPath(forSource sourcePath: String) -> String {
        StateDirectory.sourceKeyedPath("edits", source: sourcePath, suffix: ".edits.json")
    }

    /// Loads the edits saved for `file`, or none. A sidecar written for another source content is refused.
    public func load(for file: SourceFile) throws -> EditOverlay {
        guard FileManager.default.fileExists(atPath: path) else { return EditOverlay() }
        let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let doc: JSONValue
        do { doc = try JSONParser.parse(data) } catch {
            throw EditStoreError(path: path, message: "the edits file is not valid JSON: \(error.description)")
        }
        let fingerprint = doc["source"]?["fingerprint"]?.stringValue
        if let fingerprint, fingerprint != file.fingerprint() {
            throw EditStoreError(path: path, message: "these edits were made to a different version of \(file.path) (fingerprint \(fingerprint), now \(file.fingerprint())); record numbers may no longer match",
                                 hint: "move the edits file away to start without edits, or restore the original source")
        }
        var changes: [Int: EditOverlay.Change] = [:]
        guard case .object = doc, let entries = doc["edits"]?.arrayValue else {
            throw EditStoreError(path: path, message: "the edits file is not an object with an \"edits\" array")
        }
        for (i, entry) in entries.enumerated() {
            guard let n = entry["record"]?.numberText.flatMap(Int.init), n >= 0 else {
                throw EditStoreError(path: path, message: "edit #\(i) has no valid \"record\" number")
            }
            if entry["excluded"]?.boolValue == true { changes[n] = .excluded }
            else if let value = entry["value"], case .object = value { changes[n] = .replaced(value) }
            else { throw EditStoreError(path: path, message: "edit #\(i) (record \(n)) has neither \"value\" (an object) nor \"excluded\": true") }
        }
        var groups: [EditOverlay.Entry] = []
        for (g, group) in (doc["groups"]?.arrayValue ?? []).enumerated() {
            guard let label = group["label"]?.stringValue, let list = group["steps"]?.arrayValue else {
                throw EditStoreError(path: path, message: "group #\(g) has no \"label\" or no \"steps\" array")
            }
            var steps: [EditOverlay.Step] = []
            for (k, step) in list.enumerated() {
                guard let n = step["record"]?.numberText.flatMap(Int.init), n >= 0 else {
                    throw EditStoreError(path: path, message: "group #\(g) (\(label)), step #\(k) has no valid \"record\" number")
                }
                steps.append(EditOverlay.Step(record: n, before: try Self.change(step["before"], path: path, at: "group #\(g) step #\(k)"),
                                              after: try Self.change(step["after"], path: path, at: "group #\(g) step #\(k)")))
            }
            groups.append(EditOverlay.Entry(label: label, steps: steps.sorted { $0.record < $1.record }))
        }
        return EditOverlay(changes: changes, groups: groups)
    }

    /// At most this many operations on many records stay undoable across sessions.
    public static let savedGroups = 10

    /// A record's state in a saved group step: null (as in the source), {"excluded": true} or {"value": {...}}.
    static func change(_ v: JSONValue?, path: String, at place: String) throws -> EditOverlay.Change? {
        guard let v, v != .null else { return nil }
        if v["excluded"]?.boolValue == true { return .excluded }
        if let value = v["value"], case .object = value { return .replaced(value) }
        throw EditStoreError(path: path, message: "\(place): a state is null, {\"excluded\": true} or {\"value\": {…}}")
    }

    static func json(_ c: EditOverlay.Change?) -> JSONValue {
        switch c {
        case nil: return .null
        case .excluded?: return .obj(["excluded": .bool(true)])
        case .replaced(let v)?: return .obj(["value": v])
        }
    }

    /// Saves `overlay` for `file` (atomically: a temporary file renamed into place).
    public func save(_ overlay: EditOverlay, for file: SourceFile) throws {
        let edits: [JSONValue] = overlay.changes.keys.sorted().map { n in
            switch overlay.changes[n]! {
            case .excluded: return .obj(["record": .number(String(n)), "excluded": .bool(true)])
            case .replaced(let v): return .obj(["record": .number(String(n)), "value": v])
            }
        }
        // The last operations on many records, so that `u` still undoes one as a whole after a restart.
        let groups: [JSONValue] = overlay.undoableGroups.suffix(Self.savedGroups).map { g in
            .obj(["label": .string(g.label ?? ""),
                  "steps": .array(g.steps.map { .obj(["record": .number(String($0.record)), "before": Self.json($0.before), "after": Self.json($0.after)]) })])
        }
        var members: [JSONMember] = [
            JSONMember("source", .obj(["path": .string(file.path), "size": .number(String(file.size)), "fingerprint": .string(file.fingerprint())])),
            JSONMember("edits", .array(edits)),
        ]
        if !groups.isEmpty { members.append(JSONMember("groups", .array(groups))) }
        let doc = JSONValue.object(members)
        try StateDirectory.writeAtomically(JSONWriter().bytes(doc) + [0x0A], to: path, mode: 0o600)
    }
}

public struct EditStoreError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var hint: String?
    public var description: String { "\(path): \(message)" + (hint.map { "\n  hint: \($0)" } ?? "") }
}
