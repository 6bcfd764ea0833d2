import Foundation
import XCTest
@testable import MigrationCore

/// Operations on many records as one undo step (`EditOverlay.apply(group:)`), and their
/// persistence in the edits file (`EditStore`) against a real file.
final class EditGroupTests: XCTestCase {
    let a = JSONValue.obj(["email": .string("a@b")])
    let b = JSONValue.obj(["email": .string("b@c")])
    let c = JSONValue.obj(["email": .string("c@d")])

    func testAGroupIsOneUndoStepForEveryRecord() {
        var o = EditOverlay()
        o.replace(2, with: a)
        let changed = o.apply(group: "lowercase /email", [1: .replaced(b), 2: .replaced(b), 3: .excluded, 4: nil])
        XCTAssertEqual(changed, 3, "record 4 has no edit to drop: not a step")
        XCTAssertEqual(o[1], .replaced(b)); XCTAssertEqual(o[2], .replaced(b)); XCTAssertEqual(o[3], .excluded)
        // `u` on any record of the group undoes all of it, back to each record's own state before.
        XCTAssertEqual(o.undoEntry(record: 3), .group(label: "lowercase /email", records: 3))
        XCTAssertNil(o[1]); XCTAssertEqual(o[2], .replaced(a)); XCTAssertNil(o[3])
        XCTAssertEqual(o.redoEntry(record: 1), .group(label: "lowercase /email", records: 3))
        XCTAssertEqual(o[2], .replaced(b)); XCTAssertEqual(o[3], .excluded)
        // The record's own edit before the group is still undoable after undoing the group.
        o.undoEntry(record: 2)
        XCTAssertEqual(o.undoEntry(record: 2), .record(2))
        XCTAssertNil(o[2])
        XCTAssertEqual(o.undoEntry(record: 2), .nothing)
    }

    func testALaterEditOfOneRecordBlocksUndoingTheGroupUntilUndone() {
        var o = EditOverlay()
        o.apply(group: "exclude", [5: .excluded, 6: .excluded])
        o.replace(6, with: c)
        XCTAssertEqual(o.undoEntry(record: 5), .blocked(label: "exclude", record: 6))
        XCTAssertEqual(o[5], .excluded, "nothing changed")
        XCTAssertEqual(o.undoEntry(record: 6), .record(6), "the later edit of record 6 goes first")
        XCTAssertEqual(o.undoEntry(record: 5), .group(label: "exclude", records: 2))
        XCTAssertNil(o[5]); XCTAssertNil(o[6])
    }

    func testANewEditOfAGroupRecordEndsTheGroupsRedo() {
        var o = EditOverlay()
        o.apply(group: "set /name", [1: .replaced(a), 9: .replaced(a)])
        o.undoEntry(record: 1)
        o.replace(3, with: b)
        XCTAssertTrue(o.canRedo, "record 3 is not in the group")
        o.replace(9, with: b)
        XCTAssertEqual(o.redoEntry(record: 1), .nothing)
    }

    func testGroupsSurviveSavingAndLoadingAndUndoAfterwards() throws {
        let file = try SourceFile(path: TestFiles.write("[{\"email\":\"A@B\"},{\"email\":\"B@C\"},{\"email\":\"c@d\"}]"))
        let path = TestFiles.makeDirectory() + "/x.edits.json"
        let store = EditStore(path: path)
        var o = EditOverlay()
        o.replace(2, with: c)
        o.apply(group: "lowercase /email", [0: .replaced(a), 1: .replaced(b)])
        try store.save(o, for: file)
        var loaded = try store.load(for: file)
        XCTAssertEqual(loaded, o)
        XCTAssertEqual(loaded.undoableGroups.map(\.label), ["lowercase /email"])
        XCTAssertEqual(loaded.undoEntry(record: 1), .group(label: "lowercase /email", records: 2))
        XCTAssertNil(loaded[0]); XCTAssertNil(loaded[1]); XCTAssertEqual(loaded[2], .replaced(c))
        try store.save(loaded, for: file)
        let again = try store.load(for: file)
        XCTAssertEqual(again.changes, [2: .replaced(c)])
        XCTAssertTrue(again.undoableGroups.isEmpty, "an undone group is not saved as undoable")
    }

    func testOnlyTheLastGroupsAreSaved() throws {
        let file = try SourceFile(path: TestFiles.write("[{\"email\":\"a@b\"}]"))
        let store = EditStore(path: TestFiles.makeDirectory() + "/e.json")
        var o = EditOverlay()
        for k in 0..<(EditStore.savedGroups + 3) { o.apply(group: "op \(k)", [k: .excluded]) }
        try store.save(o, for: file)
        let labels = try store.load(for: file).undoableGroups.compactMap(\.label)
        XCTAssertEqual(labels.count, EditStore.savedGroups)
        XCTAssertEqual(labels.last, "op \(EditStore.savedGroups + 2)")
    }

    func testAMalformedGroupIsAnErrorNamingIt() throws {
        let path = TestFiles.makeDirectory() + "/e.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(#"{"edits":[],"groups":[{"label":"x","steps":[{"record":1,"before":{"value":3}}]}]}"#.utf8))
        XCTAssertThrowsError(try EditStore(path: path).load(for: try SourceFile(path: TestFiles.write("[]")))) { error in
            XCTAssertTrue("\(error)".contains("group #0 step #0"), "\(error)")
        }
    }
}
