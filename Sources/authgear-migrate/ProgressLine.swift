import Foundation

/// A one-line progress display on stderr, shown only when stderr is a terminal.
final class ProgressLine: @unchecked Sendable {
    // @unchecked Sendable: all state is behind `lock`.
    private let lock = NSLock()
    private let enabled: Bool
    private var lastDraw = Date.distantPast
    private var visible = false

    init() {
        enabled = isatty(STDERR_FILENO) == 1
    }

    /// Redraws the line (at most 10 times a second).
    func update(_ label: String, fraction: Double, detail: String = "") {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        let now = Date()
        guard now.timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = now
        let pct = Int((fraction * 100).rounded(.down))
        let width = 24
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
        FileHandle.standardError.write(Data("\r\u{1B}[2K\(label) \(bar) \(pct)% \(detail)".utf8))
        visible = true
    }

    /// Clears the line.
    func clear() {
        guard enabled else { return }
        lock.lock(); defer { lock.unlock() }
        if visible { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
        visible = false
    }

    /// Prints a note on stderr (clearing the progress line first).
    func note(_ text: String) {
        clear()
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
