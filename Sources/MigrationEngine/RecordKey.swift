import Foundation
import MigrationCore
import OpenSSLCrypto

/// A record's identifier as the server compares it (the login ID's uniqueness key after the
/// server's normalisation: trim, case folding, E.164, IDNA), kept in the journal as the first 16
/// bytes of its SHA-256 — compact (16 bytes per planned record), no identifier in clear, and
/// collision-free in practice. Two records with equal keys name the same user of a project, so a
/// record of a re-exported file can be matched with the outcome of an earlier run of the old file.
public struct RecordKey: Sendable, Hashable {
    public let high: UInt64
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// The key of a normalised identifier.
    public init(normalized value: String) {
        let digest = SHA256.digest(Array(value.utf8))
        var h: UInt64 = 0, l: UInt64 = 0
        for i in 0..<8 { h = h << 8 | UInt64(digest[i]) }
        for i in 8..<16 { l = l << 8 | UInt64(digest[i]) }
        self.init(high: h, low: l)
    }

    /// The key of a record's identifier under `settings` (the value the server stores; a value the
    /// server would refuse keeps its trimmed spelling), or nil when the record has no identifier.
    public static func of(_ record: JSONValue, settings: ValidationSettings) -> RecordKey? {
        of(identifier: record[settings.identifier.field]?.stringValue, settings: settings)
    }

    static func of(identifier raw: String?, settings: ValidationSettings) -> RecordKey? {
        guard let raw else { return nil }
        switch LoginIDRules.normalizeWithUniqueKey(raw, type: settings.identifier.loginIDType, project: settings.project) {
        case .success(let n): return RecordKey(normalized: n.uniqueKey)
        case .failure: return RecordKey(normalized: raw.trimmingCharacters(in: .whitespaces))
        }
    }

    /// The key of record `n` of `workspace` as it would be sent (its edit applied). An unedited
    /// record of a JSON source has its identifier read alone from its bytes (no tree of the record).
    public static func of(record n: Int, in workspace: SourceWorkspace) -> RecordKey? {
        let index = workspace.index
        if case .replaced(let v)? = workspace.edits[n] { return of(v, settings: workspace.settings) }
        if !index.isMapped, n >= 0, n < index.count, !index.file.changedWhileReading {
            // A record that does not read as an object is left to `loadRecord` (nil as before).
            let read: JSONValue??
            do { read = .some(try JSONParser.member(workspace.settings.identifier.field, ofObject: index.rawBytes(index.span(n)))) } catch { read = nil }
            if let member = read, !index.file.changedWhileReading { return of(identifier: member?.stringValue, settings: workspace.settings) }
        }
        guard case .success(let v) = index.loadRecord(n) else { return nil }
        return of(v, settings: workspace.settings)
    }

    /// 16 bytes, big-endian; 16 zero bytes stand for "no key".
    static func encode(_ keys: [RecordKey?]) -> Data {
        var data = Data(capacity: keys.count * 16)
        for k in keys {
            var h = (k?.high ?? 0).bigEndian, l = (k?.low ?? 0).bigEndian
            withUnsafeBytes(of: &h) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: &l) { data.append(contentsOf: $0) }
        }
        return data
    }

    static func decode(_ data: Data) -> [RecordKey?] {
        var out: [RecordKey?] = []
        out.reserveCapacity(data.count / 16)
        data.withUnsafeBytes { raw in
            for i in stride(from: 0, to: raw.count - 15, by: 16) {
                let h = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let l = UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self))
                out.append(h == 0 && l == 0 ? nil : RecordKey(high: h, low: l))
            }
        }
        return out
    }
}
