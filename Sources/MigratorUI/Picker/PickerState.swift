import Foundation

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
