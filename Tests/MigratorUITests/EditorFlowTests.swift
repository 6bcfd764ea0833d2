import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

final class EditorFlowTests: XCTestCase {
    func testOpeningAnInvalidRecordSelectsTheFieldAtFault() throws {
        var s = try Fixture.state()
        press(&s, .char("j"), .char("j"), .char("j"), .enter)
        XCTAssertEqual(s.screen, .editor)
        XCTAssertEqual(s.editor.record, 3)
        let rows = EditorUpdate.rows(s)
        XCTAssertEqual(rows[s.editor.selected].pointer.description, "/email_verified")
    }

    func testEditingAStringFieldSendsTheTextAsAString() throws {
        var s = try Fixture.state()
        press(&s, .char("j"), .enter)
        XCTAssertEqual(s.editor.record, 1)
        press(&s, .enter)
        guard let prompt = s.prompt, case .editValue(let pointer, let asString) = prompt.kind else { return XCTFail() }
        XCTAssertEqual(pointer, "/email")
        XCTAssertTrue(asString)
        XCTAssertEqual(prompt.text.text, "grace.example.com", "starts from the current value")
        press(&s, .ctrl("u"))
        type(&s, "grace@example.com")
        XCTAssertEqual(press(&s, .enter), [.edit(.set(record: 1, pointer: "/email", value: .string("grace@example.com")))])
    }

    func testJSONEditingChangesTheTypeAndRefusesInvalidJSON() throws {
        var s = try Fixture.state()
        press(&s, .char("j"), .char("j"), .char("j"), .enter)   // record 3, /email_verified selected
        press(&s, .char("J"))
        XCTAssertEqual(s.prompt?.text.text, "\"yes\"")
        press(&s, .ctrl("u"))
        type(&s, "yes")
        XCTAssertEqual(press(&s, .enter), [])
        XCTAssertNotNil(s.prompt, "the prompt stays open on invalid JSON")
        XCTAssertEqual(s.status?.kind, .error)
        press(&s, .ctrl("u"))
        type(&s, "true")
        XCTAssertEqual(press(&s, .enter), [.edit(.set(record: 3, pointer: "/email_verified", value: .bool(true)))])
    }

    func testAddDeleteAndExcludeAreEffects() throws {
        var s = try Fixture.state()
        press(&s, .enter)
        press(&s, .char("a"))
        type(&s, "custom_attributes.tier=\"gold\"")
        XCTAssertEqual(press(&s, .enter), [.edit(.set(record: 0, pointer: "/custom_attributes/tier", value: .string("gold")))])
        press(&s, .char("a"))
        type(&s, "given_name=Ada")
        XCTAssertEqual(press(&s, .enter), [.edit(.set(record: 0, pointer: "/given_name", value: .string("Ada")))], "a bare word is a string")
        XCTAssertEqual(press(&s, .char("d")), [.edit(.set(record: 0, pointer: "/email", value: nil))])
        XCTAssertEqual(press(&s, .char("x")), [.edit(.exclude(0))])
    }

    func testSecretsCannotBeEditedUntilRevealed() throws {
        var s = try Fixture.state()
        press(&s, .enter)
        let rows = EditorUpdate.rows(s)
        s.editor.selected = rows.firstIndex { $0.pointer.description == "/password/password_hash" }!
        press(&s, .enter)
        XCTAssertNil(s.prompt)
        XCTAssertEqual(s.status?.kind, .error)
        press(&s, .char("S"))
        press(&s, .enter)
        XCTAssertEqual(s.prompt?.text.text, Fixture.hash)
    }

    func testEditsAreAppliedRevalidatedAndPersisted() throws {
        let session = try Fixture.session()
        XCTAssertEqual(session.status(1), .errors)
        try session.edit { $0.replace(1, with: .obj(["email": .string("grace@example.com"), "name": .string("Grace Hopper")])) }
        XCTAssertEqual(session.status(1), .valid, "re-validated at once")
        XCTAssertTrue(session.isEdited(1))
        let reloaded = try EditStore(path: session.editsPath).load(for: session.index.file)
        XCTAssertEqual(reloaded[1], session.workspace.edits[1], "saved to the edits file")
    }

    func testNextAndPreviousRecordFollowTheTable() throws {
        var s = try Fixture.state()
        press(&s, .enter, .char("]"), .char("]"))
        XCTAssertEqual(s.editor.record, 2)
        XCTAssertEqual(s.records.cursor, 2)
        press(&s, .char("["))
        XCTAssertEqual(s.editor.record, 1)
        press(&s, .escape)
        XCTAssertEqual(s.screen, .records)
    }
}
