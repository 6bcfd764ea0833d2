import AuthgearAPI
import Foundation
import MigrationCore

/// Executes a run's batches: sends each with bounded concurrency, polls each job, and records
/// every outcome in the journal as soon as it is known. Safe to stop at any instant: a new
/// runner on the same journal continues exactly where this one stopped.
public actor MigrationRunner {
    public struct Options: Sendable {
        public var concurrency = 2
        /// Attempts for one request before the run pauses as "unavailable".
        public var maxAttempts = 8
        public var backoffBase = 0.5
        public var backoffCap = 30.0
        /// Recovery batches a record may go out in before it fails with reason NoResult.
        public var maxRecoveries = 3
        public var firstPoll = 0.25
        public var maxPoll = 5.0
        /// Send only the run's canary batches (and recoveries of them), then pause the run with
        /// reason "canary" and throw `RunStop.canary` — unless nothing else is left to send.
        public var stopAfterCanary = false
        public init() {}
    }

    private let journal: Journal
    private let runID: String
    private let bodies: RequestBodies
    private let service: any ImportService
    private let options: Options
    private let emit: @Sendable (EngineEvent) -> Void

    private var stop: RunStop?
    private var counts = OutcomeCounts()
    private var toSend = 0
    private var done = 0
    private var inFlight = 0
    private let started = Date()
    private var lastProgress = Date.distantPast

    public init(journal: Journal, runID: String, bodies: RequestBodies, service: any ImportService,
                options: Options = Options(), emit: @escaping @Sendable (EngineEvent) -> Void = { _ in }) {
        self.journal = journal
        self.runID = runID
        self.bodies = bodies
        self.service = service
        self.options = options
        self.emit = emit
    }

    /// Runs until every batch is completed and every planned record has an outcome, or throws why
    /// it stopped (the run is then paused). Holds the journal's lock throughout: a second process
    /// on the same journal is refused instead of sending every batch again.
    public func run() async throws(RunStop) -> OutcomeCounts {
        let lock: JournalLock
        do { lock = try JournalLock.acquire(journal: journal.path, command: "run \(runID.prefix(8))") } catch { throw .journal(error) }
        defer { lock.release() }
        do {
            try journal.setRunState(runID, .active)
            try planUnaccounted()
        } catch { throw Self.journalStop(error) }
        while true {
            var open: [BatchRecord]
            do { open = try journal.batches(run: runID).filter { $0.state != .completed } } catch { throw Self.journalStop(error) }
            if options.stopAfterCanary, open.contains(where: { $0.purpose == .initial }) {
                open.removeAll { $0.purpose == .initial }
                if open.isEmpty { throw canaryStop() }
            }
            if open.isEmpty { break }
            toSend = open.reduce(0) { $0 + $1.records.count }
            done = 0
            await withTaskGroup(of: Void.self) { group in
                var queue = open[...]
                for _ in 0..<min(options.concurrency, queue.count) {
                    let batch = queue.removeFirst()
                    group.addTask { await self.process(batch) }
                }
                for await _ in group {
                    if stop != nil || Task.isCancelled { continue }
                    if let next = queue.popFirst() { group.addTask { await self.process(next) } }
                }
            }
            if Task.isCancelled, stop == nil { stop = .interrupted }
            if let stop {
                try? journal.setRunState(runID, .paused, reason: stop.description)
                emit(.paused(reason: stop.description))
                throw stop
            }
        }
        // The end-of-run invariant: nothing is called finished while a planned record has no outcome
        // or while what was written may not be in the journal file any more.
        let totals: OutcomeCounts
        do {
            try journal.checkUnchanged()
            let missing = try journal.recordsWithoutOutcome(run: runID)
            if !missing.isEmpty {
                let stop = RunStop.unaccounted(missing)
                try journal.setRunState(runID, .paused, reason: stop.description)
                emit(.paused(reason: stop.description))
                throw stop
            }
            try journal.setRunState(runID, .finished)
            totals = try journal.outcomeCounts(run: runID)
        } catch let stop as RunStop {
            throw stop
        } catch {
            throw Self.journalStop(error)
        }
        emit(.finished(totals))
        return totals
    }

    /// The canary is done: the run pauses (reason "canary") with the canary records' totals.
    private func canaryStop() -> RunStop {
        do {
            let canary = Set(try journal.batches(run: runID).filter { $0.purpose == .canary }.flatMap(\.records))
            var c = OutcomeCounts()
            for (n, r) in try journal.latestResults(run: runID) where canary.contains(n) { c.add(r.outcome) }
            try journal.setRunState(runID, .paused, reason: "canary")
            let stop = RunStop.canary(c)
            emit(.paused(reason: stop.description))
            return stop
        } catch {
            return Self.journalStop(error)
        }
    }

    /// Records of completed batches without any result (see the invariant above) go out again,
    /// shaped as the batch they were in, marked with that batch's last attempt (it may have created them).
    private func planUnaccounted() throws {
        let batches = try journal.batches(run: runID)
        var missing = Set(try journal.recordsWithoutOutcome(run: runID))
        for b in batches where b.state != .completed { missing.subtract(b.records) }
        guard !missing.isEmpty else { return }
        var byShape: [Bool: (records: [Int], since: Date?)] = [:]
        for b in batches where b.state == .completed {
            let records = b.records.filter(missing.contains)
            guard !records.isEmpty else { continue }
            var entry = byShape[b.upsert] ?? ([], nil)
            entry.records += records
            if let at = b.lastAttemptAt { entry.since = max(entry.since ?? at, at) }
            byShape[b.upsert] = entry
        }
        for (upsert, entry) in byShape {
            let planned = try bodies.plan(records: Array(Set(entry.records)).sorted(), upsert: upsert, maxRecords: 1000)
            try journal.addBatches(run: runID, purpose: .recovery, planned, interruptedAt: entry.since)
            emit(.recoveryPlanned(batch: 0, records: entry.records.count, reason: "records without an outcome from an earlier run of this process"))
        }
    }

    /// How many recovery batches of this run already carried each of `records`.
    private func recoveryCounts(of records: [Int]) -> [Int: Int] {
        let wanted = Set(records)
        var counts: [Int: Int] = [:]
        for b in (try? journal.batches(run: runID)) ?? [] where b.purpose == .recovery {
            for r in b.records where wanted.contains(r) { counts[r, default: 0] += 1 }
        }
        return counts
    }

    private static func journalStop(_ error: any Error) -> RunStop {
        if let error = error as? RunStop { return error }
        if let error = error as? JournalError { return .journal(error) }
        if let error = error as? RunCoordinator.Failure { return .sourceChanged(error.description) }
        return .journal(JournalError(path: "?", kind: .failed, detail: "\(error)", hint: "report this error"))
    }

    // MARK: - One batch

    private func process(_ initial: BatchRecord) async {
        var batch = initial
        inFlight += 1
        defer { inFlight -= 1 }
        if batch.state == .planned || batch.state == .sending {
            if batch.state == .sending {
                // A previous process committed `sending` and never learned the answer.
                let at = batch.lastAttemptAt ?? Date()
                journaled { try journal.markInterrupted(batch.id, at: at, error: "the previous run stopped while this request was being sent") }
                batch.interruptedAt = batch.interruptedAt ?? at
            }
            guard let job = await send(&batch) else { return }
            batch.jobID = job.id
            if job.status == .completed { await finish(batch, job); return }
        }
        guard let jobID = batch.jobID else { return }
        if let job = await poll(batch, jobID: jobID) { await finish(batch, job) }
    }

    /// POSTs the batch until the server answers with a job, or the run must stop.
    private func send(_ batch: inout BatchRecord) async -> ImportJob? {
        let body: [UInt8], sha: String
        do { (body, sha) = try bodies.request(for: batch) } catch {
            fail(.sourceChanged(error.description))
            return nil
        }
        var attempt = 0
        while stop == nil && !Task.isCancelled {
            attempt += 1
            emit(.batchSending(batch: batch.id, records: batch.records.count, attempt: attempt))
            let startedAt = Date()
            do { try journal.markSending(batch.id, bodySHA256: sha) } catch { fail(Self.journalStop(error)); return nil }
            batch.bodySHA256 = sha
            do {
                let job = try await service.create(body: body)
                do { try journal.markSent(batch.id, jobID: job.id) } catch { fail(Self.journalStop(error)); return nil }
                batch.lastAttemptAt = startedAt
                batch.sentAt = Date()
                emit(.batchSent(batch: batch.id, jobID: job.id))
                return job
            } catch {
                switch error {
                case .outcomeUnknown(let m):
                    // The server may have created users: record it; the same batch goes out again
                    // (the server never creates a second user for an identifier it has).
                    journaled { try journal.markInterrupted(batch.id, at: startedAt, error: m) }
                    batch.interruptedAt = batch.interruptedAt ?? startedAt
                    if Task.isCancelled { return nil }
                case .notSent(let m), .transient(let m):
                    journaled { try journal.markPlanned(batch.id, error: m) }
                case .rateLimited(let after, let m):
                    journaled { try journal.markPlanned(batch.id, error: m) }
                    if await pause(after ?? backoff(attempt), batch: batch.id, reason: m) { continue }
                    return nil
                case .quota(let period, let resetsAt):
                    journaled { try journal.markPlanned(batch.id, error: error.description) }
                    fail(.quota(period: period, resetsAt: resetsAt))
                    return nil
                case .forbidden(let m):
                    journaled { try journal.markPlanned(batch.id, error: m) }
                    fail(.forbidden(m))
                    return nil
                case .rejected(let m), .notFound(let m):
                    // The request itself is refused: every record of it fails with the server's reason.
                    let results = batch.records.map { RecordResult(record: $0, batchID: batch.id, outcome: .failed, userID: nil, warnings: [],
                                                                   errorReason: "RequestRejected", errorMessage: m, errorJSON: nil, possiblyCreatedAt: nil) }
                    journaled { try journal.complete(batch.id, results: results, runID: runID) }
                    record(results, batch: batch.id)
                    return nil
                case .cancelled:
                    // Cancelled mid-request: it may have reached the server; `sending` stays so
                    // that resume treats it as an unknown outcome.
                    journaled { try journal.markInterrupted(batch.id, at: startedAt, error: "cancelled while sending") }
                    return nil
                }
                if attempt >= options.maxAttempts {
                    // Told by its run-local number, as every reporter tells batches.
                    let number = BatchNumbering(journal: journal, runID: runID).number(batch.id)
                    fail(.unavailable("batch \(number): \(error.description) (\(attempt) attempts)"))
                    return nil
                }
                if await !pause(backoff(attempt), batch: batch.id, reason: error.description) { return nil }
            }
        }
        return nil
    }

    /// GETs the job until it is completed. Nil when the run stops or the job's results are lost.
    private func poll(_ batch: BatchRecord, jobID: String) async -> ImportJob? {
        var interval = options.firstPoll
        var polls = 0
        var failures = 0
        let sentAt = batch.sentAt ?? Date()
        while stop == nil && !Task.isCancelled {
            try? await Task.sleep(nanoseconds: UInt64(jittered(interval) * 1e9))
            if Task.isCancelled { return nil }
            polls += 1
            do {
                let job = try await service.get(id: jobID)
                failures = 0
                if job.status == .completed { return job }
                emit(.jobPending(batch: batch.id, jobID: jobID, polls: polls, since: sentAt))
                interval = min(options.maxPoll, interval * 1.6)
            } catch {
                switch error {
                case .notFound:
                    // Expired (24 h) or lost: the same batch goes out again as a recovery batch, which settles each record.
                    let recovery: [PlannedBatch]
                    do { recovery = try bodies.plan(records: batch.records, upsert: batch.upsert, maxRecords: batch.records.count) } catch {
                        fail(.sourceChanged(error.description))
                        return nil
                    }
                    journaled { try journal.complete(batch.id, results: [], recovery: recovery, lostSince: batch.interruptedAt ?? batch.lastAttemptAt,
                                          runID: runID) }
                    emit(.recoveryPlanned(batch: batch.id, records: batch.records.count, reason: "job \(jobID) is gone (older than 24 h or lost)"))
                    return nil
                case .forbidden(let m): fail(.forbidden(m)); return nil
                case .quota(let period, let at): fail(.quota(period: period, resetsAt: at)); return nil
                case .cancelled: return nil
                default:
                    failures += 1
                    if failures >= options.maxAttempts * 2 { fail(.unavailable("job \(jobID): \(error.description)")); return nil }
                    if await !pause(backoff(failures), batch: batch.id, reason: error.description) { return nil }
                }
            }
        }
        return nil
    }

    /// Stores a completed job's results; lost records go to a recovery batch.
    private func finish(_ batch: BatchRecord, _ job: ImportJob) async {
        var results: [RecordResult] = []
        var lost: [Int] = []
        var seen = Set<Int>()
        for d in job.details {
            guard d.index >= 0, d.index < batch.records.count, seen.insert(d.index).inserted else { continue }
            let record = batch.records[d.index]
            if batch.interruptedAt != nil, batch.purpose != .recovery, d.isRaceFailure {
                // Two jobs of the same batch may have raced for this user: ask again.
                lost.append(record)
            }
            results.append(RecordResult(record: record, batchID: batch.id, outcome: d.outcome, userID: d.userID, warnings: d.warnings,
                                        errorReason: d.error?.reason, errorMessage: d.error?.message,
                                        errorJSON: d.error.map(ClientImportService.errorJSON),
                                        possiblyCreatedAt: d.outcome == .skipped ? batch.interruptedAt : nil))
        }
        for (k, record) in batch.records.enumerated() where !seen.contains(k) { lost.append(record) }
        // A record the server keeps answering without a result (its task crashes every time) is
        // not sent forever: after `maxRecoveries` recovery batches it fails with reason NoResult,
        // an outcome that `retry --failed` can take up later.
        if batch.purpose == .recovery, !lost.isEmpty {
            let tries = recoveryCounts(of: lost)
            let given = lost.filter { tries[$0, default: 0] >= options.maxRecoveries }
            if !given.isEmpty {
                let message = "the server completed \(options.maxRecoveries) recovery jobs without a result for this record (job \(job.id)"
                    + (job.error.map { ": \($0.description)" } ?? "") + "); retry it with `authgear-migrate retry --failed`"
                results += given.map { RecordResult(record: $0, batchID: batch.id, outcome: .failed, userID: nil, warnings: [], errorReason: "NoResult",
                                                    errorMessage: message, errorJSON: nil, possiblyCreatedAt: nil) }
                lost.removeAll { tries[$0, default: 0] >= options.maxRecoveries }
            }
        }
        // A recovery planned from a cut-short source would never match the restored file: record
        // nothing; the batch's job is asked again on resume.
        var recovery: [PlannedBatch] = []
        if !lost.isEmpty {
            do { recovery = try bodies.plan(records: lost.sorted(), upsert: batch.upsert, maxRecords: lost.count) } catch {
                fail(.sourceChanged(error.description))
                return
            }
        }
        do {
            try journal.complete(batch.id, results: results, recovery: recovery, lostSince: batch.interruptedAt ?? batch.lastAttemptAt, runID: runID)
        } catch {
            fail(Self.journalStop(error))
            return
        }
        if let jobError = job.error?.description { journaled { try journal.log(run: runID, kind: "job_error", detail: "\(job.id): \(jobError)") } }
        if !lost.isEmpty {
            emit(.recoveryPlanned(batch: batch.id, records: lost.count,
                                  reason: job.error.map { "a task of job \(job.id) crashed: \($0.description)" } ?? "results to confirm after a re-sent request"))
        }
        record(results, batch: batch.id)
    }

    // MARK: - Helpers

    private func record(_ results: [RecordResult], batch: Int64) {
        var c = OutcomeCounts()
        for r in results { c.add(r.outcome); counts.add(r.outcome) }
        done += results.count
        emit(.batchCompleted(batch: batch, counts: c, failures: results.filter { !$0.outcome.isSuccess }))
        let now = Date()
        if now.timeIntervalSince(lastProgress) > 0.2 || done == toSend {
            lastProgress = now
            let rate = Double(counts.total) / max(0.001, now.timeIntervalSince(started))
            emit(.progress(ProgressSnapshot(counts: counts, toSend: toSend, done: done, inFlightBatches: inFlight,
                                            recordsPerSecond: rate, eta: rate > 0 ? Double(max(0, toSend - done)) / rate : nil)))
        }
    }

    /// A journal write whose failure stops the run (it is reported, never swallowed).
    private func journaled(_ body: () throws -> Void) {
        do { try body() } catch { fail(Self.journalStop(error)) }
    }

    private func fail(_ reason: RunStop) {
        if stop == nil { stop = reason }
    }

    private func backoff(_ attempt: Int) -> Double {
        Double.random(in: 0...min(options.backoffCap, options.backoffBase * pow(2, Double(attempt - 1))))
    }

    private func jittered(_ interval: Double) -> Double { interval * Double.random(in: 0.8...1.2) }

    /// Sleeps before a retry (reported as an event); false when the run stopped meanwhile.
    private func pause(_ seconds: Double, batch: Int64, reason: String) async -> Bool {
        emit(.retrying(batch: batch, after: seconds, reason: reason))
        try? await Task.sleep(nanoseconds: UInt64(seconds * 1e9))
        return stop == nil && !Task.isCancelled
    }
}
