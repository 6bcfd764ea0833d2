import Foundation
import AuthgearAPI
import MigrationCore
import MigrationEngine
import MigratorUI
import Synchronization

/// What the live handler needs from the command line, which owns the connection flags and the
/// connection check: the target as flags, environment and profile give it, and how to turn the
/// form's settings into a connection.
public struct LiveTarget: Sendable {
    /// A resolved target: where runs go, and the client to send with (made only when needed).
    public struct Connection {
        public var endpoint: String
        public var projectID: String
        public var makeClient: () throws -> ImportClient
        public init(endpoint: String, projectID: String, makeClient: @escaping () throws -> ImportClient) {
            self.endpoint = endpoint
            self.projectID = projectID
            self.makeClient = makeClient
        }
    }
    /// The settings the form starts with.
    public var loaded: ImportSettings
    /// Resolves the form's settings (`warn` goes to the log).
    public var connect: @Sendable (ImportSettings, _ warn: @escaping @Sendable (String) -> Void) throws -> Connection
    /// The connection check's steps for the form's settings.
    public var check: @Sendable (ImportSettings, _ warn: @escaping @Sendable (String) -> Void) -> [CheckStep]
    /// Why rollback refuses a target (a profile marks it `"protected": true`), or nil.
    public var protection: @Sendable (_ endpoint: String, _ projectID: String) -> String?

    public init(loaded: ImportSettings,
                connect: @escaping @Sendable (ImportSettings, _ warn: @escaping @Sendable (String) -> Void) throws -> Connection,
                check: @escaping @Sendable (ImportSettings, _ warn: @escaping @Sendable (String) -> Void) -> [CheckStep],
                protection: @escaping @Sendable (_ endpoint: String, _ projectID: String) -> String? = { _, _ in nil }) {
        self.loaded = loaded
        self.connect = connect
        self.check = check
        self.protection = protection
    }
}

/// Performs the TUI's effects for real: file system, background indexing and validation,
/// filters over a million records, edits, and (in LiveEffects+Run) the engine. Called on the
/// UI thread; long work runs on its own threads and answers through the mailbox.
public final class LiveEffects: EffectHandler, Sendable {
    let target: LiveTarget
    let journalPath: String
    let log: TUILog
    let format: SourceFormat?
    /// Cancels a superseded background pass (validation, filter, search).
    let validationGeneration = Atomic<Int>(0)
    let filterGeneration = Atomic<Int>(0)
    let sortGeneration = Atomic<Int>(0)
    /// The bulk preview being worked out (a newer one or Esc cancels it), and the last one worked out.
    let bulkGeneration = Atomic<Int>(0)
    let bulkPlan = Mutex<(generation: Int, plan: BulkPlan)?>(nil)
    /// The engine's task while a run is in flight.
    let runLock = Mutex<Task<Void, Never>?>(nil)
    /// The verification's and the rollback's tasks while they run (Esc cancels them).
    let verifyTask = Mutex<Task<Void, Never>?>(nil)
    let rollbackTask = Mutex<Task<Void, Never>?>(nil)
    /// Bumped by each verification: an older one's messages are no longer posted.
    let verifyGeneration = Atomic<Int>(0)

    /// Target settings from flags, environment and profile, as the form starts with them.
    let loaded: ImportSettings

    public init(target: LiveTarget, journalPath: String, log: TUILog, format: SourceFormat?) {
        self.target = target
        loaded = target.loaded
        self.journalPath = journalPath
        self.log = log
        self.format = format
    }

    public func perform(_ effect: Effect, state: AppState, mailbox: Mailbox) {
        switch effect {
        case .listDirectory(let path): mailbox.post(Self.list(path))
        case .completePath(let text): mailbox.post(.pathCompleted(Self.complete(text)))
        case .loadRecent: mailbox.post(.recentLoaded(Self.recent()))
        case .openSource(let path, let mapping): openSource(path: path, mappingPath: mapping, mailbox: mailbox)
        case .previewMapping(let path, let columns): mailbox.post(.mappingPreview(Self.preview(path: path, columns: columns, format: format)))
        case .applyMapping(let path, let columns): applyMapping(path: path, columns: columns, mailbox: mailbox)
        case .validateInBackground: validate(state: state, mailbox: mailbox)
        case .filter(let filter, let generation): runFilter(filter, generation: generation, state: state, mailbox: mailbox)
        case .search(let term, let from, let forward, let generation): search(term, from: from, forward: forward, generation: generation, state: state, mailbox: mailbox)
        case .sortRows(let sort, let rows, let generation): sortRows(sort, rows: rows, generation: generation, state: state, mailbox: mailbox)
        case .edit(let op): edit(op, state: state, mailbox: mailbox)
        case .exportEdited(let path): exportEdited(path, state: state, mailbox: mailbox)
        case .loadOutcomes: loadOutcomes(state: state, mailbox: mailbox)
        case .previewBulk(let request, let generation): previewBulk(request, generation: generation, state: state, mailbox: mailbox)
        case .cancelBulk: bulkGeneration.add(1, ordering: .relaxed)
        case .applyBulk(let request, let generation): applyBulk(request, generation: generation, state: state, mailbox: mailbox)
        case .exportEdits(let path): exportEdits(path, state: state, mailbox: mailbox)
        case .quit:
            verifyTask.withLock { $0?.cancel() }
            stopRollback()
            stopRun(wait: true)
        default: performRunEffect(effect, state: state, mailbox: mailbox)
        }
    }

    // MARK: - Files

    static func list(_ path: String) -> Message {
        let fm = FileManager.default
        guard let names = try? fm.contentsOfDirectory(atPath: path) else {
            return .directoryListed(path: path, entries: [], error: "\(path): cannot list this directory (permissions?)")
        }
        var entries: [PickerState.Entry] = []
        for name in names where !name.hasPrefix(".") {
            let full = (path as NSString).appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: full, isDirectory: &isDir) else { continue }
            let size = (try? fm.attributesOfItem(atPath: full)[.size] as? Int) ?? 0
            let kind = isDir.boolValue ? (label: nil, note: nil) : guessFormat(full)
            entries.append(PickerState.Entry(name: name, isDirectory: isDir.boolValue, size: size, format: kind.label, note: kind.note))
        }
        entries.sort { ($0.isDirectory ? 0 : 1, $0.name.lowercased()) < ($1.isDirectory ? 0 : 1, $1.name.lowercased()) }
        return .directoryListed(path: path, entries: entries, error: nil)
    }

    /// The format of a file from its name and first 4 KB, or "not a source" and what it is
    /// (SourceKind); a nil label when it cannot be a source (binary, empty, unreadable).
    static func guessFormat(_ path: String) -> (label: String?, note: String?) {
        guard let h = FileHandle(forReadingAtPath: path) else { return (nil, nil) }
        defer { try? h.close() }
        let head = (try? h.read(upToCount: 4096)) ?? Data()
        return head.withUnsafeBytes { SourceKind.classify(path: path, head: $0) }
    }

    /// What a file that is no source is ("README.md is Markdown text, not a source: …"), or nil.
    static func notASource(_ path: String) -> String? {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else { return nil }
        let kind = guessFormat(path)
        return kind.label == SourceKind.notASource ? kind.note : nil
    }

    /// Completes the last path component to the longest common prefix of the matches.
    static func complete(_ text: String) -> String {
        let expanded = text.hasPrefix("~/") ? NSHomeDirectory() + text.dropFirst(1) : text
        let dir = expanded.hasSuffix("/") ? expanded : (expanded as NSString).deletingLastPathComponent
        let stem = expanded.hasSuffix("/") ? "" : (expanded as NSString).lastPathComponent
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir.isEmpty ? "." : dir) else { return text }
        let matches = names.filter { $0.hasPrefix(stem) && (!$0.hasPrefix(".") || stem.hasPrefix(".")) }.sorted()
        guard var common = matches.first else { return text }
        for m in matches.dropFirst() { while !m.hasPrefix(common) { common.removeLast() } }
        var result = (dir.isEmpty ? "" : (dir.hasSuffix("/") ? dir : dir + "/")) + common
        var isDir: ObjCBool = false
        if matches.count == 1, FileManager.default.fileExists(atPath: result, isDirectory: &isDir), isDir.boolValue { result += "/" }
        return result
    }

    static let recentPath = StateDirectory.path("recent.json")

    static func recent() -> [String] {
        guard let data = FileManager.default.contents(atPath: recentPath), case .array(let items)? = try? JSONParser.parse([UInt8](data)) else { return [] }
        return items.compactMap(\.stringValue).filter { FileManager.default.fileExists(atPath: $0) }
    }

    static func remember(_ path: String) {
        let full = URL(fileURLWithPath: path).standardizedFileURL.path
        let list = [full] + recent().filter { $0 != full }
        try? StateDirectory.writeAtomically(JSONWriter().bytes(.array(list.prefix(10).map(JSONValue.string))), to: recentPath, mode: 0o600)
    }

    // MARK: - Opening a source

    func openSource(path: String, mappingPath: String?, mailbox: Mailbox) {
        let format = self.format
        let log = self.log
        log.write("open \(path)")
        // A typed or recent path is checked as the picker's list is: a file that holds no
        // records says what it is instead of being guessed as CSV or NDJSON.
        if mappingPath == nil, let note = Self.notASource(path) {
            mailbox.post(.failed(note))
            return
        }
        Thread.detachNewThread {
            let session: SourceSession
            do {
                switch try SourceOpening.open(path: path, format: format, mappingPath: mappingPath) {
                case .needsMapping(let columns):
                    mailbox.post(.mappingNeeded(path: path, columns: columns))
                    return
                case .opened(let s): session = s
                }
            } catch {
                mailbox.post(.sourceFailed(path: path, error: "\(error)"))
                return
            }
            let index = session.index
            Self.remember(path)
            mailbox.post(.sourceOpened(SessionBox(session)))
            while true {
                let complete = index.isComplete
                mailbox.post(.indexProgress(indexed: index.count, fraction: index.progress, complete: complete))
                if complete { break }
                usleep(100_000)
            }
            if let failure = index.failure {
                let place = [failure.line.map { "line \($0)" }, failure.column.map { "column \($0)" }].compactMap { $0 }.joined(separator: ", ")
                mailbox.post(.indexStopped(indexed: index.count, reason: (place.isEmpty ? "" : place + ": ") + failure.message))
                log.write("reading \(path) stopped: \(failure.description)")
            }
            log.write("indexed \(path): \(index.count) records")
        }
    }

    /// The mapping file for the columns; an entry loaded with options keeps them (only its field changes).
    static func mappingFile(_ columns: [MappingState.Column]) -> JSONValue {
        .object(columns.map { c in
            guard let field = c.field else { return JSONMember(c.header, .obj(["skip": .bool(true)])) }
            if case .object? = c.entry, let withField = c.entry?.setting("field", to: .string(field)).setting("skip", to: nil) {
                return JSONMember(c.header, withField)
            }
            return JSONMember(c.header, .string(field))
        })
    }

    /// The mapping file for the rows of the mapping step: the CSV form, or for another system's
    /// export the extended form over its preset.
    static func mappingDocument(path: String, columns: [MappingState.Column], format: SourceFormat?) -> JSONValue {
        guard SourceOpening.isPresetMapping(columns) else { return mappingFile(columns) }
        return SourceOpening.presetDocument(columns, base: SourceOpening.presetBase(path: path, format: format) ?? .object([]))
    }

    /// The first records read through the mapping step's rows (secrets masked), and for another
    /// system's export the source paths its first records have (a new row's source is picked from them).
    static func preview(path: String, columns: [MappingState.Column], format: SourceFormat? = nil) -> MappingPreview {
        do {
            let preset = SourceOpening.isPresetMapping(columns)
            let index = try RecordIndex.open(path: path, format: preset ? format : .csv, mapping: mappingDocument(path: path, columns: columns, format: format))
            let deadline = Date().addingTimeInterval(0.5)
            while !index.isComplete, index.count < 3, Date() < deadline { usleep(2_000) }
            defer { index.cancel() }
            let shown = 0..<min(3, index.count)
            let rows: [MappingPreview.Row] = shown.map { n in
                switch index.loadRecord(n) {
                case .success(let v): return .record(MigratorUI.Secrets.masked(v))
                case .failure(let p): return .problem("line \(p.line): \(p.message)")
                }
            }
            var paths: [String] = []
            if preset {
                for n in shown {
                    guard case .success(let source) = index.loadSource(span: index.span(n)) else { continue }
                    for p in MappingChoices.sourcePaths(in: source) where !paths.contains(p) { paths.append(p) }
                }
            }
            return MappingPreview(rows: rows, sourcePaths: paths)
        } catch {
            return MappingPreview(rows: [.problem("\(error)")])
        }
    }

    /// Saves the mapping step's rows where the TUI and the headless commands find them for
    /// this source (`SavedMapping`), then opens the source through them; a mapping that cannot
    /// be used is not saved, and the step stays open with the reason.
    func applyMapping(path: String, columns: [MappingState.Column], mailbox: Mailbox) {
        let mappingPath = SourceOpening.mappingPath(forCSV: path)
        let document = Self.mappingDocument(path: path, columns: columns, format: format)
        do {
            let preset = SourceOpening.isPresetMapping(columns)
            try RecordIndex.open(path: path, format: preset ? format : .csv, mapping: document).cancel()
        } catch {
            mailbox.post(.failed("\(error.description); change the row it names (nothing was saved)"))
            return
        }
        do {
            try StateDirectory.writeAtomically(PrettyJSON.text(document) + [0x0A], to: mappingPath, mode: 0o600)
        } catch {
            mailbox.post(.failed("cannot save the mapping to \(mappingPath): \(error)"))
            return
        }
        mailbox.post(.done("mapping saved (validate, export and import of this file use it too; --mapping FILE replaces it): \(mappingPath)"))
        openSource(path: path, mappingPath: mappingPath, mailbox: mailbox)
    }
}
