import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// Login-ID keys named otherwise than their type, and the original value kept beside the normalised one.
final class ProcessingLoginIDKeyTests: XCTestCase {
    func testSeedAcceptsAKeyNamedOtherThanItsTypeAndKeepsTheOriginalValue() throws {
        let project = try SandboxProject(json: ProcessingFixture.json(#"{"login_id_keys":[{"key":"work_email","type":"email","max_length":40},{"key":"username","type":"username"}]}"#))
        var store = UserStore()
        _ = ProcessingFixture.seed(#"{"users":[{"ref":"A","identities":[{"type":"login_id","key":"work_email","value":" Ada@Example.COM "},"#
                                   + #"{"type":"login_id","key":"username","value":"Ada_L"}]}]}"#, into: &store, project: project)
        let identities = try XCTUnwrap(ProcessingFixture.users(store)[0]["identities"]?.arrayValue)
        XCTAssertEqual(identities[0]["key"]?.stringValue, "work_email")
        XCTAssertEqual(identities[0]["login_id_type"]?.stringValue, "email")
        XCTAssertEqual(identities[0]["value"]?.stringValue, "ada@example.com")
        XCTAssertEqual(identities[0]["original_value"]?.stringValue, "Ada@Example.COM")
        XCTAssertEqual(identities[1]["original_value"]?.stringValue, "Ada_L")
        XCTAssertEqual(identities[1]["value"]?.stringValue, "ada_l")
        // The key keeps its own limits.
        XCTAssertThrowsError(try store.seed(ProcessingFixture.json(#"{"users":[{"ref":"B","identities":[{"type":"login_id","key":"work_email","value":"\#(String(repeating: "a", count: 40))@example.com"}]}]}"#),
                                            project: project, now: ProcessingFixture.now))
        // The export writes both values.
        let line = ExportRecord.writer.string(ExportRecord.make(store.users[0], project: project, now: ProcessingFixture.now))
        XCTAssertTrue(line.contains(#"{"key":"work_email","type":"email","value":"ada@example.com","original_value":"Ada@Example.COM"}"#), line)
    }

    func testImportKeepsTheOriginalValue() {
        var store = UserStore()
        XCTAssertEqual(ProcessingFixture.one(#"{"email":"Bob@EXAMPLE.com","preferred_username":"Bob_Lee"}"#, store: &store).outcome, "inserted")
        let identities = ProcessingFixture.users(store)[0]["identities"]!.arrayValue!
        XCTAssertEqual(identities.map { $0["original_value"]?.stringValue }, ["Bob@EXAMPLE.com", "Bob_Lee"])
        XCTAssertEqual(identities.map { $0["value"]?.stringValue }, ["bob@example.com", "bob_lee"])
    }
}
