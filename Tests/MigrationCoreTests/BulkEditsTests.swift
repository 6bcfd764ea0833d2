import Foundation
import XCTest
@testable import MigrationCore

/// Bulk operations (`BulkOperation`, `BulkPlan`), the E.164 transform, and the edits file a
/// reviewer reads and `--edits` applies (`EditsFile`, `EditsApplication`).
final class BulkEditsTests: XCTestCase {
    func open(_ records: [String]) throws -> RecordIndex {
        let index = try RecordIndex.open(path: TestFiles.write("[\n" + records.joined(separator: ",\n") + "\n]\n"))
        try index.waitUntilComplete()
        return index
    }

    func testPhoneNumbersToE164WithADefaultRegion() {
        XCTAssertEqual(PhoneNumbers.e164("020 7946 0958", defaultRegion: "GB"), "+442079460958", "the national prefix 0 goes")
        XCTAssertEqual(PhoneNumbers.e164("+44 (0)20-7946-0958".replacingOccurrences(of: "(0)", with: ""), defaultRegion: "US"), "+442079460958")
        XCTAssertEqual(PhoneNumbers.e164("0044 20 7946 0958", defaultRegion: "JP"), "+442079460958", "00 is an international prefix")
        XCTAssertEqual(PhoneNumbers.e164("03-1234-5678", defaultRegion: "jp"), "+81312345678")
        XCTAssertEqual(PhoneNumbers.e164("+81312345678", defaultRegion: "GB"), "+81312345678")
        XCTAssertNil(PhoneNumbers.e164("12", defaultRegion: "GB"), "too short for any number")
        XCTAssertNil(PhoneNumbers.e164("call me", defaultRegion: "GB"))
        XCTAssertNil(PhoneNumbers.e164("020 7946 0958", defaultRegion: "ZZ"), "no such region")
        XCTAssertTrue(PhoneNumbers.isKnownRegion("gb"))
        XCTAssertFalse(PhoneNumbers.isKnownRegion("ZZ"))
    }

    func testOperationsChangeOnlyWhatTheyApplyTo() throws {
        let r = try JSONParser.parse(#"{"email":" Bob@Example.COM ","name":" Bob ","custom_attributes":{"tier":" gold"}}"#)
        let email = JSONPointer(tokens: ["email"])
        func after(_ op: BulkOperation, _ current: EditOverlay.Change? = nil) -> JSONValue? {
            if case .replaced(let v)? = op.applied(to: current, record: r) { return v }
            return nil
        }
        XCTAssertEqual(after(.lowercase(email))?["email"], .string(" bob@example.com "))
        XCTAssertEqual(after(.trim(email))?["email"], .string("Bob@Example.COM"))
        XCTAssertEqual(after(.trim(email))?["name"], .string(" Bob "), "only the field")
        XCTAssertEqual(after(.trim(nil))?["custom_attributes"]?["tier"], .string("gold"), "every string, nested too")
        XCTAssertEqual(after(.set(JSONPointer(tokens: ["address", "country"]), .string("JP")))?["address"]?["country"], .string("JP"))
        XCTAssertNil(after(.delete(JSONPointer(tokens: ["phone_number"]))), "no such field: unchanged")
        XCTAssertNil(after(.phoneE164(JSONPointer(tokens: ["phone_number"]), region: "GB")), "no phone: unchanged")
        XCTAssertEqual(BulkOperation.exclude.applied(to: nil, record: r), .excluded)
        XCTAssertEqual(BulkOperation.include.applied(to: .excluded, record: r), nil)
        XCTAssertEqual(BulkOperation.lowercase(email).applied(to: .excluded, record: r), .excluded, "an excluded record is left alone")
        XCTAssertEqual(JSONPointer(fieldPath: "address.country"), JSONPointer(tokens: ["address", "country"]))
        XCTAssertEqual(JSONPointer(fieldPath: "/custom_attributes/tier"), JSONPointer(tokens: ["custom_attributes", "tier"]))
        XCTAssertNil(JSONPointer(fieldPath: "a..b"))
        XCTAssertNil(JSONPointer(fieldPath: ""))
    }

    /// The preview counts the records that change and re-validates them: lowercasing fixes the
    /// duplicate e-mail addresses that differ only in case, and makes no record invalid.
    func testAPlanCountsChangesAndRevalidatesOnACopy() throws {
        let index = try open([#"{"email":"ann@example.com"}"#, #"{"email":"ANN@example.com"}"#, #"{"email":"bob@example.com","phone_number":"020 7946 0958"}"#,
                              #"{"email":"not-an-email"}"#])
        let settings = ValidationSettings(identifier: .email)
        let workspace = SourceWorkspace(index: index, settings: settings)
        let report = workspace.validate()
        XCTAssertEqual(report.status[3], .errors)
        let phone = try XCTUnwrap(BulkPlan.compute(.phoneE164(JSONPointer(tokens: ["phone_number"]), region: "GB"), records: IndexSet(0..<4),
                                                   index: index, edits: workspace.edits, settings: settings, report: report))
        XCTAssertEqual(phone.counts.targeted, 4)
        XCTAssertEqual(phone.counts.changed, 1)
        XCTAssertEqual(phone.targets[2], .replaced(try JSONParser.parse(#"{"email":"bob@example.com","phone_number":"+442079460958"}"#)))
        let before = report.status[2]
        let setBad = try XCTUnwrap(BulkPlan.compute(.set(JSONPointer(tokens: ["email"]), .string("x")), records: IndexSet([2]),
                                                    index: index, edits: workspace.edits, settings: settings, report: report))
        XCTAssertEqual(setBad.counts.becomeInvalid, before == .errors ? 0 : 1)
        XCTAssertEqual(setBad.counts.stillInvalid, before == .errors ? 1 : 0)
        XCTAssertEqual(workspace.report?.status[2], before, "the workspace's report is not touched by a preview")
        let fix = try XCTUnwrap(BulkPlan.compute(.set(JSONPointer(tokens: ["email"]), .string("dan@example.com")), records: IndexSet([3]),
                                                 index: index, edits: workspace.edits, settings: settings, report: report))
        XCTAssertEqual(fix.counts.changed, 1)
        XCTAssertEqual(fix.counts.becomeValid, 1)
        XCTAssertEqual(fix.counts.invalidBefore - fix.counts.invalidAfter, 1)
    }

    // MARK: - The edits file

    func write(_ doc: JSONValue) -> String {
        let path = TestFiles.makeDirectory() + "/reviewed.edits.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(PrettyJSON.text(doc)))
        return path
    }

    func testExportedEditsApplyToTheSameSource() throws {
        let index = try open([#"{"email":"Ann@Example.com","name":"Ann"}"#, #"{"email":"bob@example.com","phone_number":"12"}"#, #"{"email":"spam@example.com"}"#])
        var o = EditOverlay()
        o.replace(0, with: try JSONParser.parse(#"{"email":"ann@example.com","name":"Ann","given_name":"Ann"}"#))
        o.replace(1, with: try JSONParser.parse(#"{"email":"bob@example.com"}"#))
        o.exclude(2)
        let doc = EditsFile.document(o, index: index, identifier: "email")
        let entries = try XCTUnwrap(doc["edits"]?.arrayValue)
        XCTAssertEqual(entries[0]["key"]?["value"], .string("Ann@Example.com"), "the key is the source's value")
        XCTAssertEqual(entries[0]["changes"]?.arrayValue?.count, 2, "email changed, given_name added")
        XCTAssertEqual(entries[1]["changes"]?.arrayValue?.first?["delete"], .bool(true))
        XCTAssertEqual(entries[2]["exclude"], .bool(true))
        let path = write(doc)
        XCTAssertEqual(try EditsFile.load(path: path, index: index), o)
    }

    /// The source was re-exported with a record added in front: every edit follows its record by key.
    func testEditsFollowTheirRecordsByKeyInAChangedSource() throws {
        let first = try open([#"{"email":"Ann@Example.com"}"#, #"{"email":"spam@example.com"}"#])
        var o = EditOverlay()
        o.replace(0, with: try JSONParser.parse(#"{"email":"ann@example.com"}"#))
        o.exclude(1)
        let path = write(EditsFile.document(o, index: first, identifier: "email"))
        let second = try open([#"{"email":"new@example.com"}"#, #"{"email":"Ann@Example.com"}"#, #"{"email":"spam@example.com"}"#])
        let applied = try EditsFile.load(path: path, index: second)
        XCTAssertEqual(applied.changes, [1: .replaced(try JSONParser.parse(#"{"email":"ann@example.com"}"#)), 2: .excluded])
    }

    func testAnEditThatNoLongerAppliesNamesTheFileTheEntryAndTheRecord() throws {
        let first = try open([#"{"email":"ann@example.com","name":"Ann"}"#, #"{"email":"bob@example.com"}"#])
        var o = EditOverlay()
        o.replace(1, with: try JSONParser.parse(#"{"email":"bob@example.com","name":"Robert"}"#))
        o.replace(0, with: try JSONParser.parse(#"{"email":"ann@example.com","name":"Anne"}"#))
        let path = write(EditsFile.document(o, index: first, identifier: "email"))
        // Ann's name changed in the source; Bob is gone.
        let changed = try open([#"{"email":"ann@example.com","name":"Annie"}"#])
        XCTAssertThrowsError(try EditsFile.load(path: path, index: changed)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.hasPrefix(path + ": entry #0 (record 0, line 2, /email = \"ann@example.com\"), change #0: /name is now \"Annie\""), text)
            XCTAssertTrue(text.contains("the edit expected \"Ann\""), text)
        }
        let gone = try open([#"{"email":"ann@example.com","name":"Ann"}"#])
        XCTAssertThrowsError(try EditsFile.load(path: path, index: gone)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("entry #1 (record 1, /email = \"bob@example.com\"): no record of the source has /email = \"bob@example.com\" any more (it was record 1)"), text)
        }
    }

    func testHandWrittenEntriesWithoutAKeyNeedTheSameSourceOrOldValues() throws {
        let index = try open([#"{"email":"ann@example.com"}"#, #"{"email":"bob@example.com"}"#])
        let byNumber = write(try JSONParser.parse(#"{"format":"authgear-migrate edits","version":1,"edits":[{"record":1,"exclude":true}]}"#))
        XCTAssertThrowsError(try EditsFile.load(path: byNumber, index: index)) { error in
            XCTAssertTrue("\(error)".contains("entry #0 (record 1, line 3): has no \"key\" and it names no source fingerprint"), "\(error)")
        }
        let checked = write(try JSONParser.parse(#"{"format":"authgear-migrate edits","version":1,"edits":[{"record":1,"changes":[{"field":"email","old":"bob@example.com","new":"rob@example.com"}]}]}"#))
        XCTAssertEqual(try EditsFile.load(path: checked, index: index).changes, [1: .replaced(try JSONParser.parse(#"{"email":"rob@example.com"}"#))])
        let twice = write(try JSONParser.parse(#"{"format":"authgear-migrate edits","version":1,"edits":[{"key":{"field":"email","value":"ann@example.com"},"exclude":true},{"record":0,"changes":[{"field":"/email","old":"ann@example.com","delete":true}]}]}"#))
        XCTAssertThrowsError(try EditsFile.load(path: twice, index: index)) { error in
            XCTAssertTrue("\(error)".contains("entry #1 (record 0, line 2): entry #0 edits the same record"), "\(error)")
        }
    }

    func testSecretOldValuesAreNotWritten() throws {
        let hash = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"
        let index = try open([#"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"\#(hash)"}}"#])
        var o = EditOverlay()
        o.replace(0, with: try JSONParser.parse(#"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"$2a$10$new"}}"#))
        let text = String(decoding: PrettyJSON.text(EditsFile.document(o, index: index, identifier: "email")), as: UTF8.self)
        XCTAssertFalse(text.contains(hash), text)
        XCTAssertTrue(text.contains("$2a$10$new"), "the new value is needed to apply the edit")
    }
}
