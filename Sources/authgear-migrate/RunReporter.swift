import Foundation
import MigrationCore
import MigrationEngine

/// Shows engine events: a live bar on a terminal, a plain line every 5 s otherwise, or NDJSON
/// events on stdout with --json.
///
/// The output must not go quiet while the server keeps a job pending (a run can get no event
/// for minutes), so a ticking task (`startTicking`, stopped by `stopTicking` when the run ends)
/// calls `tick()`: the plain line comes every 5 s whatever happens, the bar is redrawn every
/// second, and a job pending longer than `longPending` is named with its age, measured from
/// when it was sent (the journal's `sent_at`, so after a resume it is the job's real age).
final class RunReporter: @unchecked Sendable {
    // @unchecked Sendable: all mutable state is behind `lock`.
    /// Seconds between plain lines (and `job_pending` JSON events).
    static let plainInterval = 5.0
    /// Seconds between redraws of the bar when no event comes.
    static let barInterval = 1.0
    /// A job pending longer than this is named.
    static let longPending = 10.0
    /// Long-pending jobs named per plain line at most (the oldest).
    static let namedJobs = 3

    private let lock = NSLock()
    private let json: Bool
    private let tty: Bool
    private let clock: @Sendable () -> Date
    private let writeError: @Sendable (String) -> Void
    private let writeOutput: @Sendable (String) -> Void
    /// When the last plain line (or bar, or round of `job_pending` events) was written.
    private var lastLine: Date
    private var snapshot: ProgressSnapshot?
    private var inFlight = InFlightBatches()
    private var ended = false
    private var ticker: Task<Void, Never>?

    init(json: Bool, tty: Bool = isatty(STDERR_FILENO) == 1, clock: @escaping @Sendable () -> Date = { Date() },
         stderr: @escaping @Sendable (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) },
         stdout: @escaping @Sendable (String) -> Void = { FileHandle.standardOutput.write(Data($0.utf8)) }) {
        self.json = json
        self.tty = tty
        self.clock = clock
        self.writeError = stderr
        self.writeOutput = stdout
        self.lastLine = clock()
    }

    deinit { ticker?.cancel() }

    // MARK: - The timer

    /// Starts the task that calls `tick()` whenever something is due, until `stopTicking()`.
    func startTicking() {
        lock.lock(); defer { lock.unlock() }
        guard ticker == nil else { return }
        ticker = Task.detached { [weak self] in
            while !Task.isCancelled {
                guard let delay = self?.tick() else { return }
                try? await Task.sleep(nanoseconds: UInt64(max(0.05, delay) * 1e9))
            }
        }
    }

    /// Stops the ticking task (the run ended); nothing is written by ticks afterwards.
    func stopTicking() {
        lock.lock(); defer { lock.unlock() }
        ended = true
        ticker?.cancel()
        ticker = nil
    }

    var isTicking: Bool { lock.withLock { ticker != nil } }

    /// Writes what is due at `clock()`: the plain line every 5 s, the bar every second, the
    /// `job_pending` events every 5 s. Answers the seconds until something is due again.
    @discardableResult
    func tick() -> Double {
        lock.lock(); defer { lock.unlock() }
        guard !ended else { return Self.plainInterval }
        let now = clock()
        if tty && !json {
            let due = Self.barInterval - now.timeIntervalSince(lastLine)
            guard due <= 0 else { return due }
            drawBar(now)
            return Self.barInterval
        }
        let due = Self.plainInterval - now.timeIntervalSince(lastLine)
        guard due <= 0 else { return due }
        if json { emitPendingJobs(now) } else { plainLines(now) }
        return Self.plainInterval
    }

    // MARK: - Events

    func handle(_ event: EngineEvent) {
        lock.lock(); defer { lock.unlock() }
        let now = clock()
        inFlight.apply(event, now: now)
        switch event {
        case .paused, .finished: ended = true
        default: break
        }
        if json { emitJSON(event); return }
        switch event {
        case .progress(let p):
            snapshot = p
            if tty {
                guard now.timeIntervalSince(lastLine) > 0.1 || p.done == p.toSend else { return }
                drawBar(now)
            } else if now.timeIntervalSince(lastLine) >= Self.plainInterval || p.done == p.toSend {
                plainLines(now)
            }
        case .retrying(let batch, let after, let reason):
            clearBar()
            err("batch \(batch): \(reason); retrying in \(String(format: "%.1f", after)) s\n")
        case .recoveryPlanned(let batch, let records, let reason):
            clearBar()
            err("batch \(batch): \(reason); \(records.groupedDigits) record\(records == 1 ? "" : "s") will be sent again to confirm their users\n")
        case .paused(let reason):
            clearBar()
            err("paused: \(reason)\n")
        case .finished:
            clearBar()
        default:
            break
        }
    }

    // MARK: - Lines

    /// The plain progress line. `waiting`: the oldest job the server has not completed, named
    /// while no record has completed yet (a slow first job is not a silent 0).
    static func progressLine(_ snapshot: ProgressSnapshot?, inFlight: Int, waiting: InFlightBatches.Job? = nil, now: Date = Date()) -> String {
        let wait = waiting.map { "; " + waitingText($0, now: now) } ?? ""
        guard let p = snapshot else {
            return "progress: no record completed yet, \(inFlight) batch\(inFlight == 1 ? "" : "es") in flight" + wait
        }
        return "progress: \(p.done.groupedDigits)/\(p.toSend.groupedDigits) records, inserted \(p.counts.inserted.groupedDigits), updated \(p.counts.updated.groupedDigits), skipped \(p.counts.skipped.groupedDigits), failed \(p.counts.failed.groupedDigits), \(Int(p.recordsPerSecond).groupedDigits) records/s" + wait
    }

    /// `waiting for job userimport_… (25 s)`, `(2m10s)` from a minute on.
    static func waitingText(_ job: InFlightBatches.Job, now: Date) -> String {
        let seconds = max(0, now.timeIntervalSince(job.since))
        return "waiting for job \(job.jobID) (" + (seconds < 60 ? "\(Int(seconds.rounded(.down))) s" : duration(seconds)) + ")"
    }

    /// The job to name while nothing has completed yet (no snapshot, or one with nothing done).
    private func firstJobWaited(_ now: Date) -> InFlightBatches.Job? {
        guard (snapshot?.done ?? 0) == 0 else { return nil }
        return inFlight.pending(longerThan: -1, at: now).first
    }

    /// `job userimport_… (batch 7) pending for 2m10s, server still processing`.
    static func pendingLine(_ job: InFlightBatches.Job, now: Date) -> String {
        "job \(job.jobID) (batch \(job.batch)) pending for \(duration(now.timeIntervalSince(job.since))), server still processing"
    }

    /// `15s`, `2m10s`, `1h02m`.
    static func duration(_ seconds: Double) -> String {
        let s = max(0, Int(seconds.rounded(.down)))
        if s < 60 { return "\(s)s" }
        if s < 3600 { return "\(s / 60)m\(String(format: "%02d", s % 60))s" }
        return "\(s / 3600)h\(String(format: "%02d", (s % 3600) / 60))m"
    }

    private func plainLines(_ now: Date) {
        lastLine = now
        let waiting = firstJobWaited(now)
        var text = Self.progressLine(snapshot, inFlight: inFlight.count, waiting: waiting, now: now) + "\n"
        let long = inFlight.pending(longerThan: Self.longPending, at: now).filter { $0 != waiting }
        for job in long.prefix(Self.namedJobs) { text += Self.pendingLine(job, now: now) + "\n" }
        if long.count > Self.namedJobs { text += "… and \(long.count - Self.namedJobs) more job\(long.count - Self.namedJobs == 1 ? "" : "s") pending for over \(Int(Self.longPending)) s\n" }
        err(text)
    }

    private func drawBar(_ now: Date) {
        lastLine = now
        var line: String
        if let p = snapshot {
            let fraction = p.toSend == 0 ? 1 : Double(p.done) / Double(p.toSend)
            let width = 24
            let filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            line = "\(bar) \(p.done.groupedDigits)/\(p.toSend.groupedDigits)  ins \(p.counts.inserted.groupedDigits) upd \(p.counts.updated.groupedDigits) skip \(p.counts.skipped.groupedDigits) fail \(p.counts.failed.groupedDigits)  \(Int(p.recordsPerSecond).groupedDigits) rec/s" + (p.eta.map { "  ETA \(Int($0))s" } ?? "")
        } else {
            line = "sending: \(inFlight.count) batch\(inFlight.count == 1 ? "" : "es") in flight"
        }
        if let first = firstJobWaited(now) {
            line += "  " + Self.waitingText(first, now: now)
        } else if let oldest = inFlight.pending(longerThan: Self.longPending, at: now).first {
            line += "  job \(oldest.jobID) (batch \(oldest.batch)) pending \(Self.duration(now.timeIntervalSince(oldest.since)))"
        }
        err("\r\u{1B}[2K" + line)
    }

    private func clearBar() { if tty { err("\r\u{1B}[2K") } }

    private func err(_ s: String) { writeError(s) }

    // MARK: - JSON

    /// `{"event":"job_pending","batch":7,"job_id":"…","sent_at":"…","pending_seconds":130}` per long-pending job.
    private func emitPendingJobs(_ now: Date) {
        lastLine = now
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        for job in inFlight.pending(longerThan: Self.longPending, at: now) {
            writeJSON([.init("event", .string("job_pending")), .init("batch", .number(String(job.batch))), .init("job_id", .string(job.jobID)),
                       .init("sent_at", .string(iso.string(from: job.since))),
                       .init("pending_seconds", .number(String(Int(now.timeIntervalSince(job.since).rounded(.down)))))])
        }
    }

    private func writeJSON(_ members: [JSONMember]) {
        writeOutput(JSONValue.object(members).jsonText + "\n")
    }

    private func emitJSON(_ event: EngineEvent) {
        var m: [JSONMember] = []
        func counts(_ c: OutcomeCounts) -> JSONValue {
            .obj(["inserted": .number(String(c.inserted)), "updated": .number(String(c.updated)),
                  "skipped": .number(String(c.skipped)), "failed": .number(String(c.failed))])
        }
        switch event {
        case .batchSending(let b, let n, let a): m = [.init("event", .string("batch_sending")), .init("batch", .number(String(b))), .init("records", .number(String(n))), .init("attempt", .number(String(a)))]
        case .batchSent(let b, let id): m = [.init("event", .string("batch_sent")), .init("batch", .number(String(b))), .init("job_id", .string(id))]
        case .jobPending: return
        case .batchCompleted(let b, let c, let failures):
            m = [.init("event", .string("batch_completed")), .init("batch", .number(String(b))), .init("counts", counts(c)),
                 .init("failures", .array(failures.map { .obj(["record": .number(String($0.record)), "reason": .string($0.errorReason ?? ""), "message": .string($0.errorMessage ?? "")]) }))]
        case .recoveryPlanned(let b, let n, let r): m = [.init("event", .string("recovery_planned")), .init("batch", .number(String(b))), .init("records", .number(String(n))), .init("reason", .string(r))]
        case .retrying(let b, let after, let r): m = [.init("event", .string("retrying")), .init("batch", .number(String(b))), .init("after_seconds", .number(String(format: "%.3f", after))), .init("reason", .string(r))]
        case .paused(let r): m = [.init("event", .string("paused")), .init("reason", .string(r))]
        case .progress(let p):
            m = [.init("event", .string("progress")), .init("done", .number(String(p.done))), .init("to_send", .number(String(p.toSend))),
                 .init("counts", counts(p.counts)), .init("records_per_second", .number(String(format: "%.1f", p.recordsPerSecond)))]
        case .finished(let c): m = [.init("event", .string("finished")), .init("counts", counts(c))]
        }
        writeJSON(m)
    }
}

/// The batches a run has in flight, from the engine's events: those being sent, and the jobs
/// the server has not completed yet with when each was sent.
struct InFlightBatches {
    struct Job: Equatable {
        var batch: Int64
        var jobID: String
        /// When the job was sent (for a resumed run, from the journal).
        var since: Date
    }

    private(set) var sending: Set<Int64> = []
    private(set) var jobs: [Int64: Job] = [:]

    var count: Int { sending.count + jobs.count }

    mutating func apply(_ event: EngineEvent, now: Date) {
        switch event {
        case .batchSending(let b, _, _):
            jobs[b] = nil
            sending.insert(b)
        case .batchSent(let b, let id):
            sending.remove(b)
            jobs[b] = Job(batch: b, jobID: id, since: now)
        case .jobPending(let b, let id, _, let since):
            sending.remove(b)
            jobs[b] = Job(batch: b, jobID: id, since: since)
        case .batchCompleted(let b, _, _), .recoveryPlanned(let b, _, _):
            sending.remove(b)
            jobs[b] = nil
        case .paused, .finished:
            sending = []
            jobs = [:]
        case .retrying, .progress:
            break
        }
    }

    /// Jobs pending for more than `seconds` at `now`, oldest first.
    func pending(longerThan seconds: Double, at now: Date) -> [Job] {
        jobs.values.filter { now.timeIntervalSince($0.since) > seconds }.sorted { ($0.since, $0.batch) < ($1.since, $1.batch) }
    }
}
