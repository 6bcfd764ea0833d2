import Foundation

/// What a run is doing now, told exactly: the journal's state (active / paused / finished) read
/// together with who holds the journal's lock. A run the journal calls active whose process is
/// gone (nobody holds the lock) is **interrupted**; one whose lock another process holds is
/// **running elsewhere**.
public enum RunStatus: Sendable, Equatable {
    /// Every planned record has an outcome.
    case finished
    /// Paused on purpose until `resume`: quota, the server unreachable, refused credentials, a canary.
    case paused(reason: String?)
    /// Stopped by the operator (Ctrl-C, `C` in the TUI); resumable.
    case stopped
    /// Active in the journal, but no process runs it (killed, crashed, the machine went down).
    case interrupted
    /// A run of this process is executing it.
    case running
    /// Another process holds the journal (this run, or another of the same journal): the lock file's holder line.
    case runningElsewhere(holder: String?)

    /// The one word `runs`, `status` and the TUI show.
    public var word: String {
        switch self {
        case .finished: return "finished"
        case .paused: return "paused"
        case .stopped: return "stopped"
        case .interrupted: return "interrupted"
        case .running: return "running"
        case .runningElsewhere: return "running elsewhere"
        }
    }

    /// The word with its reason or holder.
    public var description: String {
        switch self {
        case .paused(let reason?): return "paused: \(reason)"
        case .runningElsewhere(let holder?): return "running elsewhere (\(holder))"
        default: return word
        }
    }

    /// Whether `resume` can continue it now.
    public var isResumable: Bool {
        switch self {
        case .paused, .stopped, .interrupted: return true
        case .finished, .running, .runningElsewhere: return false
        }
    }

    /// The reason the engine records when the operator stops a run (`RunStop.interrupted`).
    public static let stoppedReason = RunStop.interrupted.description

    /// The status of `run` in `journal` now. A paused or finished run held by another process is
    /// told as its journal state (the other process may be running another run of the journal);
    /// an active one is that process's run.
    public static func of(_ run: RunRecord, journalPath: String, holder: JournalLock.Holder? = nil) -> RunStatus {
        switch run.state {
        case .finished: return .finished
        case .paused: return run.pausedReason == stoppedReason ? .stopped : .paused(reason: run.pausedReason)
        case .active:
            switch holder ?? JournalLock.holder(journal: journalPath) {
            case .free: return .interrupted
            case .thisProcess: return .running
            case .otherProcess(let line): return .runningElsewhere(holder: line)
            }
        }
    }
}
