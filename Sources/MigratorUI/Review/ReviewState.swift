import Foundation

/// Failure review: failed records grouped by reason, skipped users, warnings.
public struct ReviewState: Equatable, Sendable {
    public enum Tab: String, Equatable, Sendable, CaseIterable { case failed, skipped, warnings }
    public struct Group: Equatable, Sendable {
        public var key: String
        public var records: [Item]
        public init(key: String, records: [Item]) {
            self.key = key
            self.records = records
        }
    }
    public struct Item: Equatable, Sendable {
        public var record: Int
        public var identifier: String
        public var reason: String
        public var message: String
        public var userID: String?
        /// What the server said beyond its message (the error's info, e.g. which identity clashed).
        public var detail: String?
        /// The server's cause of a failure (RecordErrorCause: its kind, e.g. `DuplicatedIdentity`
        /// or `format at /email`) and, for a duplicated identity, which identity clashed.
        public var cause: String?
        public var clash: String?
        /// When the journal recorded this outcome (a failure edited after it is "edited since it failed").
        public var recordedAt: Date?
        public init(record: Int, identifier: String, reason: String, message: String, userID: String? = nil, detail: String? = nil,
                    cause: String? = nil, clash: String? = nil, recordedAt: Date? = nil) {
            self.record = record
            self.identifier = identifier
            self.reason = reason
            self.message = message
            self.userID = userID
            self.detail = detail
            self.cause = cause
            self.clash = clash
            self.recordedAt = recordedAt
        }
    }
    public var tab: Tab = .failed
    public var groups: [Group] = []
    public var group = 0
    public var item = 0
    /// Focus on the items of the selected group instead of the group list.
    public var itemsFocused = false
    public var marked: Set<Int> = []
    public var loaded = false
    /// When each record was last edited in this session (stamped as the edit is asked for): a
    /// failed record edited after its failure was recorded is "edited since it failed".
    public var editedAt: [Int: Date] = [:]
    public init() {}

    public var currentItems: [Item] { groups.indices.contains(group) ? groups[group].records : [] }

    /// The failed tab's item of record `n`, if it is there.
    public func failure(of n: Int) -> Item? {
        guard tab == .failed else { return nil }
        for g in groups { if let item = g.records.first(where: { $0.record == n }) { return item } }
        return nil
    }

    /// Whether `item` (a failure) was edited in this session after the journal recorded it.
    public func editedSinceFailure(_ item: Item) -> Bool {
        guard let edited = editedAt[item.record] else { return false }
        guard let failed = item.recordedAt else { return true }
        return edited > failed
    }

    /// Failed records of the tab edited since they failed, in record order.
    public var editedSinceFailureRecords: [Int] {
        guard tab == .failed else { return [] }
        return groups.flatMap(\.records).filter(editedSinceFailure).map(\.record).sorted()
    }
}
