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
                              revealSecrets: Bool = false, interval: Double = 0.05, shouldContinue: () -> Bool = { true },
                              emit: ([Int], Bool) -> Void) {
        switch filter {
        case .all:
            emit(Array(0..<index.count), true)
            return
        case .edited, .excluded:
            emit(edits.changes.filter { filter == .excluded ? $0.value == .excluded : $0.value != .excluded }.keys.sorted(), true)
            return
        case .rule(let rule):
            emit(report?.issues.records(withRule: rule) ?? [], true)
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
            let spans = filter.searchText.isEmpty ? [] : index.spans(start..<end)
            for n in start..<end {
                let keep: Bool
                switch filter {
                case .problems: keep = report.map { $0.status[n] == .errors || $0.status[n] == .warnings } ?? false
                case .errors: keep = report?.status[n] == .errors
                case .warnings: keep = report?.status[n] == .warnings
                default: keep = recordContains(n, needle, index: index, edits: edits, span: spans[n - start], revealSecrets: revealSecrets)
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
                              revealSecrets: Bool = false, shouldContinue: () -> Bool = { true }) -> Int? {
        let count = rows?.count ?? index.count
        guard count > 0 else { return nil }
        let needle = lowered(term)
        for step in 0..<count {
            if step % 16_384 == 0, !shouldContinue() { return nil }
            let row = ((forward ? from + step : from - step) % count + count) % count
            if recordContains(rows.map { $0[row] } ?? row, needle, index: index, edits: edits, revealSecrets: revealSecrets) { return row }
        }
        return nil
    }

    /// ASCII-case-insensitive: does record `n` (its edit if edited, else its source bytes) contain `needle`?
    /// Unless `revealSecrets`, a match only inside a masked secret (a password hash, a TOTP secret)
    /// does not count: the raw bytes are scanned first, and only a record that matches and holds a
    /// secret is parsed and checked again as shown, with its secrets masked.
    static func recordContains(_ n: Int, _ needle: [UInt8], index: RecordIndex, edits: EditOverlay, span: RecordSpan? = nil,
                               revealSecrets: Bool = false) -> Bool {
        if !edits.isEmpty, case .replaced(let v)? = edits[n] {
            return JSONWriter().bytes(revealSecrets ? v : Secrets.masked(v)).withUnsafeBytes { contains($0, needle) }
        }
        let s = span ?? index.span(n)
        guard contains(index.rawBytes(s), needle) else { return false }
        guard !revealSecrets, !needle.isEmpty, case .success(let v) = index.loadRecord(span: s) else { return true }
        let shown = Secrets.masked(v)
        return shown == v || JSONWriter().bytes(shown).withUnsafeBytes { contains($0, needle) }
    }

    static func lowered(_ text: String) -> [UInt8] { Array(text.utf8).map(lower) }

    @inline(__always) static func lower(_ b: UInt8) -> UInt8 { b >= 65 && b <= 90 ? b | 0x20 : b }

    /// ASCII-case-insensitive substring test over bytes (`needle` already lowered).
    ///
    /// Eight bytes at a time, the bytes that can start a match (the needle's first byte, in either
    /// case for a letter) are flagged with the "has a zero byte" test; only those are compared.
    static func contains(_ haystack: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        let n = haystack.count, m = needle.count
        guard n >= m, let base = haystack.baseAddress else { return false }
        let first = needle[0]
        let last = n - m   // the last position a match can start at
        func matches(at p: Int) -> Bool {
            guard lower(haystack[p]) == first else { return false }
            var k = 1
            while k < m, lower(haystack[p + k]) == needle[k] { k += 1 }
            return k == m
        }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let fold: UInt64 = (0x61...0x7A).contains(first) ? 0x2020_2020_2020_2020 : 0   // 'A' | 0x20 == 'a'
        let pattern = UInt64(first) &* ones
        var i = 0
        while i + 8 <= n {
            let x = (UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self)) | fold) ^ pattern
            var hits = (x &- ones) & ~x & (ones &* 0x80)
            while hits != 0 {
                let p = i + hits.trailingZeroBitCount >> 3
                if p > last { return false }
                if matches(at: p) { return true }
                hits &= hits &- 1
            }
            i += 8
        }
        while i <= last {
            if matches(at: i) { return true }
            i += 1
        }
        return false
    }
}

extension RecordFilter {
    /// The text a `.text` filter looks for.
    var searchText: String { if case .text(let t) = self { return t } else { return "" } }
}
