/// A terminal the UI runtime owns: it reads input and shows frames. `NcursesTerminal` is the
/// real one; tests use `MemoryTerminal`. All calls happen on the one thread that owns it.
public protocol Terminal: AnyObject {
    /// Columns and rows now.
    var size: (width: Int, height: Int) { get }
    /// Waits up to `timeoutMilliseconds` (0 = poll) for input; nil when none arrived.
    func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent?
    /// Shows `frame`, writing only the cells that differ from the frame shown before.
    func present(_ frame: ScreenBuffer)
    /// Gives the screen back as it was before the UI started. Safe to call twice.
    func restore()
    /// Rings the terminal's bell (an event the operator should notice, such as a run's end).
    func bell()
}

extension Terminal {
    public func bell() {}
}

/// The cells of `new` that differ from `old`, row by row, as runs of consecutive changed cells;
/// a backend writes each run with one cursor move. A size change redraws everything.
public enum FrameDiff {
    public struct Run: Sendable, Equatable {
        public var x: Int, y: Int
        public var cells: [Cell]
    }

    public static func runs(from old: ScreenBuffer?, to new: ScreenBuffer) -> [Run] {
        let full = old == nil || old!.width != new.width || old!.height != new.height
        var runs: [Run] = []
        for y in 0..<new.height {
            var x = 0
            while x < new.width {
                if !full, old![x, y] == new[x, y] { x += 1; continue }
                // A changed continuation cell is redrawn from its wide character.
                let start = new[x, y].isContinuation && x > 0 ? x - 1 : x
                var cells = [new[start, y]]
                var end = start + 1
                while end < new.width, full || old![end, y] != new[end, y] || new[end, y].isContinuation {
                    cells.append(new[end, y])
                    end += 1
                }
                runs.append(Run(x: start, y: y, cells: cells))
                x = end
            }
        }
        return runs
    }
}

/// A terminal in memory: scripted input, frames kept for inspection. For tests and benchmarks.
public final class MemoryTerminal: Terminal {
    public var size: (width: Int, height: Int)
    public var pending: [TerminalEvent]
    public private(set) var frames: [ScreenBuffer] = []
    public private(set) var cellsWritten = 0
    public private(set) var restored = false
    public private(set) var bells = 0

    public init(width: Int, height: Int, events: [TerminalEvent] = []) {
        size = (width, height)
        pending = events
    }

    public var screen: ScreenBuffer? { frames.last }

    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        pending.isEmpty ? nil : pending.removeFirst()
    }

    public func present(_ frame: ScreenBuffer) {
        cellsWritten += FrameDiff.runs(from: frames.last, to: frame).reduce(0) { $0 + $1.cells.count }
        frames.append(frame)
    }

    public func restore() { restored = true }

    public func bell() { bells += 1 }
}
