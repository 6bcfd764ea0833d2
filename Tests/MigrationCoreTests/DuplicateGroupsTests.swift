import TestSupport
import XCTest
@testable import MigrationCore

/// Duplicate groups: who comes first (a model of the server's sequential processing), exact
/// re-validation after edits, the compact storage read through `IssueTable`, and the cheap
/// reading of login-ID values.
final class DuplicateGroupsTests: XCTestCase {
    /// An NDJSON source of these records; every fourth writes its email's first letter as an escape.
    private func workspace(_ values: [JSONValue], identifier: ImportIdentifier = .email) throws -> SourceWorkspace {
        let lines = values.enumerated().map { n, v in
            let text = JSONWriter().string(v)
            return n % 4 == 0 ? text.replacingOccurrences(of: #""email":"u"#, with: #""email":"\u0075"#) : text
        }
        let path = TestFiles.write(lines.joined(separator: "\n") + "\n", name: "users.ndjson")
        let index = try RecordIndex.open(path: path)
        XCTAssertNil(index.finish())
        return SourceWorkspace(index: index, settings: ValidationSettings(identifier: identifier))
    }

    /// Random records whose emails, phones and usernames come from small pools (some with
    /// errors of their own, some not normalised, some with escapes the cheap reader leaves to
    /// the parser).
    private func randomRecord(_ rng: inout SplitMix64) -> JSONValue {
        var members: [JSONMember] = []
        if rng.next() % 8 != 0 {
            let n = rng.next() % 12
            let spellings = ["u\(n)@example.com", "U\(n)@Example.com", " u\(n)@example.com"]
            members.append(JSONMember("email", .string(spellings[Int(rng.next() % UInt64(spellings.count))])))
        }
        if rng.next() % 2 == 0 { members.append(JSONMember("phone_number", .string("+8526123456\(rng.next() % 6)"))) }
        if rng.next() % 3 == 0 { members.append(JSONMember("preferred_username", .string(rng.next() % 2 == 0 ? "name\(rng.next() % 5)" : "Name\(rng.next() % 5)"))) }
        if rng.next() % 6 == 0 { members.append(JSONMember("name", .string(""))) }   // an error of its own
        if rng.next() % 5 == 0 { members.append(JSONMember("nickname", .string("nick \"\(rng.next() % 100)\""))) }
        return .object(members)
    }

    /// What the server does, record by record in file order: a record with errors of its own
    /// takes nothing; otherwise it takes its login IDs unless one is already taken.
    private func model(_ values: [JSONValue?], settings: ValidationSettings) -> [[String]] {
        let validator = RecordValidator(settings: settings)
        var keysOf: [[String]] = []
        var ownErrors: [Bool] = []
        var count: [String: Int] = [:]
        for v in values {
            guard let v else { keysOf.append([]); ownErrors.append(false); continue }
            let r = validator.validate(v)
            var keys: [String] = []
            if let id = r.identifierKey { keys.append("0 " + id) }
            for type in LoginIDType.allCases { if let k = r.otherLoginIDs[type] { keys.append("\(DuplicateKind(type).rawValue) " + k) } }
            keysOf.append(keys)
            ownErrors.append(r.hasErrors)
            for k in keys { count[k, default: 0] += 1 }
        }
        var taken = Set<String>()
        var out: [[String]] = []
        for (n, keys) in keysOf.enumerated() {
            let grouped = keys.filter { count[$0]! > 1 }.sorted()
            let wins = !ownErrors[n] && !grouped.contains { taken.contains($0) }
            if wins { taken.formUnion(grouped) }
            out.append(grouped.map { "\(wins ? "warning" : "error") \($0.prefix(1))" })
        }
        return out
    }

    private func findings(_ report: ValidationReport, _ n: Int, identifier: ImportIdentifier) -> [String] {
        (report.issues[n] ?? []).filter(ValidationPass.isDuplicateFinding).map { issue in
            let kind: DuplicateKind = issue.rule == "duplicate_identifier" ? .identifier
                : DuplicateKind(LoginIDType.allCases.first { "/" + $0.recordField == issue.pointer }!)
            return "\(issue.severity) \(kind.rawValue)"
        }
    }

    func testFirstComesFirstAsTheServerProcessesTheFile() throws {
        var rng = SplitMix64(seed: 11)
        for identifier in [ImportIdentifier.email, .phoneNumber, .preferredUsername] {
            let values = (0..<300).map { _ in randomRecord(&rng) }
            let w = try workspace(values, identifier: identifier)
            let report = w.validate()
            let expected = model(values, settings: w.settings)
            var groups = 0
            for n in values.indices {
                XCTAssertEqual(findings(report, n, identifier: identifier), expected[n], "\(identifier) record \(n): \(JSONWriter().string(values[n]))")
                // The status settled while claims are decided is the one the worded issues give.
                let worded = report.issues[n] ?? []
                let status: ValidationReport.Status = worded.contains { $0.severity == .error } ? .errors : (worded.isEmpty ? .valid : .warnings)
                XCTAssertEqual(report.status[n], status, "\(identifier) record \(n)")
                groups += expected[n].filter { $0.hasPrefix("warning") }.count
            }
            XCTAssertGreaterThan(groups, 5, "the pools make groups")
        }
    }

    /// After any sequence of edits, exclusions and undos, the re-validated report is the one a
    /// fresh pass over the edited source gives: every record's issues (worded) and status.
    func testRevalidationAfterEditsEqualsAFreshPass() throws {
        var rng = SplitMix64(seed: 5)
        let values = (0..<120).map { _ in randomRecord(&rng) }
        let w = try workspace(values)
        w.validate()
        for step in 0..<60 {
            let n = Int(rng.next() % UInt64(values.count))
            switch rng.next() % 4 {
            case 0: w.edit { $0.exclude(n) }
            case 1: w.edit { _ = $0.undo() }
            default: w.edit { $0.replace(n, with: randomRecord(&rng)) }
            }
            let fresh = ValidationPass(index: w.index, edits: w.edits, settings: w.settings).run()
            let r = w.report!
            XCTAssertEqual(r.status, fresh.status, "step \(step)")
            for m in values.indices where r.issues[m] != fresh.issues[m] {
                XCTFail("step \(step), record \(m): \(r.issues[m] ?? []) vs \(fresh.issues[m] ?? [])")
                return
            }
            XCTAssertEqual(Array(r.issues.keys), Array(fresh.issues.keys), "step \(step)")
            // Counts and rule filters read the groups without wording them; groups an edit
            // dissolved count for nothing.
            XCTAssertEqual(r.countsByRule().map { "\($0.severity) \($0.rule) \($0.count)" }, fresh.countsByRule().map { "\($0.severity) \($0.rule) \($0.count)" }, "step \(step)")
            for rule in ["duplicate_identifier", "duplicate_login_id"] {
                XCTAssertEqual(r.issues.records(withRule: rule), fresh.issues.records(withRule: rule), "step \(step) \(rule)")
                XCTAssertEqual(r.issues.records(withRule: rule), values.indices.filter { (r.issues[$0] ?? []).contains { $0.rule == rule } }, "step \(step) \(rule)")
            }
        }
    }

    /// A table holding own lists and duplicate groups reads like a dictionary of their union.
    func testIssueTableWithGroupsBehavesLikeADictionary() {
        var rng = SplitMix64(seed: 3)
        var table = IssueTable()
        var own: [Int: [Issue]] = [:]
        for n in 0..<400 where rng.next() % 3 == 0 {
            let list = rng.next() % 2 == 0 ? [Issue.warning("/a", rule: "r", "m")] : [Issue.error("/b", rule: "s", "n")]
            table.append(n, list)
            own[n] = list
        }
        var groups = DuplicateGroups()
        var used = Set<Int>()
        for g in 0..<60 {
            var members = Set<Int32>()
            while members.count < 2 + Int(rng.next() % 3) { members.insert(Int32(rng.next() % 400)) }
            groups.add(kind: DuplicateKind(rawValue: UInt8(g % 4))!, value: "v\(g)", members: members.sorted())
            used.formUnion(members.map(Int.init))
        }
        groups.assignClaimers { own[$0]?.contains { $0.severity == .error } ?? false }
        table.duplicates = groups
        let all = Set(own.keys).union(used).sorted()
        XCTAssertEqual(Array(table.keys), all)
        XCTAssertEqual(table.count, all.count)
        XCTAssertEqual(table.map(\.key), all)
        var counts: [String: Int] = [:]
        for n in 0..<400 {
            let expected = (own[n] ?? []) + groups.issues(of: n)
            XCTAssertEqual(table[n] ?? [], expected, "record \(n)")
            XCTAssertEqual(table[n] == nil, expected.isEmpty)
            for issue in expected { counts["\(issue.severity) \(issue.rule)", default: 0] += 1 }
        }
        XCTAssertEqual(table.countsByRule().mapValues(\.2).reduce(into: [:]) { $0[$1.key] = $1.value }, counts.reduce(into: [String: Int]()) { $0[$1.key] = $1.value })
        for rule in ["r", "s", "duplicate_identifier", "duplicate_login_id"] {
            XCTAssertEqual(table.records(withRule: rule), all.filter { (table[$0] ?? []).contains { $0.rule == rule } }, rule)
        }
        // Setting a record's issues sets its own ones; its findings stay.
        let member = used.sorted().first!
        table[member] = nil
        XCTAssertEqual(table[member] ?? [], groups.issues(of: member))
    }

    /// The cheap reader takes the last of repeated keys, steps over nested values and strings
    /// with escapes, and leaves escapes inside a login-ID value to the parser.
    func testLoginIDValuesScanMatchesTheParsedRecord() throws {
        let names = [Array("email".utf8), Array("phone_number".utf8)]
        let cases = [
            #"{"email":"a@b.co","phone_number":"+85261234567"}"#,
            #"{ "x": {"email": "no"}, "email" : "last@b.co", "y": [1, "]", {"z": "\"}"}], "email": "again@b.co" }"#,
            #"{"name":"\"quoted\" \\ name","phone_number":null,"email":"e@x.io"}"#,
            #"{"n": -1.5e3, "t": true, "email": "t@x.io"}"#,
            #"{}"#,
        ]
        for text in cases {
            let value = try JSONParser.parse(text)
            let scanned = Array(text.utf8).withUnsafeBytes { LoginIDValues.scan($0, names) }
            XCTAssertEqual(scanned, [value["email"]?.stringValue, value["phone_number"]?.stringValue], text)
        }
        XCTAssertNil(Array(#"{"email":"a\u0040b.co"}"#.utf8).withUnsafeBytes { LoginIDValues.scan($0, names) })
    }
}

