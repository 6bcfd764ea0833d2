import Foundation
import MigrationCore

/// Filters and searches over every record, on the raw mapped bytes (no parsing), in chunks so
/// the first matches show while the rest of a million records are still being scanned.
public enum RecordScan {
    /// Whether `filter` needs a finished validation report.
    public static func needsReport(_ filter: RecordFilter) -> Bool {
        switch filter {
        case .problems, .errors, .warnings, .rule: return true
        default: return false
        }
    }

    /// Computes `filter`'s rows. `emit(rows, complete)` gets the first matches at once, then a
    /// chunk every `interval` seconds; returning false from `shouldContinue` abandons the scan.
    public static func filter(_ filter: RecordFilter, index: RecordIndex, edits: EditOverlay, report: ValidationReport?,
                              interval: Double = 0.05, shouldContinue: () -> Bool = { true },
                              emit: ([Int], Bool) -> Void) {
        switch filter {
        case .all:
            emit(Array(0..<index.count), true)
            return
        case .edited, .excluded:
            emit(edits.changes.filter { filter == .excluded ? $0.value == .excluded : $0.value != .excluded }.keys.sorted(), true)
            return
        case .rule(let rule):
            emit((report?.issues ?? IssueTable()).filter { $0.value.contains { $0.rule == rule } }.map(\.key), true)
            return
        default: break
        }
        let needle = lowered(filter.searchText)
        let total = index.count
        let chunk = 16_384
        var pending: [Int] = []
        var sentAny = false
        var lastSent = Date()
        var start = 0
        while start < total {
            guard shouldContinue() else { return }
            let end = min(total, start + chunk)
            for n in start..<end {
                let keep: Bool
                switch filter {
                case .problems: keep = report.map { $0.status[n] == .errors || $0.status[n] == .warnings } ?? false
                case .errors: keep = report?.status[n] == .errors
                case .warnings: keep = report?.status[n] == .warnings
                default: keep = recordContains(n, needle, index: index, edits: edits)
                }
                if keep { pending.append(n) }
            }
            start = end
            if !pending.isEmpty, !sentAny || Date().timeIntervalSince(lastSent) > interval {
                emit(pending, false)
                pending.removeAll(keepingCapacity: true)
                sentAny = true
                lastSent = Date()
            }
        }
        emit(pending, true)
    }

    /// The next (or previous) row from `from` whose record contains `term`, wrapping around; nil when none does.
    public static func search(_ term: String, from: Int, forward: Bool, rows: [Int]?, index: RecordIndex, edits: EditOverlay,
                              shouldContinue: () -> Bool = { true }) -> Int? {
        let count = rows?.count ?? index.count
        guard count > 0 else { return nil }
        let needle = lowered(term)
        for step in 0..<count {
            if step % 16_384 == 0, !shouldContinue() { return nil }
            let row = ((forward ? from + step : from - step) % count + count) % count
            if recordContains(rows.map { $0[row] } ?? row, needle, index: index, edits: edits) { return row }
        }
        return nil
    }

    /// ASCII-case-insensitive: does record `n` (its edit if edited, else its source bytes) contain `needle`?
    static func recordContains(_ n: Int, _ needle: [UInt8], index: RecordIndex, edits: EditOverlay) -> Bool {
        if case .replaced(let v)? = edits[n] { return contains(JSONWriter().bytes(v), needle) }
        return contains(index.rawBytes(index.span(n)), needle)
    }

    static func lowered(_ text: String) -> [UInt8] { Array(text.utf8).map(lower) }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// ASCII-case-insensitive substring test over bytes.
    static func contains<C: Collection>(_ haystack: C, _ needle: [UInt8]) -> Bool where C.Element == UInt8, C.Index == Int {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        let first = needle[0]
        var i = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while i <= last {
            if lower(haystack[i]) == first {
                var k = 1
                while k < needle.count, lower(haystack[i + k]) == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }
}

extension RecordFilter {
    /// The text a `.text` filter looks for.
    var searchText: String { if case .text(let t) = self { return t } else { return "" } }
}
