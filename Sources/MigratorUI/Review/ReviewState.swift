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
        public init(record: Int, identifier: String, reason: String, message: String, userID: String? = nil, detail: String? = nil) {
            self.record = record
            self.identifier = identifier
            self.reason = reason
            self.message = message
            self.userID = userID
            self.detail = detail
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
    public init() {}

    public var currentItems: [Item] { groups.indices.contains(group) ? groups[group].records : [] }
}
