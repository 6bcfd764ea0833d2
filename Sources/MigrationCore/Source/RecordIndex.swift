import Foundation
import Synchronization

/// The lazy index of a source file: every record's byte range and starting line, found by one
/// scan that runs in the background. Usable while it is being built: `count` grows, `progress`
/// says how far the scan got, and the first records can be shown before the scan ends.
public final class RecordIndex: Sendable {
    public let file: SourceFile
    /// The format's name: a layout of Authgear records, or the system whose export this is.
    public let format: SourceFormat
    /// Where the records are in the file.
    public let container: RecordContainer
    /// For CSV: the header and the column mapping, read before the scan starts.
    public let csv: CSVLayout?
    /// The mapping that turns each source record into an import record (a system's preset, or
    /// the operator's `--mapping` in the extended format); nil when records are Authgear records.
    public let recordMapping: RecordMapping?
    /// The preset the mapping came from (`auth0-passwords`), nil when the operator gave it.
    public let presetName: String?

    private struct State {
        var spans: [RecordSpan] = []
        var scannedBytes = 0
        var complete = false
        var cancelled = false
        var failure: SourceError?
        var settings = DocumentDefaults()
    }
    private let state = Mutex(State())
    private let finished = DispatchSemaphore(value: 0)

    /// Opens `path`, detects (or takes) its format, and starts indexing on a background thread.
    /// Errors that make the whole file unreadable are thrown here when they can be seen at once,
    /// otherwise reported by `waitUntilComplete()` / `failure`. `mapping` is a mapping document:
    /// the CSV form (keys are headers) or the extended form (`RecordMappingFile`), which replaces
    /// the preset; `passwords` are hashes joined to the records by legacy key.
    public static func open(path: String, format: SourceFormat? = nil, mapping: JSONValue? = nil,
                            passwords: PasswordJoin? = nil) throws(SourceError) -> RecordIndex {
        try open(file: try SourceFile(path: path), format: format, mapping: mapping, passwords: passwords)
    }

    /// Indexes an already mapped `file` (see `open(path:format:mapping:passwords:)`).
    public static func open(file: SourceFile, format: SourceFormat? = nil, mapping: JSONValue? = nil,
                            passwords: PasswordJoin? = nil) throws(SourceError) -> RecordIndex {
        let path = file.path
        var recordMapping: RecordMapping?
        if let mapping, RecordMappingFile.isExtended(mapping) {
            do { recordMapping = try RecordMapping(document: mapping) } catch {
                throw SourceError(path: path, message: "the mapping cannot be used: \(error.message)", hint: "fix the mapping file (--mapping)")
            }
        }
        var shape: SourceShape
        if recordMapping?.columns != nil {
            shape = SourceShape(format: format ?? recordMapping?.format.flatMap(SourceFormat.init(rawValue:)) ?? .csv, container: .headerlessCSV, preset: nil)
        } else if file.size == 0 {
            if format == .csv || format == nil {
                throw SourceError(path: path, message: "the file is empty", hint: format == .csv ? "a CSV source needs a header row and at least one record"
                                      : "give a JSON, NDJSON or CSV file with at least one record")
            }
            shape = SourceShape(format: format!, container: .ndjson, preset: nil)
        } else {
            shape = try SourceFormat.shape(file.bytes, path: path, forced: format)
        }
        var presetName: String?
        if recordMapping == nil, mapping == nil || !(shape.container == .csv || shape.container == .headerlessCSV), let name = shape.preset {
            recordMapping = SourcePresets.mapping(name)
            presetName = name
        }
        if let m = recordMapping, shape.format == .authgear || !shape.format.isSystem, let named = m.format.flatMap(SourceFormat.init(rawValue:)) {
            shape.format = named
        }
        if shape.container == .document, recordMapping != nil { shape.container = .array }
        recordMapping?.passwords = passwords
        let layout: CSVLayout?
        switch shape.container {
        case .csv where recordMapping != nil, .headerlessCSV:
            layout = try CSVLayout(file: file, objectColumns: shape.container == .headerlessCSV ? recordMapping?.columns ?? [] : nil)
        case .csv:
            layout = try CSVLayout(file: file, mappingFile: mapping)
        default:
            layout = nil
        }
        let index = RecordIndex(file: file, format: shape.format, container: shape.container, csv: layout,
                                mapping: recordMapping, presetName: presetName)
        let thread = Thread { index.build() }
        thread.name = "record-index"
        thread.stackSize = 1 << 20
        thread.start()
        return index
    }

    init(file: SourceFile, format: SourceFormat, container: RecordContainer, csv: CSVLayout?, mapping: RecordMapping?, presetName: String?) {
        self.file = file
        self.format = format
        self.container = container
        self.csv = csv
        self.recordMapping = mapping
        self.presetName = presetName
    }

    /// Whether records are built from the source (CSV rows, a mapping) rather than being its bytes.
    public var isMapped: Bool { csv != nil || recordMapping != nil }

    // MARK: - Reading the index

    /// Records indexed so far.
    public var count: Int { state.withLock { $0.spans.count } }
    /// Fraction of the file scanned, 0…1.
    public var progress: Double {
        state.withLock { s in s.complete ? 1 : (file.size == 0 ? 1 : Double(s.scannedBytes) / Double(file.size)) }
    }
    public var isComplete: Bool { state.withLock { $0.complete } }
    /// The fatal problem the scan ran into, if any (the records before it stay usable).
    public var failure: SourceError? { state.withLock { $0.failure } }
    /// `identifier` / `upsert` from an Authgear import document (known once the scan passed them).
    public var documentDefaults: DocumentDefaults { state.withLock { $0.settings } }

    /// The span of record `i` (0-based); `i` must be below `count`.
    public func span(_ i: Int) -> RecordSpan { state.withLock { $0.spans[i] } }

    /// A copy of the spans in `range` (clamped to what is indexed).
    public func spans(_ range: Range<Int>) -> [RecordSpan] {
        state.withLock { s in
            let r = range.clamped(to: 0..<s.spans.count)
            return Array(s.spans[r])
        }
    }

    /// Stops the scan early; the records found so far stay usable.
    public func cancel() { state.withLock { $0.cancelled = true } }

    /// Blocks until the scan ends; throws the fatal problem it ran into, if any.
    public func waitUntilComplete() throws(SourceError) {
        finished.wait()
        finished.signal()
        if let failure { throw failure }
    }

    // MARK: - Building

    private func build() {
        var local: [RecordSpan] = []
        local.reserveCapacity(4096)
        var lastPublish = 0
        var released = 0
        let publish: (Int, Bool) -> Bool = { scanned, force in
            if scanned - released > 8 << 20 {
                self.file.releasePages(released..<scanned)
                released = scanned
            }
            return self.state.withLock { s in
                if s.spans.isEmpty, scanned > 0 {
                    // Room for the whole file at the first chunk's density (plus a little), so
                    // that a million spans are not copied over and over as the array grows.
                    let estimate = Double(self.file.size) / Double(scanned) * Double(local.count) * 1.05
                    s.spans.reserveCapacity(min(Int(estimate), 100_000_000))
                }
                s.spans.append(contentsOf: local)
                s.scannedBytes = scanned
                return !s.cancelled
            } && !self.file.changedWhileReading
        }
        var tooLong: RecordSpan?
        let only = recordMapping?.only != nil ? recordMapping : nil
        let sink: (RecordSpan) -> Bool = { span in
            guard Int(span.length) <= RecordSpan.maxLength else { tooLong = span; return false }
            // A preset that keeps only some elements (Django's dumpdata: `auth.user`, not `auth.group`).
            if let only, case .success(let source) = self.loadSource(span: span), !only.admits(source) { return true }
            local.append(span)
            if local.count >= 4096 || span.end - lastPublish > (4 << 20) {
                let go = publish(span.end, false)
                local.removeAll(keepingCapacity: true)
                lastPublish = span.end
                return go
            }
            return true
        }
        var failure: SourceError?
        var settings = DocumentDefaults()
        do throws(SourceError) {
            switch container {
            case .document, .array, .memberArray:
                var scanner = JSONRecordScanner(file: file, emit: sink)
                _ = try scanner.scan(container: container)
                settings = scanner.settings
            case .ndjson:
                try NDJSONScanner.scan(file, emit: sink)
            case .csv, .headerlessCSV:
                try csv!.scanRows(file: file, emit: sink)
            }
        } catch {
            failure = error
        }
        if let tooLong {
            failure = SourceError(file: file, offset: tooLong.start, message: "record \(state.withLock { $0.spans.count } + local.count) is 4 GiB or larger: it cannot be a user record",
                                  hint: "the server takes at most 500,000 bytes per request; check the file's structure")
        }
        // Zeros read where the file was cut off make no records: whatever the scan concluded
        // from them, the file changed under it.
        if file.hasShrunk() { failure = file.changedError() }
        state.withLock { s in
            s.spans.append(contentsOf: local)
            s.scannedBytes = file.size
            s.complete = true
            s.failure = failure
            s.settings = settings
        }
        finished.signal()
    }
}

/// Finds NDJSON records: every line that is not blank. A long run of lines that are not
/// objects stops the scan (see `NonRecordRun`).
enum NDJSONScanner {
    static func scan(_ file: SourceFile, emit: (RecordSpan) -> Bool) throws(SourceError) {
        let bytes = file.bytes
        guard let base = bytes.baseAddress else { return }
        var nonRecords = NonRecordRun()
        var number = 0
        var pos = ByteScan.skipBOM(bytes)
        var line = 1
        let n = bytes.count
        while pos < n {
            let rest = n - pos
            let nl = memchr(base + pos, 0x0A, rest)
            let lineEnd = nl.map { base.distance(to: UnsafeRawPointer($0)) } ?? n
            var s = pos
            var e = lineEnd
            while s < e, ByteScan.isWhitespace(bytes[s]) { s += 1 }
            while e > s, ByteScan.isWhitespace(bytes[e - 1]) { e -= 1 }
            if s < e {
                try nonRecords.element(first: bytes[s], number: number, offset: s, line: line, file: file, elements: "lines of the file")
                number += 1
                guard emit(RecordSpan(start: s, end: e, line: line)) else { return }
            }
            pos = lineEnd + 1
            line += 1
        }
    }
}
