import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// Searching the records: a fresh query each time, matches marked in the table, never a match
/// inside a masked secret, and Esc back to every record.
final class RecordsSearchTests: XCTestCase {
    func testSlashStartsWithAnEmptyQueryAfterAnEarlierSearch() throws {
        var s = try Fixture.state()
        press(&s, .char("/"))
        type(&s, "taro")
        press(&s, .enter)
        XCTAssertEqual(s.records.search, "taro")
        press(&s, .char("/"))
        XCTAssertEqual(s.prompt?.text.text, "", "the new query does not carry the last one")
        type(&s, "ken")
        guard case .search(let term, _, _, _)? = press(&s, .enter).first else { return XCTFail("no search") }
        XCTAssertEqual(term, "ken")
    }

    func testEscClearsAFilterAndKeepsTheCursorOnItsRecord() throws {
        var s = try Fixture.state()
        _ = RecordsUpdate.applyFilter(&s, .errors)
        s.records.rows = [1, 3]
        s.records.filtering = false
        press(&s, .char("j"))
        XCTAssertEqual(s.records.record(atRow: s.records.cursor), 3)
        XCTAssertEqual(press(&s, .escape), [])
        XCTAssertEqual(s.records.filter, .all)
        XCTAssertNil(s.records.rows)
        XCTAssertEqual(s.records.cursor, 3, "still on record 3")
        s.records.search = "ada"
        press(&s, .escape)
        XCTAssertNil(s.records.search, "a second Esc clears the search")
    }

    func testASearchNeverMatchesInsideAMaskedSecret() throws {
        let session = try Fixture.session()
        let part = String(Fixture.hash.dropFirst(10).prefix(12))   // a piece of record 0's password hash
        let (index, edits) = (session.index, session.workspace.edits)
        XCTAssertNil(RecordScan.search(part, from: 0, forward: true, rows: nil, index: index, edits: edits))
        XCTAssertEqual(RecordScan.search(part, from: 0, forward: true, rows: nil, index: index, edits: edits, revealSecrets: true), 0)
        var rows: [Int] = []
        RecordScan.filter(.text(part), index: index, edits: edits, report: session.report) { rows += $0; _ = $1 }
        XCTAssertEqual(rows, [], "the filter does not match the hash either")
        RecordScan.filter(.text(part), index: index, edits: edits, report: session.report, revealSecrets: true) { rows += $0; _ = $1 }
        XCTAssertEqual(rows, [0])
        // Fields around the secret still match; an edited record's secret is masked too.
        XCTAssertEqual(RecordScan.search("bcrypt", from: 0, forward: true, rows: nil, index: index, edits: edits), 0)
        try session.edit { $0.replace(4, with: .obj(["email": .string("e@example.com"), "password": .obj(["password_hash": .string(Fixture.hash)])])) }
        XCTAssertNil(RecordScan.search(part, from: 0, forward: true, rows: nil, index: session.index, edits: session.workspace.edits))
    }

    func testMatchesAreHighlightedInTheTable() throws {
        var s = try Fixture.state(width: 120, height: 40)
        s.records.search = "EXAMPLE.jp"
        let buffer = AppView.render(s)
        let at = try XCTUnwrap(buffer.find("taro@example.jp"))
        let styles = buffer.styles(x: at.x, y: at.y, width: at.width)
        XCTAssertEqual(Array(styles.prefix(5)), Array(repeating: .plain, count: 5), "taro@ is not part of the match")
        XCTAssertEqual(Array(styles.dropFirst(5)), Array(repeating: Theme.match, count: 10), "example.jp is marked (case-insensitive)")
        // Only matches are marked: another row's email stays plain.
        XCTAssertEqual(Set(buffer.styles(of: "ken@example.com")), [.plain])
        // On the selected row the match stays visible inside the reverse video.
        s.records.search = "ada@"
        let selected = AppView.render(s)
        XCTAssertEqual(Set(selected.styles(of: "ada@")), [Theme.match.reversed])
        s.records.search = nil
        XCTAssertEqual(Set(AppView.render(s).styles(of: "example.jp")), [.plain], "no search, no marks")
    }
}
