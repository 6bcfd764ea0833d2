/// The issues of the records that have any, kept in record order.
///
/// A pass over a million records can leave hundreds of thousands of records with a warning;
/// they arrive in record order, so appending to sorted arrays is all the pass needs (no
/// hashing), lookups are binary searches, and listing records in order needs no sort. An
/// edit that gives a record its first issue, or removes its last, inserts or removes in place.
///
/// Duplicate findings are not stored as lists: they live in `duplicates` (flat groups, a few
/// bytes per member) and are worded when a record's issues are read, after its own issues.
/// Setting a record's issues sets its own issues only.
public struct IssueTable: Sendable, Sequence {
    private var records: [Int] = []
    private var lists: [[Issue]] = []
    /// The file's duplicate groups, whose findings every read adds to a member's own issues.
    var duplicates = DuplicateGroups()

    public init() {}

    /// How many records have issues (a pass over both tables).
    public var count: Int { keys.reduce(0) { n, _ in n + 1 } }
    public var isEmpty: Bool { records.isEmpty && duplicates.isEmpty }
    /// The records that have issues, in ascending order.
    public var keys: Keys { Keys(own: records, duplicates: duplicates.records) }
    /// Every record's list, in record order (words every duplicate finding: costly on large files).
    public var values: [[Issue]] { map(\.value) }

    /// The issues of `record`, or nil when it has none. Setting sets its own issues (nil or an
    /// empty list removes them); its duplicate findings stay those of `duplicates`.
    public subscript(record: Int) -> [Issue]? {
        get {
            let mine = own(record)
            guard duplicates.contains(record) else { return mine }
            return (mine ?? []) + duplicates.issues(of: record)
        }
        set {
            let i = position(of: record)
            let present = i < records.count && records[i] == record
            switch (present, newValue) {
            case (true, let list?) where !list.isEmpty: lists[i] = list
            case (true, _): records.remove(at: i); lists.remove(at: i)
            case (false, let list?) where !list.isEmpty: records.insert(record, at: i); lists.insert(list, at: i)
            case (false, _): break
            }
        }
    }

    /// The record's own issues (without its duplicate findings), or nil.
    func own(_ record: Int) -> [Issue]? {
        let i = position(of: record)
        return i < records.count && records[i] == record ? lists[i] : nil
    }

    /// Every record's own issues (without its duplicate findings), in record order.
    func forEachOwn(_ body: (Int, [Issue]) -> Void) {
        for (record, list) in zip(records, lists) { body(record, list) }
    }

    /// Whether the record's own issues include an error.
    func ownHasErrors(_ record: Int) -> Bool {
        own(record)?.contains { $0.severity == .error } ?? false
    }

    /// Adds the issues of a record after every record already in the table (the pass's order).
    mutating func append(_ record: Int, _ list: [Issue]) {
        guard let last = records.last, record <= last else {
            records.append(record)
            lists.append(list)
            return
        }
        self[record] = list
    }

    /// The records that have an issue with this rule, ascending (duplicate findings counted
    /// from the groups, without wording them).
    ///
    /// Two sequential passes (own lists, then the groups' membership) merged: no lookup per
    /// record, so the rule filter over 10,000,000 records in groups stays a fraction of a second.
    public func records(withRule rule: String) -> [Int] {
        var mine: [Int] = []
        for (n, list) in zip(records, lists) where list.contains(where: { $0.rule == rule }) { mine.append(n) }
        // nil: not a duplicate rule; true: the identifier's; false: another login ID's.
        let identifierRule: Bool? = rule == "duplicate_identifier" ? true : (rule == "duplicate_login_id" ? false : nil)
        guard let identifierRule else { return mine }
        let grouped = duplicates.records(inIdentifierGroups: identifierRule)
        if mine.isEmpty { return grouped }
        var out: [Int] = []
        out.reserveCapacity(mine.count + grouped.count)
        var i = 0, j = 0
        while i < mine.count || j < grouped.count {
            if j == grouped.count || (i < mine.count && mine[i] < grouped[j]) {
                out.append(mine[i]); i += 1
            } else {
                if i < mine.count, mine[i] == grouped[j] { i += 1 }
                out.append(grouped[j]); j += 1
            }
        }
        return out
    }

    /// Counts of issues per (severity, rule) over every record.
    func countsByRule() -> [String: (Issue.Severity, String, Int)] {
        var counts: [String: (Issue.Severity, String, Int)] = [:]
        for list in lists {
            for issue in list { counts[issue.severity.rawValue + " " + issue.rule, default: (issue.severity, issue.rule, 0)].2 += 1 }
        }
        for (severity, rule, n) in duplicates.countsByRule() {
            counts[severity.rawValue + " " + rule, default: (severity, rule, 0)].2 += n
        }
        return counts
    }

    /// The first index whose record is not below `record`.
    private func position(of record: Int) -> Int {
        var low = 0, high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid] < record { low = mid + 1 } else { high = mid }
        }
        return low
    }

    public func makeIterator() -> some IteratorProtocol<(key: Int, value: [Issue])> {
        let table = self
        return keys.lazy.map { (key: $0, value: table[$0] ?? []) }.makeIterator()
    }

    /// The records with own issues or duplicate findings, merged in ascending order.
    public struct Keys: Sequence {
        let own: [Int]
        let duplicates: DuplicateGroups.Records

        public func makeIterator() -> Iterator { Iterator(own: own, duplicates: duplicates.makeIterator()) }

        public struct Iterator: IteratorProtocol {
            let own: [Int]
            var i = 0
            var duplicates: DuplicateGroups.Records.Iterator
            var pending: Int?
            var started = false

            init(own: [Int], duplicates: DuplicateGroups.Records.Iterator) {
                self.own = own
                self.duplicates = duplicates
            }

            public mutating func next() -> Int? {
                if !started { pending = duplicates.next(); started = true }
                let a = i < own.count ? own[i] : nil
                switch (a, pending) {
                case (nil, nil): return nil
                case (let a?, nil): i += 1; return a
                case (nil, let b?): pending = duplicates.next(); return b
                case (let a?, let b?):
                    if a < b { i += 1; return a }
                    if a == b { i += 1 }
                    pending = duplicates.next()
                    return b
                }
            }
        }
    }
}
