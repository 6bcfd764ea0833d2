/// 64-bit fingerprints of normalised login IDs, to find the few that repeat among millions
/// without keeping every string in memory.
struct LoginIDKeys {
    /// Every (record, fingerprint) pair; two sets find the repeated fingerprints in two passes
    /// (cheaper in memory than a dictionary of first occurrences).
    private var pairs: [(record: Int32, hash: UInt64)] = []

    static func hash(_ kind: String, _ value: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in kind.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        h = (h ^ 0xFF) &* 0x100000001b3
        for b in value.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    mutating func append(_ chunk: [(Int32, UInt64)], base: Int) {
        for (k, h) in chunk { pairs.append((Int32(base) + k, h)) }
    }

    /// Records that share a fingerprint (to be confirmed against the real strings).
    func duplicateGroups() -> [[Int]] {
        var seen = Set<UInt64>(minimumCapacity: pairs.count)
        var repeated = Set<UInt64>()
        for p in pairs where !seen.insert(p.hash).inserted { repeated.insert(p.hash) }
        guard !repeated.isEmpty else { return [] }
        var groups: [UInt64: [Int]] = [:]
        for p in pairs where repeated.contains(p.hash) { groups[p.hash, default: []].append(Int(p.record)) }
        return Array(groups.values)
    }
}

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
            report.update(n, issues: list, size: Int(report.requestSizes[n]), excluded: report.status[n] == .excluded)
        }
    }
}
