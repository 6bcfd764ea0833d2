import XCTest
@testable import MigrationCore

/// The whole-file pass: verdicts, cross-record duplicates after normalisation, edits, CSV.
final class ValidationPassTests: XCTestCase {
    private let hash = "$2a$10$" + String(repeating: "a", count: 53)

    private func workspace(_ ndjson: [String], identifier: ImportIdentifier = .email, upsert: Bool = false) throws -> SourceWorkspace {
        let path = TestFiles.write(ndjson.joined(separator: "\n") + "\n", name: "users.ndjson")
        let index = try RecordIndex.open(path: path)
        XCTAssertNil(index.finish())
        return SourceWorkspace(index: index, settings: ValidationSettings(identifier: identifier, upsert: upsert))
    }

    func testCountsAndVerdicts() throws {
        let w = try workspace([
            #"{"email": "a@example.com"}"#,
            #"{"email": "not-an-email"}"#,
            #"{"email": "c@example.com", "disabled": false}"#,
            #"[1]"#,
        ])
        let r = w.validate()
        XCTAssertEqual(r.recordCount, 4)
        XCTAssertEqual(r.status, [.valid, .errors, .warnings, .errors])
        XCTAssertEqual(r.validCount, 2)
        XCTAssertEqual(r.errorCount, 2)
        XCTAssertEqual(r.warningCount, 1)
        XCTAssertEqual(r.totals(), ValidationReport.Totals(valid: 1, warnings: 1, errors: 2, excluded: 0))
        XCTAssertEqual(r.issues[1]?.first?.rule, "format.email")
        XCTAssertEqual(r.issues[3]?.first?.rule, "record.not_object")
        XCTAssertEqual(r.issues[2]?.first?.message, "disabled = false has no effect in insert.")
        XCTAssertEqual(Int(r.recordSizes[0]), #"{"email":"a@example.com"}"#.utf8.count)
    }

    func testDuplicateIdentifiersAfterNormalisationAreReportedOnEveryRecord() throws {
        let w = try workspace([
            #"{"email": "alice@example.com"}"#,
            #"{"email": "bob@example.com"}"#,
            #"{"email": "Alice@EXAMPLE.com"}"#,
            #"{"email": " alice@example.com "}"#,
        ])
        let r = w.validate()
        for n in [0, 2, 3] {
            let dup = r.issues[n]?.filter { $0.rule == "duplicate_identifier" } ?? []
            XCTAssertEqual(dup.count, 1, "record \(n): \(r.issues[n] ?? [])")
            XCTAssertEqual(dup.first?.pointer, "/email")
            // The server creates the first record's user; only the later ones fail.
            XCTAssertEqual(dup.first?.severity, n == 0 ? .warning : .error, "record \(n)")
            XCTAssertEqual(r.status[n], n == 0 ? .warnings : .errors, "record \(n)")
        }
        XCTAssertTrue(r.issues[0]!.first { $0.rule == "duplicate_identifier" }!.message.contains("record 2, 3"))
        XCTAssertTrue(r.issues[3]!.first { $0.rule == "duplicate_identifier" }!.message.contains("record 0, whose user the server creates first (and by record 2)"),
                      r.issues[3]!.map(\.message).joined())
        XCTAssertEqual(r.status[1], .valid)
        XCTAssertEqual(r.countsByRule().map { "\($0.severity) \($0.rule) \($0.count)" }.sorted(),
                       ["error duplicate_identifier 2", "warning duplicate_identifier 1", "warning identifier_not_normalized 2"])
    }

    func testCaseSensitiveProjectKeepsDifferentCasingApart() throws {
        let w = try workspace([#"{"email": "alice@example.com"}"#, #"{"email": "Alice@example.com"}"#])
        w.settings.project.email.caseSensitive = true
        let r = w.validate()
        XCTAssertNil(r.issues[0])
        XCTAssertNil(r.issues[1])
    }

    func testDuplicateOtherLoginIDs() throws {
        let w = try workspace([
            #"{"preferred_username": "alice", "email": "same@example.com"}"#,
            #"{"preferred_username": "bob", "email": "SAME@example.com"}"#,
        ], identifier: .preferredUsername)
        let r = w.validate()
        XCTAssertEqual(r.issues[0]?.map(\.rule), ["duplicate_login_id"])
        XCTAssertEqual(r.issues[1]?.map(\.rule), ["duplicate_login_id"])
        XCTAssertEqual(r.issues[0]?.first?.severity, .warning)
        XCTAssertEqual(r.issues[1]?.first?.severity, .error)
        XCTAssertEqual(r.issues[1]?.first?.pointer, "/email")
        XCTAssertEqual(r.status, [.warnings, .errors])
    }

    /// A record with errors of its own is never created, so it takes no login ID: the next
    /// member comes first. A record that loses one login ID takes none of its others either.
    func testTheFirstIsTheFirstRecordTheServerCanCreate() throws {
        let w = try workspace([
            #"{"email": "a@example.com", "name": ""}"#,                          // own error
            #"{"email": "A@example.com", "phone_number": "+85261234567"}"#,       // first for a@
            #"{"email": "a@example.com"}"#,                                       // later
            #"{"email": "c@example.com", "phone_number": "+85261234567"}"#,       // later for the phone
            #"{"email": "c@example.com"}"#,                                       // first for c@: 3 failed
        ])
        let r = w.validate()
        func severities(_ n: Int) -> [String] {
            (r.issues[n] ?? []).filter(ValidationPass.isDuplicateFinding).map { "\($0.severity) \($0.pointer)" }
        }
        XCTAssertEqual(severities(0), ["error /email"])
        XCTAssertEqual(severities(1), ["warning /email", "warning /phone_number"])
        XCTAssertEqual(severities(2), ["error /email"])
        XCTAssertEqual(severities(3), ["error /email", "error /phone_number"])
        XCTAssertEqual(severities(4), ["warning /email"])
        XCTAssertEqual(r.status, [.errors, .warnings, .errors, .errors, .warnings])
    }

    /// Editing the first so that it no longer collides makes the next member the first;
    /// excluding it does too; undoing puts it back.
    func testEditingOrExcludingTheFirstMakesTheNextMemberFirst() throws {
        let w = try workspace([
            #"{"email": "a@example.com"}"#,
            #"{"email": "b@example.com"}"#,
            #"{"email": "A@example.com"}"#,
            #"{"email": "a@example.com"}"#,
        ])
        w.validate()
        func severity(_ n: Int) -> Issue.Severity? { w.report!.issues[n]?.first(where: ValidationPass.isDuplicateFinding)?.severity }
        XCTAssertEqual([0, 1, 2, 3].map(severity), [.warning, nil, .error, .error])
        w.edit { $0.replace(0, with: .obj(["email": .string("z@example.com")])) }
        XCTAssertEqual([0, 1, 2, 3].map(severity), [nil, nil, .warning, .error])
        XCTAssertEqual(w.report!.status, [.valid, .valid, .warnings, .errors])
        w.edit { $0.exclude(2) }
        XCTAssertEqual([0, 1, 2, 3].map(severity), [nil, nil, nil, nil])
        XCTAssertEqual(w.report!.status, [.valid, .valid, .excluded, .valid])
        w.edit { _ = $0.undo() }
        w.edit { _ = $0.undo() }
        XCTAssertEqual([0, 1, 2, 3].map(severity), [.warning, nil, .error, .error])
        XCTAssertEqual(w.report!.status, [.warnings, .valid, .errors, .errors])
        // A first that gets an error of its own hands its place to the next member.
        w.edit { $0.replace(0, with: .obj(["email": .string("a@example.com"), "name": .string("")])) }
        XCTAssertEqual([0, 1, 2, 3].map(severity), [.error, nil, .warning, .error])
    }

    func testPhoneDuplicatesCompareE164() throws {
        let w = try workspace([
            #"{"phone_number": "+85261234567"}"#,
            #"{"phone_number": "+85261234567", "name": "again"}"#,
        ], identifier: .phoneNumber)
        let r = w.validate()
        XCTAssertEqual(r.issues[0]?.map(\.rule), ["duplicate_identifier"])
    }

    private func sendable(_ w: SourceWorkspace) -> [Int] {
        let r = w.report!
        return (0..<r.recordCount).filter { r.isSendable($0) }
    }

    func testEditRevalidatesAtOnceAndExclusionLeavesThePlan() throws {
        let w = try workspace([#"{"email": "broken"}"#, #"{"email": "b@example.com"}"#])
        w.validate()
        XCTAssertEqual(w.report?.status[0], .errors)
        w.edit { $0.replace(0, with: .obj(["email": .string("fixed@example.com")])) }
        XCTAssertEqual(w.report?.status[0], .valid)
        XCTAssertEqual(sendable(w), [0, 1])
        w.edit { $0.exclude(1) }
        XCTAssertEqual(w.report?.status[1], .excluded)
        XCTAssertEqual(sendable(w), [0])
        w.edit { _ = $0.undo() }
        XCTAssertEqual(w.report?.status[1], .valid)
        w.edit { _ = $0.undo() }
        XCTAssertEqual(w.report?.status[0], .errors)
    }

    func testEditsFindDuplicatesAgainOnEveryRecordInvolved() throws {
        let w = try workspace([
            #"{"email": "alice@example.com"}"#,
            #"{"email": "bob@example.com", "phone_number": "+85291234567"}"#,
            #"{"email": "ALICE@example.com"}"#,
            #"{"email": "carol@example.com"}"#,
        ])
        w.validate()
        func dup(_ n: Int) -> [String] { (w.report!.issues[n] ?? []).filter { $0.rule.hasPrefix("duplicate") }.map(\.message) }
        XCTAssertEqual(dup(0).count, 1)
        XCTAssertEqual(dup(2).count, 1)
        // Fixing one side of a pair clears the finding on the other side too.
        w.edit { $0.replace(2, with: .obj(["email": .string("alice2@example.com")])) }
        XCTAssertEqual(dup(0), [], "record 0 no longer shares its email")
        XCTAssertEqual(dup(2), [])
        XCTAssertEqual(w.report!.status[0], .valid)
        // An edit that creates a duplicate reports it on both records: the first is warned.
        w.edit { $0.replace(3, with: .obj(["email": .string("Bob@Example.com")])) }
        XCTAssertEqual(dup(1).count, 1)
        XCTAssertTrue(dup(3).first?.contains("record 1") ?? false, "\(dup(3))")
        XCTAssertEqual(w.report!.status[1], .warnings)
        XCTAssertEqual(w.report!.status[3], .errors)
        // A duplicate of another login ID (the phone) is found the same way; excluding a record ends it.
        w.edit { $0.replace(0, with: .obj(["email": .string("alice@example.com"), "phone_number": .string("+85291234567")])) }
        XCTAssertTrue(w.report!.issues[0]!.contains { $0.rule == "duplicate_login_id" && $0.severity == .warning })
        XCTAssertTrue(w.report!.issues[1]!.contains { $0.rule == "duplicate_login_id" && $0.severity == .error })
        XCTAssertEqual(w.report!.status[1], .errors)
        w.edit { $0.exclude(0) }
        XCTAssertFalse((w.report!.issues[1] ?? []).contains { $0.rule == "duplicate_login_id" })
        XCTAssertEqual(dup(1).count, 1, "the email duplicate with record 3 stays")
        XCTAssertEqual(w.report!.status[1], .warnings)
    }

    func testPlanLeavesOutInvalidRecordsAndMapsPositions() throws {
        var lines: [String] = []
        for i in 0..<250 { lines.append(i % 50 == 7 ? #"{"email": 5}"# : #"{"email": "u\#(i)@example.com"}"#) }
        let w = try workspace(lines)
        let r = w.validate()
        let plan = BatchPlanner(identifier: .email, upsert: false, maxRecords: 100)
            .plan(records: (0..<r.recordCount).filter { r.isSendable($0) }, size: { Int(r.recordSizes[$0]) })
        XCTAssertEqual(plan.recordCount, 245)
        XCTAssertEqual(plan.batches.map(\.records.count), [100, 100, 45])
        XCTAssertFalse(plan.batches.flatMap(\.records).contains(7))
        XCTAssertEqual(plan.batches[1].records.first, 102)
    }

    func testCSVSourceValidatesMappedRecords() throws {
        let csv = "email,email_verified,password_hash,roles\r\na@example.com,TRUE,\(hash),role_a;role_b\r\nb@example.com,maybe,,\r\n"
        let path = TestFiles.write(csv, name: "users.csv")
        let index = try RecordIndex.open(path: path)
        XCTAssertEqual(index.format, .csv)
        XCTAssertNil(index.finish())
        let w = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
        let r = w.validate()
        XCTAssertEqual(r.status, [.valid, .errors])
        XCTAssertEqual(r.issues[1]?.first?.pointer, "/email_verified")
        guard case .success(let first) = index.loadRecord(0) else { return XCTFail("record 0 did not load") }
        XCTAssertEqual(first["password"]?["type"], .string("bcrypt"))
        XCTAssertEqual(first["roles"], .array([.string("role_a"), .string("role_b")]))
    }

    /// A quote inside an unquoted CSV field is kept as a character and warned about once per
    /// row (on the fast path and on the full validator's path alike), never an error.
    func testCSVQuoteInsideAnUnquotedFieldIsKeptWithOneWarning() throws {
        let csv = "# users\nemail,name,nickname\na@example.com,5\" 2' tall,x\"y\nb@example.com,\"Bob\",\nc@example.com,C\" ,\"\"\nd@example.com,\"\",\"x\"\n"
        let path = TestFiles.write(csv, name: "users.csv")
        let index = try RecordIndex.open(path: path)
        XCTAssertNil(index.finish())
        let r = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email)).validate()
        XCTAssertEqual(r.status, [.warnings, .valid, .warnings, .valid])
        let warning = r.issues[0]?.filter { $0.rule == "csv.quote_in_unquoted_field" } ?? []
        XCTAssertEqual(warning.count, 1)
        XCTAssertEqual(warning.first?.pointer, "/name")
        XCTAssertEqual(warning.first?.severity, .warning)
        XCTAssertTrue(warning.first?.message.hasPrefix("line 3, column 16: a quote inside the unquoted field of CSV column 2 (\"name\")") ?? false, warning.first?.message ?? "")
        XCTAssertEqual(r.issues[2]?.map(\.rule), ["csv.quote_in_unquoted_field"])
        guard case .success(let first) = index.loadRecord(0) else { return XCTFail("row 0 does not load") }
        XCTAssertEqual(first["name"], .string("5\" 2' tall"))
        XCTAssertEqual(first["nickname"], .string("x\"y"))
        XCTAssertEqual(Int(index.span(0).line), 3)
    }

    func testCancellationStopsEarly() throws {
        let w = try workspace((0..<20_000).map { #"{"email": "u\#($0)@example.com"}"# })
        let r = w.validate(shouldContinue: { false })
        XCTAssertLessThan(r.recordCount, 20_000)
    }
}
