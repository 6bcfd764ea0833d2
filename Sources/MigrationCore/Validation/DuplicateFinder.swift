import Foundation
import Synchronization

/// Confirms fingerprint groups against the actual normalised values and reports them on
/// every record involved.
struct DuplicateFinder {
    let pass: ValidationPass

    func report(candidates: [[Int]], into report: inout ValidationReport) {
        guard !candidates.isEmpty else { return }
        let identifier = pass.settings.identifier.field
        var findings: [Int: [Issue]] = [:]
        for group in candidates {
            var byValue: [String: [Int]] = [:]
            var verdicts: [Int: ValidationPass.RecordVerdict] = [:]
            for n in Set(group) { verdicts[n] = pass.verdict(n) }
            for n in Set(group) {
                guard let v = verdicts[n] else { continue }
                if let id = v.identifierKey { byValue["id\u{0}" + id, default: []].append(n) }
                for (type, value) in v.otherLoginIDs { byValue[type.rawValue + "\u{0}" + value, default: []].append(n) }
            }
            for (key, records) in byValue where records.count > 1 {
                let sorted = records.sorted()
                let parts = key.split(separator: "\u{0}", maxSplits: 1).map(String.init)
                let isIdentifier = parts[0] == "id"
                for n in sorted {
                    let others = sorted.filter { $0 != n }
                    let list = others.prefix(5).map(String.init).joined(separator: ", ") + (others.count > 5 ? " and \(others.count - 5) more" : "")
                    if isIdentifier {
                        let consequence = pass.settings.upsert
                            ? "the later records update the first one's user"
                            : "the later records are skipped as \"user exists\""
                        findings[n, default: []].append(.error("/" + identifier, rule: "duplicate_identifier",
                            "the identifier \"\(parts[1])\" (after the server's normalisation) is also used by record \(list): \(consequence), or fail with DuplicatedIdentity when they are processed in parallel; keep one record per user"))
                    } else {
                        let field = LoginIDType(rawValue: parts[0])?.recordField ?? parts[0]
                        findings[n, default: []].append(.error("/" + field, rule: "duplicate_login_id",
                            "the \(field) \"\(parts[1])\" (after normalisation) is also used by record \(list): only the first can have it, the others fail with DuplicatedIdentity"))
                    }
                }
            }
        }
        for (n, extra) in findings {
            var list = report.issues[n] ?? []
            list.append(contentsOf: extra)
            report.update(n, issues: list, size: Int(report.recordSizes[n]), excluded: report.status[n] == .excluded)
        }
    }
}

/// A buffer handed to concurrent workers that each touch their own disjoint part of it.
private struct UnsafeMutableSendableBuffer: @unchecked Sendable {
    // @unchecked Sendable: every worker sorts only the buckets `stride(from: w, by: workers)`
    // gives it, so no two threads touch the same element, and the buffer outlives the workers.
    let base: UnsafeMutableBufferPointer<UInt64>
    init(_ base: UnsafeMutableBufferPointer<UInt64>) { self.base = base }
}
