import Foundation
import MigrationCore

/// The TUI's log file: what happened, never a record's content or a secret. The screen the
/// TUI owns never shows log lines; `?` shows where this file is.
public final class TUILog: @unchecked Sendable {
    // @unchecked Sendable: the file handle is only touched under `lock`.
    public let path: String
    private let lock = NSLock()
    private let handle: FileHandle?

    public init(path: String = StateDirectory.path("tui.log")) {
        self.path = path
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        if !FileManager.default.fileExists(atPath: path) {
            _ = FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        handle = FileHandle(forWritingAtPath: path)
        _ = try? handle?.seekToEnd()
    }

    public func write(_ line: String) {
        let stamp = ISO8601DateFormatter().string(from: Date())
        lock.lock(); defer { lock.unlock() }
        handle?.write(Data("\(stamp) \(line)\n".utf8))
    }
}
