import Foundation

/// The file browser.
public struct PickerState: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var name: String
        public var isDirectory: Bool
        public var size: Int
        /// A guess from the first bytes: authgear, json-array, ndjson, csv, a preset, or "not a
        /// source" (see `note`); nil for directories and unreadable files.
        public var format: String?
        /// What a file that is not a source is instead ("a Markdown document (README.md), …").
        public var note: String?
        public init(name: String, isDirectory: Bool, size: Int, format: String?, note: String? = nil) {
            self.name = name
            self.isDirectory = isDirectory
            self.size = size
            self.format = format
            self.note = note
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
