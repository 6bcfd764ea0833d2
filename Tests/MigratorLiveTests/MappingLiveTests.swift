import Foundation
import XCTest
import MigrationCore
@testable import MigratorLive
import MigratorUI

/// The mapping step's effects on real files: previews of a CSV and of a Firebase export
/// through edited rows, the mapping saved where the headless commands read it, and a typed
/// path that is no source refused with what it is.
final class MappingLiveTests: LiveEffectsTestCase {
    func mappingStep(_ live: LiveEffects, _ path: String) throws -> [MappingState.Column] {
        let mailbox = Mailbox()
        live.perform(.openSource(path: path, mappingPath: nil), state: AppState(), mailbox: mailbox)
        let posted = messages(mailbox) { $0.contains { if case .mappingNeeded = $0 { return true }; return false } }
        for m in posted { if case .mappingNeeded(_, let columns) = m { return columns } }
        XCTFail("no mapping step: \(posted)")
        return []
    }

    func testACSVColumnSkippedOrTypedIsPreviewedAndSavedWhereValidateReadsIt() throws {
        let path = try write("legacy.csv", "email,name,Age\nada@example.com,Ada,36\n")
        let live = handler()
        var columns = try mappingStep(live, path)
        XCTAssertEqual(columns.map(\.field), ["email", "name", nil])
        // As the mapping step leaves them (MappingStepTests drives the keys): name skipped, Age
        // mapped to a custom attribute typed integer.
        columns[1].field = nil
        columns[2].field = "custom_attributes.age"
        columns[2].entry = MappingConversion.type(.integer).applied(to: nil, field: "custom_attributes.age")
        XCTAssertEqual(LiveEffects.preview(path: path, columns: columns).rows,
                       [.record(.obj(["email": .string("ada@example.com"), "custom_attributes": .obj(["age": .number("36")])]))],
                       "a skipped column is not mapped (to its header's name or anything)")
        let mailbox = Mailbox()
        live.perform(.applyMapping(path: path, columns: columns), state: AppState(), mailbox: mailbox)
        let opened = messages(mailbox) { $0.contains { if case .sourceOpened = $0 { return true }; return false } }
        guard case .sourceOpened(let box)? = opened.first(where: { if case .sourceOpened = $0 { return true }; return false }) else {
            return XCTFail("not opened: \(opened)")
        }
        XCTAssertEqual(box.session.mappingPath, SavedMapping.path(forSource: path), "the TUI saves where the headless commands look")
        let saved = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: SavedMapping.path(forSource: path)))))
        XCTAssertEqual(saved, .obj(["email": .string("email"), "name": .obj(["skip": .bool(true)]),
                                    "Age": .obj(["field": .string("custom_attributes.age"), "type": .string("integer")])]))
        XCTAssertEqual(SavedMapping.existing(forSource: path), SavedMapping.path(forSource: path))
    }

    func testAFirebaseExportsRowsAddedAndTransformedArePreviewedWithTheSourcePathsSeen() throws {
        let path = try write("firebase.json", #"""
        {"users": [
          {"localId": "u1", "email": "Kim@Example.com", "displayName": "Kim", "createdAt": "1700000000000",
           "passwordHash": "c2NyeXB0", "salt": "c2FsdA=="}
        ]}
        """#)
        let live = handler()
        var columns = try mappingStep(live, path)
        let preview = LiveEffects.preview(path: path, columns: columns)
        XCTAssertEqual(preview.sourcePaths, ["/localId", "/email", "/displayName", "/createdAt", "/passwordHash", "/salt"])
        columns.append(MappingState.Column(header: "/createdAt", field: "custom_attributes.signed_up",
                                           entry: MappingConversion.transform(.rfc3339).applied(to: nil, field: "custom_attributes.signed_up")))
        columns.removeAll { $0.header == "/displayName" }
        guard case .record(let record)? = LiveEffects.preview(path: path, columns: columns).rows.first else { return XCTFail("no record") }
        XCTAssertEqual(record, .obj(["email": .string("kim@example.com"), "custom_attributes": .obj(["signed_up": .string("2023-11-14T22:13:20.000Z")])]))
        // A mapping that cannot be used is not saved: the step stays with the reason.
        var broken = columns
        broken[broken.count - 1].entry = MappingConversion.transform(.password).applied(to: nil, field: "custom_attributes.signed_up")
        let mailbox = Mailbox()
        live.perform(.applyMapping(path: path, columns: broken), state: AppState(), mailbox: mailbox)
        guard case .failed(let why)? = messages(mailbox, until: { !$0.isEmpty }).first else { return XCTFail("not refused") }
        XCTAssertTrue(why.contains("\"transform\": \"password\" needs a password_hash field") && why.contains("nothing was saved"), why)
        XCTAssertNil(SavedMapping.existing(forSource: path))
        live.perform(.applyMapping(path: path, columns: columns), state: AppState(), mailbox: mailbox)
        let opened = messages(mailbox) { $0.contains { if case .sourceOpened = $0 { return true }; return false } }
        guard case .sourceOpened(let box)? = opened.first(where: { if case .sourceOpened = $0 { return true }; return false }) else {
            return XCTFail("not opened: \(opened)")
        }
        var out: [UInt8] = []
        box.session.index.recordBytes(span: box.session.index.span(0), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), #"{"email":"kim@example.com","custom_attributes":{"signed_up":"2023-11-14T22:13:20.000Z"}}"#)
        // Opened again, the step starts from the rows accepted.
        XCTAssertEqual(try mappingStep(live, path).map(\.header).filter { $0 == "/createdAt" || $0 == "/displayName" }, ["/createdAt"])
    }

    func testATypedOrRecentPathThatIsNoSourceSaysWhatItIs() throws {
        let readme = try write("README.md", "# Export notes\n\nemail,name\n")
        // The path prompt (and the recent list, and :open) hands the path to this effect.
        var s = AppState()
        let effects: [Effect] = [.openSource(path: readme, mappingPath: nil)]
        let mailbox = Mailbox()
        handler().perform(effects[0], state: s, mailbox: mailbox)
        let posted = messages(mailbox) { !$0.isEmpty }
        guard case .failed(let text)? = posted.first else { return XCTFail("not refused: \(posted)") }
        XCTAssertEqual(text, "README.md is Markdown text, not a source: pick an export of users (a JSON array, NDJSON or CSV, or another system's export)")
        _ = Update.update(&s, posted[0])
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertNil(s.session, "nothing was opened")
        usleep(100_000)
        XCTAssertTrue(mailbox.drain().isEmpty, "and nothing else happens")
        let mapping = try write("users.mapping.json", "{\n  \"Mail\": \"email\"\n}\n")
        handler().perform(.openSource(path: mapping, mappingPath: nil), state: s, mailbox: mailbox)
        guard case .failed(let text2)? = messages(mailbox, until: { !$0.isEmpty }).first else { return XCTFail("not refused") }
        XCTAssertTrue(text2.hasPrefix("users.mapping.json is a column mapping, not a source"), text2)
    }
}

