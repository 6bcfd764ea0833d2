import XCTest
@testable import MigrationCore

/// Conditions in mapping documents: rows a preset skips (counted, named, never sent, keeping
/// their record numbers), entries that apply only when a test holds, and `only`.
final class MappingConditionTests: XCTestCase {
    static let hash = "$2a$10$" + String(repeating: "Q", count: 53)

    private func open(_ text: String, name: String = "export.txt", mapping: JSONValue? = nil) throws -> (RecordIndex, [String]) {
        let index = try RecordIndex.open(path: TestFiles.write(text, name: name), mapping: mapping)
        try index.waitUntilComplete()
        var records: [String] = []
        for n in 0..<index.count {
            var out: [UInt8] = []
            XCTAssertTrue(index.recordBytes(span: index.span(n), into: &out), "record \(n)")
            records.append(String(decoding: out, as: UTF8.self))
        }
        return (index, records)
    }

    private func pass(_ index: RecordIndex) -> ValidationPass {
        ValidationPass(index: index, settings: ValidationSettings(identifier: .email, upsert: false))
    }

    private func condition(_ text: String) throws -> MappingCondition {
        try MappingCondition.parse(try JSONParser.parse(text)) { CSVMappingError(key: nil, message: $0) }
    }

    // MARK: - Supabase: deleted and anonymous users

    func testSupabaseDeletedAndAnonymousRowsAreSkippedCountedAndKeepTheirNumbers() throws {
        let (index, _) = try open("""
            [{"instance_id":"0","id":"u-1","aud":"authenticated","email":"a@example.com","encrypted_password":"\(Self.hash)","deleted_at":null,"is_anonymous":false,"created_at":"2024-01-01 00:00:00+00"},
             {"instance_id":"0","id":"u-2","aud":"authenticated","email":"b@example.com","deleted_at":"2024-02-01 00:00:00+00","is_anonymous":false},
             {"instance_id":"0","id":"u-3","aud":"authenticated","email":null,"is_anonymous":true},
             {"instance_id":"0","id":"u-4","aud":"authenticated","email":"d@example.com","deleted_at":"2024-03-01 00:00:00+00"},
             {"instance_id":"0","id":"u-5","aud":"authenticated","email":"e@example.com","deleted_at":""}]
            """)
        XCTAssertEqual(index.format, .supabase)
        XCTAssertEqual(index.count, 5, "skipped rows keep their record numbers: they are records the import leaves out")
        let report = pass(index).run()
        XCTAssertEqual(report.status, [.valid, .excluded, .excluded, .excluded, .valid])
        XCTAssertEqual(report.errorCount, 0, "an anonymous user without an e-mail is not an error: it is not judged")
        XCTAssertEqual(report.notImported.reduce(0, +), 1, "what skipped rows hold is not counted as not imported")
        for n in 0..<index.count {
            XCTAssertEqual(pass(index).verdict(n).excluded, report.status[n] == .excluded, "the full verdict agrees with the pass, record \(n)")
        }
        let skipped = SkippedRows.find(index: index, report: report, edits: EditOverlay())
        XCTAssertEqual(skipped.records, [1, 2, 3])
        XCTAssertEqual(skipped.counts, [2, 1])
        XCTAssertEqual(skipped.firstRecords, [1, 2])
        XCTAssertEqual(skipped.summary, "3 rows skipped: deleted_at set (2), anonymous user (1)")
        XCTAssertEqual(Int(index.span(3).line), 4, "a skipped row's line is known")
        // Not written into an export, not sendable (the engine plans sendable records only).
        XCTAssertEqual((0..<index.count).filter(report.isSendable), [0, 4])
        let out = TestFiles.makeDirectory() + "/skipped-export.json"
        let written = try ImportDocumentWriter(index: index, edits: EditOverlay(), identifier: .email, upsert: false)
            .write(to: out, report: report) { _ in true }
        XCTAssertEqual(written, 2)
        let document = try JSONParser.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: out))))
        XCTAssertEqual(document["records"]?.arrayValue?.compactMap { $0["email"]?.stringValue }, ["a@example.com", "e@example.com"])
    }

    func testSupabaseCSVSkipsPostgresBooleansAndAnEditOverridesTheSkip() throws {
        let (index, _) = try open("""
            instance_id,id,aud,email,encrypted_password,deleted_at,is_anonymous
            0,u-1,authenticated,a@example.com,,,f
            0,u-2,authenticated,,,,t
            0,u-3,authenticated,c@example.com,,2024-01-01 00:00:00+00,false

            """, name: "users.csv")
        XCTAssertEqual(index.format, .supabase)
        var edits = EditOverlay()
        let report = pass(index).run()
        XCTAssertEqual(report.status, [.valid, .excluded, .excluded])
        XCTAssertEqual(SkippedRows.find(index: index, report: report, edits: edits).counts, [1, 1])
        // The operator may still send a skipped row: an edit is judged as that edit.
        edits.replace(2, with: .obj(["email": .string("c@example.com")]))
        let edited = ValidationPass(index: index, edits: edits, settings: ValidationSettings(identifier: .email, upsert: false)).run()
        XCTAssertEqual(edited.status, [.valid, .excluded, .valid])
        XCTAssertEqual(SkippedRows.find(index: index, report: edited, edits: edits).records, [1])
    }

    // MARK: - Conditions as data

    func testConditionsPresentAbsentEqualsContainsAndCombinations() throws {
        let record = try JSONParser.parse(#"{"a": "x", "b": null, "c": "", "n": 3, "t": true, "s": "LOCKED_OUT", "m": "jo@example.com", "list": [{"k": "v", "w": 1}]}"#)
        let cases: [(String, Bool)] = [
            (#"{"present": "/a"}"#, true), (#"{"present": "/b"}"#, false), (#"{"present": "/c"}"#, false), (#"{"present": "/zz"}"#, false),
            (#"{"absent": "/b"}"#, true), (#"{"absent": "/a"}"#, false),
            (#"{"equals": {"/t": true}}"#, true), (#"{"equals": {"/t": "true"}}"#, true), (#"{"equals": {"/n": 3}}"#, true),
            (#"{"equals": {"/s": ["SUSPENDED", "LOCKED_OUT"]}}"#, true), (#"{"equals": {"/s": "ACTIVE"}}"#, false),
            (#"{"equals": {"/a": "x", "/n": 4}}"#, false), (#"{"/a": "x"}"#, true),
            (#"{"contains": {"/m": "@"}}"#, true), (#"{"contains": {"/a": "@"}}"#, false),
            (#"{"not": {"contains": {"/m": "@"}}}"#, false),
            (#"{"any": [{"present": "/b"}, {"equals": {"/a": "x"}}]}"#, true),
            (#"{"all": [{"present": "/b"}, {"equals": {"/a": "x"}}]}"#, false),
            (#"{"equals": {"/list/[k=v]/w": 1}}"#, true),
        ]
        for (text, expected) in cases { XCTAssertEqual(try condition(text).holds(for: record), expected, text) }
    }

    func testBadConditionsAreErrorsThatSayWhatACondition() {
        for text in [#"{"present": 1}"#, #"{"equals": {"/a": null}}"#, #"{"is": "/a"}"#, #"{"present": "/a", "absent": "/b"}"#,
                     #"{"any": []}"#, #"{"present": "a"}"#, #"{"present": "/a/*"}"#, "[]"] {
            XCTAssertThrowsError(try condition(text), text) { error in
                XCTAssertTrue((error as? CSVMappingError)?.message.isEmpty == false, text)
            }
        }
        let mapping = try! JSONParser.parse(#"{"skip": {"gone": {"present": 3}}, "map": {"/mail": "email"}}"#)
        XCTAssertThrowsError(try RecordIndex.open(path: TestFiles.write("{\"mail\":\"a@example.com\"}\n"), mapping: mapping)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("skip") && text.contains("gone") && text.contains("takes a JSON pointer"), text)
        }
    }

    func testAUserWrittenMappingSkipsAndMapsWhen() throws {
        let mapping = try JSONParser.parse(#"""
            {"key": "/uid",
             "skip": {"closed account": {"any": [{"equals": {"/state": ["closed", "purged"]}}, {"present": "/closed_at"}]},
                      "test user": {"all": [{"contains": {"/mail": "+test"}}, {"absent": "/real"}]}},
             "map": {"/mail": {"field": "email", "transform": "lowercase"},
                     "/nick": {"field": "preferred_username", "when": {"not": {"contains": {"/nick": "@"}}}}}}
            """#)
        let (index, records) = try open("""
            {"uid":"1","mail":"A@example.com","nick":"ann"}
            {"uid":"2","mail":"b@example.com","state":"closed"}
            {"uid":"3","mail":"c+test@example.com"}
            {"uid":"4","mail":"d+test@example.com","real":true,"nick":"d@example.com"}
            {"uid":"5","mail":"e@example.com","closed_at":"2020-01-01"}

            """, mapping: mapping)
        XCTAssertEqual(records[0], #"{"email":"a@example.com","preferred_username":"ann"}"#)
        XCTAssertEqual(records[3], #"{"email":"d+test@example.com"}"#, "the entry applies only when its condition holds")
        let report = pass(index).run()
        let skipped = SkippedRows.find(index: index, report: report, edits: EditOverlay())
        XCTAssertEqual(skipped.records, [1, 2, 4])
        XCTAssertEqual(skipped.summary, "3 rows skipped: closed account (2), test user (1)")
    }

    func testOnlyTakesAConditionAndTheOldEqualityForm() throws {
        let text = """
            [{"model": "auth.group", "pk": 1, "fields": {"name": "staff"}},
             {"model": "auth.user", "pk": 7, "fields": {"email": "ada@example.com", "password": ""}},
             {"model": "accounts.user", "pk": 8, "fields": {"email": "bob@example.com"}}]
            """
        let (django, records) = try open(text)
        XCTAssertEqual(records, [#"{"email":"ada@example.com"}"#], "the preset's {\"/model\": \"auth.user\"}")
        let custom = try JSONParser.parse(#"{"only": {"equals": {"/model": ["auth.user", "accounts.user"]}}, "map": {"/fields/email": "email"}}"#)
        let (index, both) = try open(text, mapping: custom)
        XCTAssertEqual(both, [#"{"email":"ada@example.com"}"#, #"{"email":"bob@example.com"}"#])
        XCTAssertEqual(Int(index.span(1).line), 3, "elements left out by only get no record number")
        XCTAssertEqual(django.count, 1)
    }

    // MARK: - Okta's login, Keycloak's groups

    func testOktaLoginIsAUsernameOnlyWhenItIsNotAnEmail() throws {
        let (json, records) = try open("""
            [{"id": "00u1", "status": "ACTIVE", "profile": {"login": "mei@example.com", "email": "mei@example.com"}, "credentials": {"emails": []}},
             {"id": "00u2", "status": "ACTIVE", "profile": {"login": "jdoe", "email": "jd@example.com"}, "credentials": {"emails": []}}]
            """)
        XCTAssertEqual(json.presetName, "okta")
        XCTAssertEqual(records, [#"{"email":"mei@example.com"}"#, #"{"email":"jd@example.com","preferred_username":"jdoe"}"#])
        let report = pass(json).run()
        let labels = json.recordMapping!.notImportedLabels
        let login = try XCTUnwrap(labels.firstIndex { $0.hasPrefix("Okta logins that are e-mail addresses") })
        XCTAssertEqual(report.notImported[login], 1, "only the e-mail login is counted as not imported")
        let (csv, csvRecords) = try open("login,firstName,email\njdoe,Jo,jd@example.com\nann@example.com,Ann,ann@example.com\n", name: "okta.csv")
        XCTAssertEqual(csv.presetName, "okta-csv")
        XCTAssertEqual(csvRecords, [#"{"email":"jd@example.com","preferred_username":"jdoe","given_name":"Jo"}"#, #"{"email":"ann@example.com","given_name":"Ann"}"#])
    }

    func testKeycloakGroupPathsBecomeGroupKeys() throws {
        let (index, records) = try open(#"""
            {"realm": "demo", "users": [
              {"id": "k-1", "username": "lee", "email": "lee@example.com", "credentials": [],
               "groups": ["/staff", "/engineering/backend team", "/2024-hires"]}]}
            """#)
        XCTAssertEqual(index.format, .keycloak)
        XCTAssertEqual(records, [#"{"email":"lee@example.com","preferred_username":"lee","groups":["staff","engineering:backend_team","_2024_hires"]}"#])
        XCTAssertFalse(index.recordMapping!.notImportedLabels.contains { $0.hasPrefix("groups") }, "groups are carried, not reported as lost")
        XCTAssertEqual(GroupKey.of(path: "/a/b/c"), "a:b:c")
        XCTAssertEqual(GroupKey.of(path: "/Ünïcode"), "_n_code")
        XCTAssertEqual(GroupKey.of(path: "/"), "")
    }
}
