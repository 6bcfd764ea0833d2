/// The issues of the records that have any, kept in record order.
///
/// A pass over a million records can leave hundreds of thousands of records with a warning;
/// they arrive in record order, so appending to sorted arrays is all the pass needs (no
/// hashing), lookups are binary searches, and listing records in order needs no sort. An
/// edit that gives a record its first issue, or removes its last, inserts or removes in place.
public struct IssueTable: Sendable, Sequence {
    private var records: [Int] = []
    private var lists: [[Issue]] = []

    public init() {}

    public var count: Int { records.count }
    public var isEmpty: Bool { records.isEmpty }
    /// The records that have issues, in ascending order.
    public var keys: [Int] { records }
    /// Every record's list, in record order.
    public var values: [[Issue]] { lists }

    /// The issues of `record`, or nil when it has none; setting nil (or an empty list) removes them.
    public subscript(record: Int) -> [Issue]? {
        get {
            let i = position(of: record)
            return i < records.count && records[i] == record ? lists[i] : nil
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

    /// Adds the issues of a record after every record already in the table (the pass's order).
    mutating func append(_ record: Int, _ list: [Issue]) {
        guard let last = records.last, record <= last else {
            records.append(record)
            lists.append(list)
            return
        }
        self[record] = list
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
        zip(records, lists).lazy.map { (key: $0.0, value: $0.1) }.makeIterator()
    }
}
