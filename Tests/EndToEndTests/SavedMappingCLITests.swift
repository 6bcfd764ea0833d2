import Foundation
import MigrationCore
import TestSupport
import XCTest

/// The real binary reads a source through the mapping the TUI's mapping step saved for it
/// (`SavedMapping`, the path the TUI writes to), says so, and `--mapping` replaces it.
final class SavedMappingCLITests: XCTestCase {
    func testValidateUsesTheMappingTheTUISavedAndAnExplicitMappingWins() throws {
        let dir = makeTempDirectory(prefix: "saved-mapping")
        let state = dir.file("state")
        // "name" would map to the name field by its header; the TUI skipped it, and typed Age.
        let csv = dir.write("legacy.csv", "email,name,Age\nada@example.com,Ada,36\nbob@example.com,Bob,41\n")
        let old = ProcessInfo.processInfo.environment["XDG_STATE_HOME"]
        setenv("XDG_STATE_HOME", state, 1)
        let saved = SavedMapping.path(forSource: csv)
        if let old { setenv("XDG_STATE_HOME", old, 1) } else { unsetenv("XDG_STATE_HOME") }
        XCTAssertTrue(saved.hasPrefix(state + "/authgear-migrate/mappings/legacy.csv-"), saved)
        try FileManager.default.createDirectory(atPath: (saved as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(#"{"email": "email", "name": {"skip": true}, "Age": {"field": "custom_attributes.age", "type": "integer"}}"#.utf8)
            .write(to: URL(fileURLWithPath: saved))
        let env = CLIProcess.environment([:], stateDir: state)

        let human = try CLIProcess.run(["validate", csv], env: env, in: dir.path)
        XCTAssertTrue(human.stdout.contains("  mapping: \(saved) (saved by the TUI)"), human.stdout)
        XCTAssertTrue(human.stderr.contains("note: mapping: \(saved) (saved by the TUI; --mapping FILE replaces it)"), human.stderr)

        let out = dir.file("import.json")
        let export = try CLIProcess.run(["export", csv, "-o", out], env: env, in: dir.path)
        XCTAssertEqual(export.status, 0, export.stderr)
        let records = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: out))))["records"]
        XCTAssertEqual(records?.arrayValue?.first, .obj(["email": .string("ada@example.com"), "custom_attributes": .obj(["age": .number("36")])]),
                       "the skipped column is not sent under its header's name; Age is an integer")

        // An explicit --mapping wins over the saved one.
        let explicit = dir.write("explicit.mapping.json", #"{"name": "name", "Age": {"skip": true}}"#)
        let withOption = try CLIProcess.run(["export", csv, "--mapping", explicit, "-o", dir.file("explicit.json")], env: env, in: dir.path)
        XCTAssertEqual(withOption.status, 0, withOption.stderr)
        XCTAssertFalse(withOption.stderr.contains("saved by the TUI"), withOption.stderr)
        let first = try JSONParser.parse([UInt8](try XCTUnwrap(FileManager.default.contents(atPath: dir.file("explicit.json")))))["records"]?.arrayValue?.first
        XCTAssertEqual(first, .obj(["email": .string("ada@example.com"), "name": .string("Ada")]))

        // A saved mapping that no longer fits the file is named with what to do.
        try Data(#"{"Mail": "email"}"#.utf8).write(to: URL(fileURLWithPath: saved))
        let stale = try CLIProcess.run(["validate", csv], env: env, in: dir.path)
        XCTAssertEqual(stale.status, 2)
        XCTAssertTrue(stale.stderr.contains("no CSV column has this header") && stale.stderr.contains("the mapping the TUI saved for this file: \(saved)")
                      && stale.stderr.contains("delete it"), stale.stderr)
    }
}
