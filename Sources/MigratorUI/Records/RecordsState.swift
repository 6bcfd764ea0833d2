import Foundation
import MigrationCore
import MigrationEngine

/// The file browser.
public struct PickerState: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var isDirectory: Bool
        public var size: Int
        /// A guess from the first bytes: authgear, json-array, ndjson, csv; nil for directories and unreadable files.
        public var format: String?
        public init(name: String, isDirectory: Bool, size: Int, format: String?) {
            self.name = name
            self.isDirectory = isDirectory
            self.size = size
            self.format = format
        }
    }
    public var directory = FileManager.default.currentDirectoryPath
    public var entries: [Entry] = []
    public var selected = 0
    public var top = 0
    public var recent: [String] = []
    /// Focus on the recent-files list instead of the directory.
    public var recentFocused = false
    public var error: String?
    public init() {}
}

/// CSV column mapping: each header and the field it fills.
public struct MappingState: Equatable, Sendable {
    public struct Column: Equatable, Sendable {
        public var header: String
        /// Field path ("email", "custom_attributes.tier"), or nil when skipped.
        public var field: String?
        /// The column's entry in the mapping file it came from, kept so that its options (type,
        /// true/false words, list separator) survive when the mapping is saved again.
        public var entry: JSONValue?
        public init(header: String, field: String?, entry: JSONValue? = nil) {
            self.header = header
            self.field = field
            self.entry = entry
        }
    }
    public var path = ""
    public var columns: [Column] = []
    public var selected = 0
    /// The first records as they will be sent with the current mapping (compact JSON), or the error.
    public var preview: [String] = []
    public init() {}
}

/// What the records table shows.
public enum RecordFilter: Equatable, Sendable {
    case all, problems, errors, warnings, excluded, edited
    case rule(String)
    case text(String)

    public var label: String {
        switch self {
        case .all: return "all records"
        case .problems: return "with problems"
        case .errors: return "with errors"
        case .warnings: return "with warnings"
        case .excluded: return "excluded"
        case .edited: return "edited"
        case .rule(let r): return "rule \(r)"
        case .text(let t): return "containing \"\(t)\""
        }
    }
}

/// The records table and its inspector.
public struct RecordsState: Equatable, Sendable {
    public var filter: RecordFilter = .all
    /// Record numbers shown when filtered (nil = every record in order).
    public var rows: [Int]?
    /// A filter still scanning in the background.
    public var filtering = false
    public var filterGeneration = 0
    /// Position in the (filtered) row list.
    public var cursor = 0
    public var top = 0
    public var inspector = true
    public var revealSecrets = false
    public var search: String?
    public var searching = false
    /// Latest outcomes of the run, once one has ended in this session (the result column).
    public var outcomes: RecordOutcomes?
    public init() {}

    public func rowCount(total: Int) -> Int { rows?.count ?? total }
    public func record(atRow i: Int) -> Int { rows.map { $0[i] } ?? i }
}

/// The field editor of one record.
public struct EditorState: Equatable, Sendable {
    public var record = 0
    public var selected = 0
    public var top = 0
    public var revealSecrets = false
    /// Where to go back to.
    public var returnTo: Screen = .records
    public init() {}
}

public enum SettingsField: String, Equatable, Sendable, CaseIterable {
    case endpoint, projectID, keyID, keyFile, identifier, upsert, concurrency
}

/// Target and run options, from flags/environment/profile, editable before launch.
public struct ImportSettings: Equatable, Sendable {
    public var endpoint = ""
    public var projectID = ""
    public var keyID = ""
    public var keyFile = ""
    public var identifier: ImportIdentifier = .email
    public var upsert = false
    public var concurrency = 2
    public var selected = 0
    /// The connection check's steps: (name, ok, detail).
    public var check: [CheckStep] = []
    public var checking = false
    public init() {}

    public var isComplete: Bool { !endpoint.isEmpty && !projectID.isEmpty && !keyID.isEmpty && !keyFile.isEmpty }
}

public struct CheckStep: Equatable, Sendable {
    public var name: String
    public var ok: Bool
    public var detail: String
    public init(name: String, ok: Bool, detail: String) {
        self.name = name
        self.ok = ok
        self.detail = detail
    }
}

/// The live view of a run.
public struct RunViewState: Equatable, Sendable {
    public struct BatchRow: Equatable, Sendable {
        public var id: Int64
        public var records: Int
        public var state: String
        public var jobID: String?
        public var attempts: Int
        public var since: Date
        public var note: String?
        public init(id: Int64, records: Int, state: String, jobID: String?, attempts: Int, since: Date, note: String?) {
            self.id = id
            self.records = records
            self.state = state
            self.jobID = jobID
            self.attempts = attempts
            self.since = since
            self.note = note
        }
    }
    public struct Failure: Equatable, Sendable {
        public var record: Int
        public var reason: String
        public var message: String
    }
    /// A job pending longer than this (seconds since it was sent) is shown in warning style with its age.
    public static let longPendingSeconds = 10.0
    public var runID: String?
    public var active = false
    public var pausedReason: String?
    public var finished: OutcomeCounts?
    public var snapshot: ProgressSnapshot?
    public var counts = OutcomeCounts()
    /// The run's totals before this invocation (snapshots count only what this invocation did).
    public var base = OutcomeCounts()
    public var batches: [BatchRow] = []
    public var failures: [Failure] = []
    public var events: [String] = []
    public var selected = 0
    public var startedAt: Date?
    public init() {}
}

/// Failure review: failed records grouped by reason, skipped users, warnings.
public struct ReviewState: Equatable, Sendable {
    public enum Tab: String, Equatable, Sendable, CaseIterable { case failed, skipped, warnings }
    public struct Group: Equatable, Sendable {
        public var key: String
        public var records: [Item]
        public init(key: String, records: [Item]) {
            self.key = key
            self.records = records
        }
    }
    public struct Item: Equatable, Sendable {
        public var record: Int
        public var identifier: String
        public var reason: String
        public var message: String
        public var userID: String?
        /// What the server said beyond its message (the error's info, e.g. which identity clashed).
        public var detail: String?
        public init(record: Int, identifier: String, reason: String, message: String, userID: String? = nil, detail: String? = nil) {
            self.record = record
            self.identifier = identifier
            self.reason = reason
            self.message = message
            self.userID = userID
            self.detail = detail
        }
    }
    public var tab: Tab = .failed
    public var groups: [Group] = []
    public var group = 0
    public var item = 0
    /// Focus on the items of the selected group instead of the group list.
    public var itemsFocused = false
    public var marked: Set<Int> = []
    public var loaded = false
    public init() {}

    public var currentItems: [Item] { groups.indices.contains(group) ? groups[group].records : [] }
}
