import Foundation

/// Writes records (edits applied, CSV mapped to fields) as an Authgear import document, one
/// record per line:
/// ```
/// {"identifier":"email","upsert":false,"records":[
/// {…},
/// {…}
/// ]}
/// ```
/// Unedited JSON records keep their original spelling (only insignificant white space goes).
public struct ImportDocumentWriter {
    public let index: RecordIndex
    public let edits: EditOverlay
    public let identifier: ImportIdentifier
    public let upsert: Bool

    public init(index: RecordIndex, edits: EditOverlay, identifier: ImportIdentifier, upsert: Bool) {
        self.index = index
        self.edits = edits
        self.identifier = identifier
        self.upsert = upsert
    }

    /// The compact JSON of record `n` as it will be sent, or nil when it is excluded or unreadable.
    public func recordBytes(_ n: Int, into out: inout [UInt8]) -> Bool {
        switch edits[n] {
        case .excluded?: return false
        case .replaced(let value)?: JSONWriter().write(value, to: &out); return true
        case nil: return index.recordBytes(span: index.span(n), into: &out)
        }
    }

    /// Whether record `n` will be written as JSON: edits and CSV rows are written by the JSON
    /// writer; an unedited JSON record is copied, so it must parse.
    private func isJSON(_ n: Int, report: ValidationReport?) -> Bool {
        guard edits[n] == nil, index.csv == nil else { return true }
        if let report, n < report.recordCount, report.isSendable(n) { return true }
        do { _ = try JSONParser.parse(index.rawBytes(index.span(n))); return true } catch { return false }
    }

    /// Writes the document to `path` (through a temporary file renamed into place) and returns
    /// how many records it holds. `include(n)` decides which records go in.
    ///
    /// The document is always valid JSON: an unedited JSON record that does not parse (an NDJSON
    /// "line" of a pretty-printed object, a damaged element) is left out, never copied. `report`
    /// (the source's validation) vouches for the records it found sendable; the others are
    /// parsed here before they are written.
    public func write(to path: String, report: ValidationReport? = nil, include: (Int) -> Bool) throws -> Int {
        let tmp = path + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: nil, attributes: [.posixPermissions: 0o600]) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path,
                NSLocalizedDescriptionKey: "cannot create \(tmp): check that the directory exists and is writable"])
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: tmp))
        var written = 0
        do {
            var buffer = RequestEnvelope(identifier: identifier, upsert: upsert).prefix
            for n in 0..<index.count where include(n) {
                // Excluded in the report without an edit saying so: a row the mapping skips.
                if let report, n < report.recordCount, report.status[n] == .excluded { continue }
                var record: [UInt8] = []
                guard isJSON(n, report: report), recordBytes(n, into: &record) else { continue }
                buffer.append(contentsOf: written == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
                buffer.append(contentsOf: record)
                written += 1
                if buffer.count > 1 << 20 {
                    try handle.write(contentsOf: buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
            buffer.append(0x0A)
            buffer.append(contentsOf: RequestEnvelope.suffix)
            buffer.append(0x0A)
            try handle.write(contentsOf: buffer)
            try handle.close()
        } catch {
            try? handle.close()
            unlink(tmp)
            throw error
        }
        // Records read after the source was cut short are zeros: write nothing rather than those.
        if index.file.hasShrunk() {
            unlink(tmp)
            throw index.file.changedError()
        }
        guard rename(tmp, path) == 0 else {
            let reason = SystemError.text()
            unlink(tmp)
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "cannot write \(path): \(reason)"])
        }
        return written
    }
}
