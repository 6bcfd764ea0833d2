/// 64-bit fingerprints of normalised login IDs, to find the few that repeat among millions
/// without keeping every string in memory.
struct LoginIDKeys {
    private var first: [UInt64: Int] = [:]
    private var groups: [UInt64: [Int]] = [:]

    static func hash(_ kind: String, _ value: String) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        for b in kind.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        h = (h ^ 0xFF) &* 0x100000001b3
        for b in value.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return h
    }

    mutating func add(_ hash: UInt64, record: Int) {
        if let f = first[hash] {
            groups[hash, default: [f]].append(record)
        } else {
            first[hash] = record
        }
    }

    /// Records that share a fingerprint (to be confirmed against the real strings).
    func duplicateGroups() -> [[Int]] { Array(groups.values) }
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
