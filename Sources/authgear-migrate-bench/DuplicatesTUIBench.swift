import Foundation
import MigrationCore

/// The TUI on the 10,000,000-record duplicates file, through the real binary in a tmux pane
/// (`authgear-migrate tui FILE`, 120×36): when the first record rows show, when the status line
/// says validation finished (its "N invalid" counts replace "validating N%"), the binary's peak
/// memory then (VmHWM), and how long `G` takes to show the last record. Run by
/// `--duplicates --ten-million --tui`.
enum DuplicatesTUIBench {
    static func run(path: String, timeout: Double = 600) {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("authgear-migrate").path
        guard FileManager.default.isExecutableFile(atPath: bin) else {
            TUIBench.emit("TUI row skipped: \(bin) is missing (swift build -c release --product authgear-migrate)")
            return
        }
        let socket = "agm-dup-bench-\(getpid())"
        let state = NSTemporaryDirectory() + "tui-dup-bench-state-\(UUID().uuidString)"
        defer {
            _ = TUIBench.tmux(socket, ["kill-server"])
            try? FileManager.default.removeItem(atPath: state)
        }
        let start = TUIBench.now()
        _ = TUIBench.tmux(socket, ["new-session", "-d", "-s", "b", "-x", "120", "-y", "36",
                                   "env XDG_STATE_HOME='\(state)' LANG=C.UTF-8 TERM=screen '\(bin)' tui '\(path)'"])
        let pid = Int32(TUIBench.tmux(socket, ["display-message", "-p", "-t", "b", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0
        var firstRows: Double?
        var finished: Double?
        var lastStatus = ""
        var screen = ""
        while TUIBench.now() - start < timeout {
            screen = TUIBench.tmux(socket, ["capture-pane", "-p", "-t", "b"])
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if firstRows == nil, screen.contains("0 ok") || screen.contains("0 err") || screen.contains("0 warn") { firstRows = TUIBench.now() - start }
            if let status = lines.last(where: { $0.contains(" records") }) { lastStatus = status.trimmingCharacters(in: .whitespaces) }
            if firstRows != nil, lastStatus.contains(" invalid") {
                finished = TUIBench.now() - start
                break
            }
            usleep(firstRows == nil ? 2_000 : 50_000)
        }
        let peak = pid > 0 ? peakMB(binaryProcess(under: pid)) : nil
        var jump: Double?
        if finished != nil {
            let t = TUIBench.now()
            _ = TUIBench.tmux(socket, ["send-keys", "-t", "b", "G"])
            while TUIBench.now() - t < 30 {
                if TUIBench.tmux(socket, ["capture-pane", "-p", "-t", "b"]).contains("9999999 ") { jump = TUIBench.now() - t; break }
                usleep(5_000)
            }
        }
        func seconds(_ s: Double?) -> String { s.map { String(format: "%.2f s", $0) } ?? "not within \(Int(timeout)) s" }
        TUIBench.emit("")
        TUIBench.emit("TUI, real binary in tmux (120×36), 10,000,000-record file: first record rows \(seconds(firstRows)) (target < 0.5 s); "
                      + "validation finished (status line with the counts) \(seconds(finished)); peak \(peak.map { String(format: "%.0f MB", $0) } ?? "unknown"); "
                      + "G to the last record \(jump.map { String(format: "%.0f ms", $0 * 1000) } ?? "not measured")")
        TUIBench.emit("status line then: \(lastStatus)")
    }

    /// The binary's process: the pane's own process, or the first of its descendants that is
    /// not a shell or `env` (a shell may run the command as its child instead of exec'ing it).
    static func binaryProcess(under pid: Int32) -> Int32 {
        var current = pid
        for _ in 0..<4 {
            let comm = (try? String(contentsOfFile: "/proc/\(current)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
            if comm.hasPrefix("authgear") { return current }
            guard let children = try? String(contentsOfFile: "/proc/\(current)/task/\(current)/children", encoding: .utf8),
                  let child = children.split(separator: " ").first.flatMap({ Int32($0) }) else { return current }
            current = child
        }
        return current
    }

    /// VmHWM of a live process, in MB.
    static func peakMB(_ pid: Int32) -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kb = Double(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kb / 1024
    }
}
