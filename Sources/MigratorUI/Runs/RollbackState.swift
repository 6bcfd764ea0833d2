import MigrationEngine

/// What a rollback of a run would do, read from the journal before asking: the counts and the
/// target the confirmation states.
public struct RollbackPlan: Equatable, Sendable {
    public var runID: String
    public var sourcePath: String
    public var endpoint: String
    public var projectID: String
    /// Users the run inserted that no earlier rollback settled: deleted if they still have the
    /// login ID they were created with.
    public var toDelete: Int
    /// Inserted users an earlier rollback already deleted or found gone.
    public var settledEarlier: Int
    /// Users the run updated or skipped: they existed before, rollback never touches them.
    public var updated: Int
    public var skipped: Int

    public init(runID: String, sourcePath: String, endpoint: String, projectID: String, toDelete: Int, settledEarlier: Int,
                updated: Int, skipped: Int) {
        self.runID = runID
        self.sourcePath = sourcePath
        self.endpoint = endpoint
        self.projectID = projectID
        self.toDelete = toDelete
        self.settledEarlier = settledEarlier
        self.updated = updated
        self.skipped = skipped
    }
}

/// What a rollback did (RunRollback's summary as the screen shows it).
public struct RollbackResult: Equatable, Sendable {
    /// A user rollback did not delete, and why.
    public struct User: Equatable, Sendable {
        public var record: Int
        public var userID: String
        public var reason: String
        public init(record: Int, userID: String, reason: String) {
            self.record = record
            self.userID = userID
            self.reason = reason
        }
    }
    public var deleted = 0
    public var alreadyGone = 0
    public var settledEarlier = 0
    public var leftAlone: [User] = []
    public var failed: [User] = []
    public init(deleted: Int = 0, alreadyGone: Int = 0, settledEarlier: Int = 0, leftAlone: [User] = [], failed: [User] = []) {
        self.deleted = deleted
        self.alreadyGone = alreadyGone
        self.settledEarlier = settledEarlier
        self.leftAlone = leftAlone
        self.failed = failed
    }
}

/// A rollback from the Runs screen (D): read the plan, ask for the project id typed, run, tell.
public struct RollbackState: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        /// Reading the journal for the counts.
        case planning
        /// The plan is shown; the prompt waits for the project id.
        case confirming
        case running(done: Int, total: Int)
        /// Esc was pressed: it stops after the request in flight (every deletion so far is journaled).
        case cancelling
        case finished(RollbackResult)
        case cancelled
        case failed(String)

        /// Deleting (or stopping after the request in flight).
        public var isRunningRollback: Bool {
            switch self {
            case .running, .cancelling: return true
            default: return false
            }
        }
    }
    public var runID: String
    public var plan: RollbackPlan?
    public var phase: Phase = .planning

    public init(runID: String, plan: RollbackPlan? = nil, phase: Phase = .planning) {
        self.runID = runID
        self.plan = plan
        self.phase = phase
    }

    public var isRunning: Bool { phase.isRunningRollback }
}
