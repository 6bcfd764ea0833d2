import Foundation
import MigrationEngine

/// The progress figures of a run, all derived from the journal's totals and the batches in
/// flight, so that the gauge, the totals, pending, the status line and the failure count agree
/// across pauses, second passes and resumed runs: settled + pending = planned, always.
extension RunViewState {
    /// Records with a final outcome (not in an open batch).
    public var settledCount: Int { totals?.settled.total ?? counts.total }

    /// Records the run's batches carry.
    public var plannedCount: Int {
        if let totals { return totals.planned }
        return counts.total + batches.filter(\.isOpen).reduce(0) { $0 + $1.records }
    }

    /// Records still to come: in open batches, or planned without an outcome.
    public var pending: Int {
        if let totals { return totals.open }
        return batches.filter(\.isOpen).reduce(0) { $0 + $1.records }
    }

    /// The gauge: settled of planned, over the whole run (every pass, every process).
    public var fraction: Double {
        let planned = plannedCount
        guard planned > 0 else { return finished != nil ? 1 : 0 }
        return min(1, Double(settledCount) / Double(planned))
    }

    /// Records whose latest outcome is failed (not the length of the feed).
    public var failedCount: Int { totals?.settled.failed ?? counts.failed }

    /// The failure feed, newest first: the journal's latest failures (a record that succeeded on a
    /// retry is no longer in it).
    public var feed: [Failure] {
        (totals?.recentFailures ?? []).map { Failure(record: $0.record, reason: $0.reason, message: $0.message) }
    }

    public var inFlightBatches: Int { batches.filter(\.isInFlight).count }

    /// Active time: every stretch the run was sending or polling while this session watched it; paused time is not counted.
    public func elapsed(now: Date) -> Double {
        activeSeconds + (active ? startedAt.map { max(0, now.timeIntervalSince($0)) } ?? 0 : 0)
    }

    /// Records settled per second in the current stretch of activity; nil while paused or before it can be measured.
    public func rate(now: Date) -> Double? {
        guard active, let base = rateBase else { return nil }
        let seconds = now.timeIntervalSince(base.at)
        guard seconds >= 1 else { return nil }
        return Double(max(0, settledCount - base.settled)) / seconds
    }

    /// Seconds left at the current rate; nil while paused or when nothing has settled yet in this stretch.
    public func eta(now: Date) -> Double? {
        guard let rate = rate(now: now), rate > 0 else { return nil }
        return Double(pending) / rate
    }

    /// The open batch whose job the server has kept longest without an answer.
    public func oldestPendingJob(now: Date) -> BatchRow? {
        batches.filter { ($0.state == "sent" || $0.state == "pending") && $0.jobID != nil }.min { $0.since < $1.since }
    }

    /// The number the operator knows a batch by (1…n within the run).
    public func number(ofBatch id: Int64) -> Int {
        batches.first { $0.id == id }?.number ?? Int(id)
    }

    // MARK: - Changes

    /// The run starts sending (launch, resume, second pass): a new stretch of activity.
    public mutating func begin(now: Date) {
        if active { return }
        active = true
        finished = nil
        pausedReason = nil
        endBanner = nil
        startedAt = now
        rateBase = totals.map { RateBase(settled: $0.settled.total, at: now) }
    }

    /// The run stops sending (paused, stopped, finished, failed to start): the stretch's time is kept.
    public mutating func end(now: Date) {
        if active, let startedAt { activeSeconds += max(0, now.timeIntervalSince(startedAt)) }
        active = false
        startedAt = nil
        rateBase = nil
    }

    /// The journal's latest figures for this run.
    public mutating func apply(_ t: RunProgressTotals, now: Date) {
        totals = t
        counts = t.settled
        if active {
            // A second pass reopens settled records: the rate counts from the lowest point.
            if rateBase == nil || t.settled.total < rateBase!.settled { rateBase = RateBase(settled: t.settled.total, at: now) }
        }
        for i in batches.indices where !batches[i].isOpen {
            if let c = t.batchCounts[batches[i].id] { batches[i].note = Self.describe(c) }
        }
    }

    /// The rows of a run's batches as the journal has them, numbered 1…n, each completed one with its own counts.
    public static func rows(_ batches: [BatchRecord], counts: [Int64: OutcomeCounts], createdAt: Date) -> [BatchRow] {
        let numbers = BatchRecord.numbers(batches)
        return batches.map { b in
            BatchRow(id: b.id, number: numbers[b.id] ?? Int(b.id), records: b.records.count, state: b.state.rawValue, jobID: b.jobID, attempts: b.attempts,
                     since: (b.state == .sent ? b.sentAt : nil) ?? b.lastAttemptAt ?? b.completedAt ?? createdAt,
                     note: b.state == .completed ? counts[b.id].map(describe) : b.lastError)
        }
    }

    static func describe(_ c: OutcomeCounts) -> String {
        "\(c.inserted) ins · \(c.updated) upd · \(c.skipped) skip · \(c.failed) fail"
    }

    /// Shows a run found in the journal (the open source's latest): its totals, batches and state.
    public mutating func attach(_ entry: RunHistoryEntry, batches rows: [BatchRow], totals t: RunProgressTotals?, now: Date) {
        self = RunViewState()
        runID = entry.run.id
        counts = entry.counts
        batches = rows
        if let t { apply(t, now: now) }
        switch entry.condition {
        case .finished: finished = counts
        case .interrupted: pausedReason = "interrupted: the process that ran it is gone (resume continues it)"
        case .runningElsewhere: pausedReason = "running in another process" + (entry.holder.map { " (\($0))" } ?? "")
        case .paused, .stopped, .running: pausedReason = entry.run.pausedReason ?? entry.condition.rawValue
        }
    }

    /// The go / no-go after a canary: its records' outcomes, failures by reason, and what each key does.
    public static func canaryBanner(counts c: OutcomeCounts, totals: RunProgressTotals?) -> EndBanner {
        var lines = ["its records: inserted \(Format.count(c.inserted)) · updated \(Format.count(c.updated)) · skipped \(Format.count(c.skipped)) · failed \(Format.count(c.failed))"]
        if let reasons = totals?.failedByReason, !reasons.isEmpty {
            lines.append("failed by reason: " + reasons.prefix(4).map { "\($0.reason) \(Format.count($0.count))" }.joined(separator: ", "))
        }
        if let warnings = totals?.canaryWarnings, !warnings.isEmpty {
            lines.append("warnings: " + warnings.prefix(3).map { "\($0.reason) (\(Format.count($0.count)))" }.joined(separator: "; ")
                         + (warnings.count > 3 ? "; …" : ""))
        } else if totals != nil {
            lines.append("warnings: none")
        }
        if let t = totals { lines.append("\(Format.count(t.open)) records wait for your go") }
        lines.append(c.failed == 0 ? "No failures. P sends the rest (go) · v reviews warnings and outcomes"
                                   : "Look at the failures first (v). P sends the rest anyway (go)")
        lines.append("Enter: decide later — the run stays paused (no-go); resume sends the rest")
        return EndBanner(title: "Canary done: go or no-go?", lines: lines)
    }

    /// The banner shown when the run ends: totals and failures by reason.
    public static func banner(finished: Bool, counts c: OutcomeCounts, totals: RunProgressTotals?, reason: String?) -> EndBanner {
        var lines = ["inserted \(Format.count(c.inserted)) · updated \(Format.count(c.updated)) · skipped \(Format.count(c.skipped)) · failed \(Format.count(c.failed))"
                     + (totals.map { $0.open > 0 ? " · pending \(Format.count($0.open))" : "" } ?? "")]
        if let reasons = totals?.failedByReason, !reasons.isEmpty {
            lines.append("failed by reason: " + reasons.prefix(4).map { "\($0.reason) \(Format.count($0.count))" }.joined(separator: ", ")
                         + (reasons.count > 4 ? ", …" : ""))
        }
        if let reason { lines += checklistLines("stopped: \(reason)") }
        lines.append(finished ? (c.failed > 0 ? "v reviews the failures · Enter closes" : "v reviews the run · Enter closes") : "P resumes · Enter closes")
        return EndBanner(title: finished ? "The run has finished" : "The run has stopped", lines: lines)
    }

    /// The status line's text for a stop: a long reason (a 403's checklist) is cut to its first
    /// clause there, and says where it is in full (`b`: the banner; the progress screen shows it too).
    public static func statusText(stopped reason: String) -> String {
        guard reason.count > 90 else { return "stopped: \(reason) — P resumes" }
        // Short enough for 80 columns: P resumes is in the hint bar, b shows the whole reason.
        return "stopped: \(headline(reason)) · b: why"
    }

    /// The first clause of a reason ("the server refused the Admin API token (HTTP 403 Forbidden)").
    static func headline(_ reason: String) -> String {
        let cuts = [". ", ": "].compactMap { reason.range(of: $0)?.lowerBound }.filter { reason.distance(from: reason.startIndex, to: $0) >= 20 }
        guard let cut = cuts.min() else { return String(reason.prefix(80)) + "…" }
        return String(reason[..<cut])
    }

    /// A reason with a numbered checklist ("Check: (1) …; (2) …") as one line per item, so that
    /// each is read whole (the lines are wrapped where drawn).
    public static func checklistLines(_ text: String) -> [String] {
        // Where each item starts: "(1) ", then "(2) " after it, and so on.
        var starts: [String.Index] = []
        var from = text.startIndex
        while let r = text.range(of: "(\(starts.count + 1)) ", range: from..<text.endIndex) {
            starts.append(r.lowerBound)
            from = r.upperBound
        }
        guard !starts.isEmpty else { return [text] }
        let bounds = [text.startIndex] + starts + [text.endIndex]
        return zip(bounds, bounds.dropFirst()).enumerated().compactMap { i, b in
            let piece = text[b.0..<b.1].trimmingCharacters(in: .whitespaces)
            return piece.isEmpty ? nil : (i == 0 ? piece : "  " + piece)
        }
    }
}
