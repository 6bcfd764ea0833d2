import Foundation

import MigrationCore

/// When each record's edit was last saved, kept beside the edits file (`<edits>.times.json`) so
/// that Review can still tell, after the TUI was restarted, which failures were edited since the
/// journal recorded them. A record whose edit is undone back to the source loses its time.
public enum EditTimes {
    public static func path(forEdits editsPath: String) -> String { editsPath + ".times.json" }

    /// The saved times, or none when the file is missing or unreadable (the marks are a hint: a
    /// lost file only means Review does not mark those records as edited since they failed).
    public static func load(path: String) -> [Int: Date] {
        guard let data = FileManager.default.contents(atPath: path),
              let doc = try? JSONParser.parse([UInt8](data)), case .object(let members)? = doc["edited_at"] else { return [:] }
        var times: [Int: Date] = [:]
        for m in members {
            guard let n = Int(m.key), let t = m.value.doubleValue else { continue }
            times[n] = Date(timeIntervalSince1970: t)
        }
        return times
    }

    public static func save(_ times: [Int: Date], to path: String) throws {
        let members = times.keys.sorted().map { JSONMember(String($0), .number(String(times[$0]!.timeIntervalSince1970))) }
        let doc = JSONValue.obj(["format": .string("authgear-migrate edit times"), "version": .number("1"), "edited_at": .object(members)])
        try StateDirectory.writeAtomically(PrettyJSON.text(doc) + [0x0A], to: path, mode: 0o600)
    }

    /// Stamps `at` on every record whose change differs between `old` and `new`; a record with
    /// no change left (undone to the source) is dropped.
    public static func stamp(_ times: inout [Int: Date], from old: EditOverlay, to new: EditOverlay, at now: Date) {
        for n in Set(old.changes.keys).union(new.changes.keys) where old.changes[n] != new.changes[n] {
            times[n] = new.changes[n] == nil ? nil : now
        }
    }
}
