import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// The picker labels files that hold no records "not a source" (not a guessed csv/ndjson), and
/// opening one says what it is instead.
final class SourceKindTests: XCTestCase {
    func classify(_ name: String, _ text: String) -> (label: String?, note: String?) {
        Array(text.utf8).withUnsafeBytes { SourceKind.classify(path: "/data/" + name, head: $0) }
    }

    func testFilesThatAreNotSourcesAreLabelledSo() {
        let readme = classify("README.md", "# Migration\n\nSteps, columns and notes.\n")
        XCTAssertEqual(readme.label, "not a source")
        XCTAssertEqual(readme.note, "README.md is Markdown text, not a source: pick an export of users (a JSON array, NDJSON or CSV, or another system's export)")
        let resolved = classify("Package.resolved", "{\n  \"originHash\" : \"ab12\",\n  \"pins\" : [\n  ],\n  \"version\" : 3\n}\n")
        XCTAssertEqual(resolved.label, "not a source")
        XCTAssertEqual(resolved.note?.hasPrefix("Package.resolved is a Swift package lock file, not a source: pick an export of users"), true)
        // A mapping file, whatever it is called and however it is laid out.
        for (name, text) in [("users.mapping.json", "{\n  \"columns\": {\"E-mail\": \"email\"}\n}\n"),
                             ("cols.json", #"{"map": {"email": "Mail"}, "skip": ["Notes"]}"#)] {
            let kind = classify(name, text)
            XCTAssertEqual(kind.label, "not a source", name)
            XCTAssertEqual(kind.note, "\(name) is a column mapping, not a source: open the export it belongs to (a CSV's NAME.mapping.json beside it is used)", name)
        }
        // Another JSON document spread over lines is not NDJSON either.
        XCTAssertEqual(classify("config.json", "{\n  \"name\": \"x\"\n}\n").label, "not a source")
    }

    func testSourcesKeepTheirFormat() {
        XCTAssertEqual(classify("users.ndjson", "{\"email\":\"a@example.com\"}\n{\"email\":\"b@example.com\"}\n").label, "ndjson")
        XCTAssertEqual(classify("users.json", "[{\"email\":\"a@example.com\"}]").label, "json-array")
        XCTAssertEqual(classify("users.csv", "email,name\na@example.com,A\n").label, "csv")
        XCTAssertEqual(classify("import.json", "{\n  \"identifier\": \"email\",\n  \"records\": []\n}").label, "authgear")
        XCTAssertNil(classify("users.csv", "email,name\n").note)
        // An NDJSON record longer than the head read is still a source.
        let long = "{\"email\":\"a@example.com\",\"name\":\"" + String(repeating: "x", count: 5000)
        XCTAssertEqual(classify("big.ndjson", String(long.prefix(4096))).label, "ndjson")
    }

    func testOpeningANonSourceSaysWhatItIsAndOpensNothing() {
        var s = AppState()
        s.size = (80, 24)
        _ = Update.update(&s, .directoryListed(path: "/data", entries: [
            PickerState.Entry(name: "README.md", isDirectory: false, size: 120, format: SourceKind.notASource,
                              note: "README.md is Markdown text, not a source: pick an export of users"),
            PickerState.Entry(name: "users.csv", isDirectory: false, size: 900, format: "csv"),
        ], error: nil))
        let buffer = AppView.render(s)
        XCTAssertEqual(Set(buffer.styles(of: "not a source")), [Theme.dim])
        press(&s, .char("j"))
        XCTAssertEqual(press(&s, .enter), [], "nothing is opened")
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertEqual(s.status?.text, "README.md is Markdown text, not a source: pick an export of users")
        press(&s, .char("j"))
        XCTAssertEqual(press(&s, .enter), [.openSource(path: "/data/users.csv", mappingPath: nil)])
    }
}
