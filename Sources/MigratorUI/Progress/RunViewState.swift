import Foundation
import MigrationCore
import MigrationEngine

/// The live view of a run.
public struct RunViewState: Equatable, Sendable {
    public struct BatchRow: Equatable, Sendable {
        public var id: Int64
        public var records: Int
        public var state: String
        public var jobID: String?
        public var attempts: Int
        public var since: Date
        public var note: String?
        public init(id: Int64, records: Int, state: String, jobID: String?, attempts: Int, since: Date, note: String?) {
            self.id = id
            self.records = records
            self.state = state
            self.jobID = jobID
            self.attempts = attempts
            self.since = since
            self.note = note
        }
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
    public var snapshot: ProgressSnapshot?
    public var counts = OutcomeCounts()
    /// The run's totals before this invocation (snapshots count only what this invocation did).
    public var base = OutcomeCounts()
    public var batches: [BatchRow] = []
    public var failures: [Failure] = []
    public var events: [String] = []
    public var selected = 0
    public var startedAt: Date?
    public init() {}
}
