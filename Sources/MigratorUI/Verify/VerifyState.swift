import MigrationEngine

/// The Verify screen: a run's verification while it runs (the export's or the lookups'
/// progress), then its totals and its problems grouped by kind — missing, mismatched by field,
/// exists although the run failed.
public struct VerifyState: Equatable, Sendable {
    public enum Phase: Equatable, Sendable {
        case idle
        case running
        /// Esc was pressed: the verifier stops at its next check.
        case cancelling
        case finished(VerifySummary)
        case cancelled
        case failed(String)
    }

    /// A group of the problem list: one kind, and for mismatches one field.
    public struct Group: Equatable, Sendable {
        public var kind: VerifyProblem.Kind
        /// The field that differs (mismatched only; nil for a mismatch without a field difference).
        public var field: String?
        public var problems: [VerifyProblem]

        public init(kind: VerifyProblem.Kind, field: String?, problems: [VerifyProblem] = []) {
            self.kind = kind
            self.field = field
            self.problems = problems
        }

        public var title: String {
            switch kind {
            case .missing: return "missing"
            case .mismatched: return "mismatched: " + (field ?? "the user")
            case .existsAlthoughFailed: return "exists although the run failed"
            }
        }

        /// Where the group goes in the list: missing, mismatches by field name, exists although failed.
        var order: (Int, String) {
            switch kind {
            case .missing: return (0, "")
            case .mismatched: return (1, field ?? "")
            case .existsAlthoughFailed: return (2, "")
            }
        }

        /// The difference this group is about, for a problem of it.
        public func difference(of problem: VerifyProblem) -> FieldDifference? {
            guard let field else { return nil }
            return problem.differences.first { $0.field == field }
        }
    }

    /// What the verifier last said it was doing.
    public struct Progress: Equatable, Sendable {
        public var phase: String
        public var done: Int
        /// 0 when the total is not known (an export's lines).
        public var total: Int
        public init(phase: String, done: Int, total: Int) {
            self.phase = phase
            self.done = done
            self.total = total
        }
    }

    /// How many problems the screen keeps (the totals count them all; `verify --json` lists them all).
    public static let listLimit = 50_000

    public var runID: String?
    /// "run 1a2b3c4d of users.json into https://… project myapp".
    public var title = ""
    public var phase: Phase = .idle
    public var progress: Progress?
    public var notices: [String] = []
    public var groups: [Group] = []
    /// Problems received (the list keeps at most `listLimit`).
    public var received = 0
    public var group = 0
    public var item = 0
    /// Focus on the problems of the selected group instead of the group list.
    public var itemsFocused = false
    /// Marked record numbers (for a re-send with upsert).
    public var marked: Set<Int> = []
    /// Where Esc goes back to.
    public var returnTo: Screen = .records

    public init() {}

    public var isRunning: Bool { phase == .running || phase == .cancelling }
    public var summary: VerifySummary? { if case .finished(let s) = phase { return s } else { return nil } }
    public var currentGroup: Group? { groups.indices.contains(group) ? groups[group] : nil }
    public var currentProblems: [VerifyProblem] { currentGroup?.problems ?? [] }
    public var selectedProblem: VerifyProblem? {
        let p = currentProblems
        return itemsFocused && p.indices.contains(item) ? p[item] : nil
    }
    /// Problems kept in the list (a mismatch in two fields is listed under each, counted once here).
    public var listed: Int { min(received, Self.listLimit) }

    /// Files a problem under its kind (a mismatch under each field that differs), keeping the
    /// selection on the group it was on when a new group sorts before it.
    public mutating func add(_ problem: VerifyProblem) {
        received += 1
        guard received <= Self.listLimit else { return }
        let fields: [String?] = problem.kind == .mismatched && !problem.differences.isEmpty ? problem.differences.map(\.field) : [nil]
        for field in fields {
            if let i = groups.firstIndex(where: { $0.kind == problem.kind && $0.field == field }) {
                groups[i].problems.append(problem)
                continue
            }
            let new = Group(kind: problem.kind, field: field, problems: [problem])
            let at = groups.firstIndex { $0.order > new.order } ?? groups.count
            groups.insert(new, at: at)
            if at <= group, groups.count > 1 { group += 1 }
        }
    }

    /// The marked records, else the selected problem's, else the selected group's (each once, in order).
    public var selection: [Int] {
        if !marked.isEmpty { return marked.sorted() }
        if let p = selectedProblem { return [p.record] }
        return Array(Set(currentProblems.map(\.record))).sorted()
    }
}
