import Foundation
import XCTest
@testable import MigrationCore

/// `EditOverlay` undo/redo and `EditStore` persistence.
final class EditTests: XCTestCase {
    let a = JSONValue.obj(["email": .string("a@b")])
    let b = JSONValue.obj(["email": .string("b@c")])

    func testReplaceExcludeRevert() {
        var o = EditOverlay()
        XCTAssertTrue(o.isEmpty)
        o.replace(3, with: a)
        o.exclude(5)
        XCTAssertEqual(o[3], .replaced(a))
        XCTAssertEqual(o[5], .excluded)
        XCTAssertEqual(o.excludedCount, 1)
        o.revert(3)
        XCTAssertNil(o[3])
        o.revert(42)
        XCTAssertNil(o[42])
    }

    func testUndoRedo() {
        var o = EditOverlay()
        o.replace(1, with: a)
        o.replace(1, with: b)
        o.exclude(1)
        XCTAssertEqual(o.undo(), 1); XCTAssertEqual(o[1], .replaced(b))
        XCTAssertEqual(o.undo(), 1); XCTAssertEqual(o[1], .replaced(a))
        XCTAssertEqual(o.undo(), 1); XCTAssertNil(o[1])
        XCTAssertNil(o.undo())
        XCTAssertFalse(o.canUndo)
        XCTAssertEqual(o.redo(), 1); XCTAssertEqual(o[1], .replaced(a))
        XCTAssertEqual(o.redo(), 1); XCTAssertEqual(o[1], .replaced(b))
        XCTAssertTrue(o.canRedo)
        XCTAssertEqual(o.redo(), 1); XCTAssertEqual(o[1], .excluded)
        XCTAssertNil(o.redo())
    }

    func testNewEditClearsRedoOfThatRecord() {
        var o = EditOverlay()
        o.replace(1, with: a)
        o.exclude(2)
        o.undo()
        XCTAssertTrue(o.canRedo)
        o.replace(3, with: b)
        XCTAssertTrue(o.canRedo, "an edit of record 3 leaves record 2's undone step to redo")
        o.replace(2, with: b)
        XCTAssertFalse(o.canRedo)
        XCTAssertNil(o.redo())
        XCTAssertEqual(o[2], .replaced(b))
    }

    /// The bug: the second `u` on record 11 undid record 8's edit.
    func testUndoOfARecordLeavesOtherRecordsEdits() {
        var o = EditOverlay()
        o.replace(11, with: a)
        o.replace(8, with: a)
        o.replace(11, with: b)
        XCTAssertEqual(o.undo(record: 11), 11); XCTAssertEqual(o[11], .replaced(a))
        XCTAssertEqual(o.undo(record: 11), 11); XCTAssertNil(o[11])
        XCTAssertNil(o.undo(record: 11), "nothing left to undo on record 11")
        XCTAssertEqual(o[8], .replaced(a), "record 8's edit stays")
        XCTAssertEqual(o.redo(record: 8), nil)
        XCTAssertEqual(o.redo(record: 11), 11); XCTAssertEqual(o[11], .replaced(a))
        XCTAssertEqual(o.undo(record: 8), 8); XCTAssertNil(o[8])
        XCTAssertEqual(o[11], .replaced(a))
    }

    func testNoOpEditsAreNotSteps() {
        var o = EditOverlay()
        o.exclude(1)
        o.exclude(1)
        o.revert(9)
        o.undo()
        XCTAssertFalse(o.canUndo)
        XCTAssertNil(o[1])
    }

    func testUndoOfRevertRestoresTheEdit() {
        var o = EditOverlay()
        o.replace(4, with: a)
        o.revert(4)
        o.undo()
        XCTAssertEqual(o[4], .replaced(a))
    }

    // MARK: - EditStore

    private func source(_ text: String = "[{\"email\":\"a@b\"}]") throws -> SourceFile {
        try SourceFile(path: TestFiles.write(text))
    }

    func testSaveLoadRoundTripWithMode0600() throws {
        let file = try source()
        let path = TestFiles.makeDirectory() + "/nested/dir/x.edits.json"
        let store = EditStore(path: path)
        var o = EditOverlay()
        let dup = try JSONParser.parse("{\"email\":\"a@b\",\"name\":\"x\",\"name\":\"y\",\"n\":1.0}")
        o.replace(0, with: dup)
        o.exclude(7)
        try store.save(o, for: file)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        let loaded = try store.load(for: file)
        XCTAssertEqual(loaded, o)
        XCTAssertEqual(loaded[0], .replaced(dup), "duplicates and number spellings survive")
        XCTAssertTrue(try JSONParser.parse(Array(Data(contentsOf: URL(fileURLWithPath: path)))).has("source"))
    }

    func testMissingFileLoadsNoEdits() throws {
        XCTAssertTrue(try EditStore(path: TestFiles.makeDirectory() + "/none.json").load(for: source()).isEmpty)
    }

    func testChangedSourceIsRefused() throws {
        let dir = TestFiles.makeDirectory()
        let srcPath = dir + "/s.json"
        _ = FileManager.default.createFile(atPath: srcPath, contents: Data("[{\"email\":\"a@b\"}]".utf8))
        let store = EditStore(path: dir + "/e.json")
        var o = EditOverlay()
        o.exclude(0)
        try store.save(o, for: try SourceFile(path: srcPath))
        _ = FileManager.default.createFile(atPath: srcPath, contents: Data("[{\"email\":\"x@y\"}]".utf8))
        XCTAssertThrowsError(try store.load(for: try SourceFile(path: srcPath))) { error in
            XCTAssertTrue("\(error)".contains("different version"), "\(error)")
        }
    }

    private func loadError(_ content: String) throws -> String? {
        let path = TestFiles.makeDirectory() + "/e.json"
        _ = FileManager.default.createFile(atPath: path, contents: Data(content.utf8))
        do { _ = try EditStore(path: path).load(for: try source()); return nil } catch { return "\(error)" }
    }

    func testMalformedFilesAreErrors() throws {
        XCTAssertTrue(try loadError("{not json")?.contains("not valid JSON") ?? false)
        XCTAssertTrue(try loadError("{\"edits\":[{\"value\":{}}]}")?.contains("edit #0 has no valid \"record\"") ?? false)
        XCTAssertTrue(try loadError("{\"edits\":[{\"record\":-1,\"excluded\":true}]}")?.contains("edit #0") ?? false)
        XCTAssertTrue(try loadError("{\"edits\":[{\"record\":1.5,\"excluded\":true}]}")?.contains("edit #0") ?? false)
        XCTAssertTrue(try loadError("{\"edits\":[{\"record\":\"2\",\"excluded\":true}]}")?.contains("edit #0") ?? false)
        XCTAssertTrue(try loadError("{\"edits\":[{\"record\":2,\"value\":[1]}]}")?.contains("neither") ?? false)
        XCTAssertTrue(try loadError("{\"edits\":[{\"record\":2,\"excluded\":false}]}")?.contains("neither") ?? false)
    }

    /// A file whose shape is wrong must not silently load as "no edits".
    func testWrongShapeIsAnErrorNotEmptyEdits() throws {
        XCTAssertNotNil(try loadError("[]"), "a top-level array")
        XCTAssertNotNil(try loadError("{\"edits\":{\"0\":{}}}"), "\"edits\" is an object")
        XCTAssertNotNil(try loadError("{\"source\":{}}"), "no \"edits\" key")
    }

    func testDefaultPathUsesXDGStateHome() {
        let old = ProcessInfo.processInfo.environment["XDG_STATE_HOME"]
        setenv("XDG_STATE_HOME", "/tmp/xdg-test-state", 1)
        defer { if let old { setenv("XDG_STATE_HOME", old, 1) } else { unsetenv("XDG_STATE_HOME") } }
        let p = EditStore.defaultPath(forSource: "/data/users.json")
        XCTAssertTrue(p.hasPrefix("/tmp/xdg-test-state/authgear-migrate/edits/users.json-"), p)
        XCTAssertTrue(p.hasSuffix(".edits.json"))
        XCTAssertEqual(p, EditStore.defaultPath(forSource: "/data/./users.json"))
        XCTAssertNotEqual(p, EditStore.defaultPath(forSource: "/other/users.json"))
    }
}
