import Foundation
import MigrationCore
import MigrationEngine

/// The live view of a run. Its figures come from one place: the journal's totals
/// (`RunProgressTotals`, refreshed as batches complete) and the batches in flight; see RunProgress.
public struct RunViewState: Equatable, Sendable {
    public struct BatchRow: Equatable, Sendable {
        public var id: Int64
        /// The batch's number within its run (1…n), as the operator sees it; `id` is journal-wide.
        public var number: Int
        public var records: Int
        public var state: String
        public var jobID: String?
        public var attempts: Int
        public var since: Date
        public var note: String?
        public init(id: Int64, number: Int? = nil, records: Int, state: String, jobID: String?, attempts: Int, since: Date, note: String?) {
            self.id = id
            self.number = number ?? Int(id)
            self.records = records
            self.state = state
            self.jobID = jobID
            self.attempts = attempts
            self.since = since
            self.note = note
        }

        public var isOpen: Bool { state != "completed" }
        public var isInFlight: Bool { ["sending", "sent", "pending", "retrying"].contains(state) }
    }
    public struct Failure: Equatable, Sendable {
        public var record: Int
        public var reason: String
        public var message: String
    }
    /// A job pending longer than this (seconds since it was sent) is shown in warning style with its age.
    public static let longPendingSeconds = 10.0
    public var runID: String?
    public var active = false
    public var pausedReason: String?
    public var finished: OutcomeCounts?
    /// Latest outcome per settled record (the journal's, once its totals have arrived).
    public var counts = OutcomeCounts()
    /// The journal's figures for the run: the one source of the gauge, totals, pending and failures.
    public var totals: RunProgressTotals?
    public var batches: [BatchRow] = []
    public var events: [String] = []
    public var selected = 0
    /// When the current stretch of activity began (nil while paused).
    public var startedAt: Date?
    /// Seconds the run was active before the current stretch (paused time is not counted).
    public var activeSeconds = 0.0
    /// The run had outcomes before this session drove it: elapsed counts this session's activity only.
    public var activeBeforeSession = false
    /// Settled records when the current stretch began (or when its first totals arrived), for the rate.
    public struct RateBase: Equatable, Sendable {
        public var settled: Int
        public var at: Date
    }
    public var rateBase: RateBase?
    /// Set when the run ended while this session watched it: the banner with its summary.
    public var endBanner: EndBanner?
    public init() {}
}

/// What a run's end says on the progress screen (and with a bell): totals and failures by reason.
public struct EndBanner: Equatable, Sendable {
    public var title: String
    public var lines: [String]
    public init(title: String, lines: [String]) {
        self.title = title
        self.lines = lines
    }
}
