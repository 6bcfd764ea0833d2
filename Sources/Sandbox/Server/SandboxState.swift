import Foundation
import MigrationCore

/// Everything the sandbox holds in memory: project, users, jobs, usage, faults, clock, worker control.
actor SandboxState {
    /// A task handed to the worker.
    struct Work: Sendable {
        var jobID: String
        var taskIndex: Int
        var records: [JSONValue]
        var identifier: String
        var upsert: Bool
        var fault: TaskFault
        var generation: Int
    }

    let sandboxKey: AdminKey
    private(set) var project: SandboxProject
    var users = UserStore()
    private var jobs: [String: ImportJob] = [:]
    /// The soonest job expiry, so most reads skip the purge.
    private var earliestExpiry: SandboxInstant?
    private var queue: [(jobID: String, taskIndex: Int)] = []
    private var queueHead = 0
    private var usage: [String: Int] = [:]
    private(set) var faults = FaultPlan.none
    var random = FaultRandom(seed: 0)
    private var clockOffsetNanoseconds: Int64 = 0
    /// Bumped by reset so in-flight work of the old world is discarded.
    private(set) var generation = 0

    // User exports (SandboxState+Export.swift).
    /// Where export files are written (the sandbox's object store).
    let exportDirectory: String
    /// Signs download URLs (random per process).
    let objectSecret: [UInt8]
    var exports: [String: ExportTask] = [:]
    var exportQueue: [String] = []
    var exportWaiter: CheckedContinuation<Void, Never>?

    // Worker control.
    private(set) var paused = false
    private(set) var stopped = false
    private var workerWaiter: CheckedContinuation<Void, Never>?
    private var stepRemaining = 0
    private var stepProcessed = 0
    private var stepInFlight = false
    private var stepWaiter: CheckedContinuation<Int, Never>?

    init(sandboxKey: AdminKey, faults: FaultPlan, exportDirectory: String) {
        self.sandboxKey = sandboxKey
        self.exportDirectory = exportDirectory
        var generator = SystemRandomNumberGenerator()
        self.objectSecret = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
        self.project = Self.defaultProject(key: sandboxKey)
        self.faults = faults
        self.random = FaultRandom(seed: faults.seed)
    }

    static func defaultProject(key: AdminKey) -> SandboxProject {
        var project = SandboxProject.default
        project.adminKeys = [key]
        return project
    }

    // MARK: - Clock

    var now: SandboxInstant { SandboxInstant(nanoseconds: SandboxInstant.wallClock().nanoseconds + clockOffsetNanoseconds) }
    var clockOffsetSeconds: Double { Double(clockOffsetNanoseconds) / 1e9 }

    func advanceClock(seconds: Double) { clockOffsetNanoseconds += Int64((seconds * 1e9).rounded()) }

    // MARK: - Control

    /// `POST /_sandbox/reset`: a new world. The stores are replaced (not emptied keeping their
    /// capacity) and the freed memory is handed back to the system.
    func reset() {
        generation += 1
        project = Self.defaultProject(key: sandboxKey)
        users = UserStore()
        jobs = [:]
        defer { SandboxMemory.releaseFreed() }
        earliestExpiry = nil
        queue = []
        queueHead = 0
        usage = [:]
        faults = .none
        random = FaultRandom(seed: 0)
        clockOffsetNanoseconds = 0
        paused = false
        resetExports()
        finishStep()
        wakeWorker()
    }

    func setProject(_ newProject: SandboxProject) { project = newProject }

    func setFaults(_ plan: FaultPlan) {
        faults = plan
        random = FaultRandom(seed: plan.seed)
    }

    func seedUsers(_ body: JSONValue) throws(ControlError) -> [String: String] {
        try users.seed(body, project: project, now: now.date)
    }

    /// `GET /_sandbox/users`: one page (or the users with a login ID), written straight to bytes.
    func usersPage(_ query: UsersQuery, writer: JSONWriter) throws(ControlError) -> [UInt8] {
        let at = now.date
        var out: [UInt8] = []
        if let loginID = query.loginID {
            let found = users.users(loginID: loginID)
            UserStore.writePage(found, next: nil, total: found.count, now: at, writer: writer, to: &out)
            return out
        }
        guard let page = users.page(after: query.after, limit: query.limit) else {
            throw ControlError(message: "after: no user has the id \(query.after ?? "") (give the previous page's next; "
                                   + "a reset drops every user, so a cursor from before a reset is stale)", path: "")
        }
        out.reserveCapacity(page.users.count * 512)
        UserStore.writePage(page.users, next: page.next, total: users.count, now: at, writer: writer, to: &out)
        return out
    }

    /// Users in the store and the capacity of its containers (tests of reset).
    var userStorage: (users: Int, capacity: Int) { users.storage }

    func jobsJSON() -> JSONValue {
        purgeExpired()
        return .obj(["jobs": .array(jobs.values.sorted { $0.createdAt < $1.createdAt }.map(\.controlJSON))])
    }

    func jobJSON(id: String) -> JSONValue? {
        purgeExpired()
        return jobs[id]?.controlJSON
    }

    // MARK: - Import API

    /// Quota reservation (spec §11): all-or-nothing; only `block` limits reject. Returns the failing period.
    func reserveUsage(_ count: Int, export: Bool = false) -> String? {
        let instant = now
        let prefix = export ? "user_export:" : ""
        let keys: [UsageLimit.Period: String] = [.day: prefix + "day:" + instant.dayKey, .month: prefix + "month:" + instant.monthKey]
        for limit in export ? project.exportUsageLimits : project.usageLimits where limit.action == .block {
            let key = keys[limit.period]!
            if usage[key, default: 0] + count > limit.quota { return limit.period.rawValue }
        }
        for key in keys.values { usage[key, default: 0] += count }
        return nil
    }

    /// Creates a job for `request`, enqueues its tasks and answers the aggregation.
    func createJob(_ request: ImportRequest) -> JSONValue {
        purgeExpired()
        var tasks: [ImportTask] = []
        var start = 0
        while start < request.records.count {
            let end = min(start + ImportJob.recordsPerTask, request.records.count)
            let index = tasks.count
            tasks.append(ImportTask(index: index, recordCount: end - start, records: Array(request.records[start..<end]),
                                    fault: drawTaskFault(index: index)))
            start = end
        }
        let job = ImportJob(id: ImportJob.newID(), createdAt: now, identifier: request.identifier,
                            upsert: request.upsert, tasks: tasks)
        jobs[job.id] = job
        if earliestExpiry.map({ job.expiresAt < $0 }) ?? true { earliestExpiry = job.expiresAt }
        for task in tasks { queue.append((job.id, task.index)) }
        wakeWorker()
        return job.resultJSON
    }

    /// The GET aggregation, or nil when unknown or expired.
    func jobResult(id: String) -> JSONValue? {
        purgeExpired()
        return jobs[id]?.resultJSON
    }

    private func purgeExpired() {
        let instant = now
        guard let earliest = earliestExpiry, earliest <= instant else { return }
        jobs = jobs.filter { $0.value.expiresAt > instant }
        earliestExpiry = jobs.values.map(\.expiresAt).min()
    }

    // MARK: - Faults

    /// Draws once per rule, in rule order; first matching status/rate_limit/drop wins, latencies add.
    func drawHTTPFaults(method: String) -> (latencyMilliseconds: Int, action: FaultPlan.HTTPRule.Kind?) {
        var latency = 0
        var action: FaultPlan.HTTPRule.Kind?
        for rule in faults.http {
            let hit = random.nextUnit() < rule.share && rule.methods.contains(method)
            guard hit else { continue }
            if case .latency(let ms) = rule.kind { latency += ms } else if action == nil { action = rule.kind }
        }
        return (latency, action)
    }

    private func drawTaskFault(index: Int) -> TaskFault {
        var fault = TaskFault.none
        for rule in faults.tasks {
            let hit = random.nextUnit() < rule.share && (rule.taskIndex == nil || rule.taskIndex == index)
            if hit, fault == .none { fault = rule.hang ? .hang(afterRecords: rule.afterRecords) : .crash(afterRecords: rule.afterRecords) }
        }
        return fault
    }

    // MARK: - Worker

    /// The next task to run, waiting while there is none (or the worker is paused); nil once stopped.
    func nextWork() async -> Work? {
        while true {
            if stopped { return nil }
            if !paused || stepRemaining > 0, let work = claim() {
                if paused { stepRemaining -= 1; stepInFlight = true }
                return work
            }
            if paused, stepRemaining > 0 { stepRemaining = 0; finishStepIfIdle() }
            await withCheckedContinuation { workerWaiter = $0 }
        }
    }

    private func claim() -> Work? {
        while queueHead < queue.count {
            let (jobID, taskIndex) = queue[queueHead]
            queueHead += 1
            if queueHead > 1024, queueHead * 2 > queue.count { queue.removeFirst(queueHead); queueHead = 0 }
            guard let job = jobs[jobID], job.expiresAt > now else { continue }
            let task = job.tasks[taskIndex]
            return Work(jobID: jobID, taskIndex: taskIndex, records: task.records, identifier: job.identifier,
                        upsert: job.upsert, fault: task.fault, generation: generation)
        }
        return nil
    }

    var queuedTasks: Int {
        queue[queueHead...].reduce(0) { n, entry in jobs[entry.jobID] == nil ? n : n + 1 }
    }

    /// Processes one record against the user store (one "transaction").
    func process(_ record: JSONValue, index: Int, work: Work) -> ImportDetail? {
        guard work.generation == generation else { return nil }
        return RecordProcessor.process(record, index: index, identifier: work.identifier, upsert: work.upsert,
                                       project: project, store: &users, now: now.date)
    }

    /// Marks a task completed (`details` or `error`), or leaves it pending when it hung.
    func finish(_ work: Work, details: [ImportDetail]?, error: APIError?, hung: Bool) {
        if work.generation == generation, !hung, jobs[work.jobID] != nil {
            jobs[work.jobID]!.tasks[work.taskIndex].completedAt = now
            jobs[work.jobID]!.tasks[work.taskIndex].details = details
            jobs[work.jobID]!.tasks[work.taskIndex].error = error
            jobs[work.jobID]!.tasks[work.taskIndex].records = []
        }
        if stepInFlight {
            stepInFlight = false
            stepProcessed += 1
            finishStepIfIdle()
        }
    }

    func setPaused(_ value: Bool) {
        paused = value
        if !value { stepRemaining = 0; finishStepIfIdle() }
        wakeWorker()
        wakeExportWorker()
    }

    /// Runs up to `count` queued tasks while paused; answers how many ran. Nil when a step is already running.
    func step(_ count: Int) async -> Int? {
        guard stepWaiter == nil else { return nil }
        stepProcessed = 0
        stepRemaining = min(count, queuedTasks)
        guard stepRemaining > 0 else { return 0 }
        return await withCheckedContinuation { continuation in
            stepWaiter = continuation
            wakeWorker()
        }
    }

    var isStepping: Bool { stepWaiter != nil }

    private func finishStepIfIdle() {
        if stepRemaining == 0, !stepInFlight { finishStep() }
    }

    private func finishStep() {
        stepRemaining = 0
        if let waiter = stepWaiter {
            stepWaiter = nil
            waiter.resume(returning: stepProcessed)
        }
    }

    private func wakeWorker() {
        if let waiter = workerWaiter {
            workerWaiter = nil
            waiter.resume()
        }
    }

    /// Stops the worker loop (server shutdown).
    func stop() {
        stopped = true
        finishStep()
        wakeWorker()
        wakeExportWorker()
    }
}
