import AuthgearAPI
import MigrationCore
@testable import MigrationEngine
import XCTest

/// The compact per-record state of verify, and what it learns about custom attributes.
final class VerifyEntriesTests: XCTestCase {
    func testUUIDsAreKeptAsTwoWordsAndRoundTripOthersAsText() throws {
        let uuid = "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3b"
        let ref = try XCTUnwrap(UserRef(uuid: uuid))
        XCTAssertEqual(ref.uuidString, uuid)
        XCTAssertNil(UserRef(uuid: "6C1C0D3E-9A43-4C8A-9F9F-0D8D0C1F2A3B"), "only the server's lower-case form")
        XCTAssertNil(UserRef(uuid: "6c1c0d3e-9a43-4c8a-9f9f-0d8d0c1f2a3"))
        XCTAssertNil(UserRef(uuid: "6c1c0d3e+9a43-4c8a-9f9f-0d8d0c1f2a3b"))

        var entries = VerifyEntries(count: 5)
        entries.set(0, outcome: .inserted, userID: uuid)
        entries.set(1, outcome: .skipped, userID: "u1")
        entries.set(2, outcome: .failed, userID: nil)
        entries.setWithoutResult(3, state: 7)
        entries.set(4, outcome: .other("weird"), userID: "6c1c0d3e-0000-4c8a-9f9f-0d8d0c1f2a3b")
        entries.index()
        XCTAssertEqual(entries.userID(0), uuid)
        XCTAssertEqual(entries.userID(1), "u1")
        XCTAssertNil(entries.userID(2))
        XCTAssertEqual((0..<5).map { entries.state($0) }, ["inserted", "skipped", "failed", "excluded", "unknown outcome"])
        XCTAssertEqual(entries.outcome(1), .skipped)
        XCTAssertNil(entries.outcome(4))
        XCTAssertEqual(entries.record(userID: uuid), 0)
        XCTAssertEqual(entries.record(userID: "u1"), 1)
        XCTAssertNil(entries.record(userID: "6c1c0d3e-0000-4c8a-9f9f-0d8d0c1f2a3b"), "only successful outcomes are found by user_id")
    }

    func testAnAttributeIsDefinedOnceAUserHoldsItAndWaitingRecordsAreDecidedAtTheEnd() {
        var evidence = CustomAttributeEvidence()
        evidence.wait(0, names: ["plan", "member_id"], mismatched: false)
        evidence.wait(1, names: ["member_id"], mismatched: true)
        evidence.observe(ProjectUser(id: "u2", customAttributes: ["plan": .string("pro")]))
        XCTAssertTrue(evidence.isDefined("plan"))
        XCTAssertFalse(evidence.isDefined("member_id"))
        let (missing, unseen) = evidence.decide()
        XCTAssertEqual(missing, [0: ["plan"]])
        XCTAssertEqual(unseen, ["member_id": 2])
        XCTAssertTrue(evidence.wasMismatched(1))
        XCTAssertFalse(evidence.wasMismatched(0))
    }

    func testUndecidedCustomAttributesAreNotDifferencesUntilTheProjectIsKnownToDefineThem() throws {
        let comparison = RecordComparison(identifier: .email, project: .default)
        let record = try JSONParser.parse(#"{"email":"ada@example.com","custom_attributes":{"plan":"pro","tier":"gold","gone":null}}"#)
        let user = ProjectUser(id: "u1", customAttributes: ["tier": .string("silver")], loginIDs: [.init(key: "email", type: "email", value: "ada@example.com")])
        var undecided: [String] = []
        let d = comparison.differences(record: record, outcome: .inserted, user: user, fully: true, customAttributeDefined: { _ in false }, undecided: &undecided)
        XCTAssertEqual(d, [FieldDifference(field: "custom_attributes.tier", sent: #""gold""#, found: #""silver""#)])
        XCTAssertEqual(undecided, ["plan"])
        undecided = []
        let known = comparison.differences(record: record, outcome: .inserted, user: user, fully: true, customAttributeDefined: { $0 == "plan" }, undecided: &undecided)
        XCTAssertEqual(known.map(\.field), ["custom_attributes.plan", "custom_attributes.tier"])
        XCTAssertEqual(undecided, [])
    }
}
