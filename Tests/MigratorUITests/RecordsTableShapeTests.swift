import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// The records table: chosen columns (kept for the session), sorting, horizontal scrolling; and
/// Review's columns named by what they hold.
final class RecordsTableShapeTests: XCTestCase {
    func header(_ s: AppState) -> String { AppView.render(s).line(1) }

    func testTheColumnPickerHidesAndShowsColumnsAndTheChoiceOutlivesTheFile() throws {
        var s = try Fixture.state(width: 120, height: 30)
        XCTAssertTrue(header(s).contains("name"), header(s))
        press(&s, .char("c"))
        guard case .menu(let m)? = s.overlay else { return XCTFail("no column picker") }
        XCTAssertEqual(m.purpose, .columns)
        XCTAssertEqual(m.items.first, "[x] email")
        // Down to "name", Space hides it; the picker stays open and says so.
        press(&s, .down, .char(" "))
        guard case .menu(let m2)? = s.overlay else { return XCTFail("the picker closed") }
        XCTAssertEqual(m2.items[1], "[ ] name")
        XCTAssertEqual(s.columnChoice.hidden, ["name"])
        press(&s, .escape)
        XCTAssertFalse(header(s).contains(" name "), header(s))
        XCTAssertTrue(header(s).contains("email"))
        // Another file opened in this session keeps the choice.
        _ = Update.update(&s, .sourceOpened(SessionBox(try Fixture.session())))
        XCTAssertEqual(s.columnChoice.hidden, ["name"])
        XCTAssertFalse(header(s).contains(" name "), header(s))
        // The last shown column cannot be hidden.
        s.columnChoice.hidden = Set(s.session!.columns.dropFirst())
        press(&s, .char("c"), .char(" "))
        XCTAssertFalse(s.columnChoice.hidden.contains("email"))
        XCTAssertEqual(s.status?.text, "one column at least stays shown")
    }

    func testColumnsScrollHorizontallyWhenTheyDoNotFit() throws {
        var s = try Fixture.state(width: 80, height: 24)
        s.records.inspector = false
        let first = header(s)
        XCTAssertTrue(first.contains("▸"), "more columns on the right: \(first)")
        XCTAssertFalse(first.contains("◂"))
        press(&s, .right)
        let scrolled = header(s)
        XCTAssertTrue(scrolled.contains("chk  ◂1 name"), scrolled)
        XCTAssertTrue(first.contains("chk  email  "), first)
        // The record number and status stay.
        XCTAssertTrue(scrolled.contains("#") && scrolled.contains("chk"), scrolled)
        press(&s, .char("h"))
        XCTAssertEqual(header(s), first)
        press(&s, .left)
        XCTAssertEqual(s.records.columnOffset, 0)
    }

    func testSortingByIdentifierAndStatusKeepsTheCursorOnItsRecord() throws {
        var s = try Fixture.state(width: 120, height: 30)
        press(&s, .char("s"))
        guard case .menu(let m)? = s.overlay else { return XCTFail("no sort menu") }
        XCTAssertEqual(m.purpose, .sort)
        XCTAssertEqual(m.items, ["• record number ▲  (again: reverse)", "  identifier (email) ▲", "  status / first issue ▲"])
        s.records.cursor = 4   // edsger
        let effects = press(&s, .down, .enter)
        XCTAssertEqual(effects, [.sortRows(RecordSort(key: .identifier), rows: nil, generation: s.records.sortGeneration)])
        XCTAssertTrue(s.records.sorting)
        XCTAssertTrue(AppView.render(s).text.contains("sorting…"))
        // What the live handler computes, from the session.
        let session = s.session!
        let sorted = RecordSort(key: .identifier).sorted(nil, index: session.index, edits: session.workspace.edits, report: session.report,
                                                         identifierField: "email")!
        XCTAssertEqual(sorted.first, 0, "ada@ first")
        XCTAssertEqual(sorted.prefix(3).map { session.record($0)?["email"]?.stringValue }, ["ada@example.com", "alan@example.com", "barbara@example.com"])
        _ = Update.update(&s, .sortResult(generation: s.records.sortGeneration - 1, rows: [11, 10]))
        XCTAssertTrue(s.records.sorting, "a stale sort is dropped")
        _ = Update.update(&s, .sortResult(generation: s.records.sortGeneration, rows: sorted))
        XCTAssertFalse(s.records.sorting)
        XCTAssertEqual(s.records.record(atRow: s.records.cursor), 4, "the cursor stays on its record")
        XCTAssertTrue(header(s).contains("email ▲"), header(s))
        // Again: the other way round.
        press(&s, .char("s"), .enter)
        XCTAssertEqual(s.records.sort, RecordSort(key: .identifier, descending: true))
        // Status / first issue: invalid records first.
        let byStatus = RecordSort(key: .status).sorted(nil, index: session.index, edits: session.workspace.edits, report: session.report,
                                                       identifierField: "email")!
        XCTAssertEqual(session.status(byStatus[0]), .errors)
        XCTAssertEqual(session.status(byStatus[1]), .errors)
        XCTAssertEqual(session.status(byStatus.last!), .valid)
        // Back to record number: every record in the source's order, no list.
        s.records.sort = RecordSort(key: .status)
        press(&s, .char("s"), .up, .up, .enter)
        XCTAssertEqual(s.records.sort, RecordSort())
        XCTAssertNil(s.records.rows)
        XCTAssertEqual(s.records.cursor, 4)
    }

    func testASortHoldsAcrossFilters() throws {
        var s = try Fixture.state()
        s.records.sort = RecordSort(key: .identifier, descending: true)
        let effects = RecordsUpdate.applyFilter(&s, .problems)
        XCTAssertEqual(effects, [.filter(.problems, generation: s.records.filterGeneration)])
        let after = Update.update(&s, .filterResult(generation: s.records.filterGeneration, rows: [1, 3], complete: true))
        XCTAssertEqual(after, [.sortRows(RecordSort(key: .identifier, descending: true), rows: [1, 3], generation: s.records.sortGeneration)])
        // Sorted while the file was still being read: sorted again once it has been read whole.
        var reading = try Fixture.state()
        reading.records.sort = RecordSort(key: .identifier)
        XCTAssertEqual(Update.update(&reading, .indexProgress(indexed: 12, fraction: 1, complete: true)),
                       [.sortRows(RecordSort(key: .identifier), rows: nil, generation: reading.records.sortGeneration)])
        XCTAssertEqual(RecordSort(key: .number, descending: true).sorted([1, 3, 2], identifier: { _ in nil }, status: { _ in nil }, firstRule: { _ in nil }),
                       [3, 2, 1])
    }

    func testTheNumberColumnFitsSevenDigitsWithTheSortArrow() {
        var cols = RecordsView.columns(count: 10_000_000, names: ["email"], width: 120, withResult: false)
        RecordsView.markHeaders(&cols, fixed: 2, names: ["email"], sort: RecordSort(), identifierField: "email", hiddenLeft: 0, hiddenRight: 0)
        XCTAssertEqual(cols[0].width, 7)
        XCTAssertEqual(cols[0].title, "#", "the source's order needs no mark")
        RecordsView.markHeaders(&cols, fixed: 2, names: ["email"], sort: RecordSort(key: .number, descending: true), identifierField: "email",
                                hiddenLeft: 0, hiddenRight: 0)
        XCTAssertEqual(cols[0].title, "#▼")
    }

    func testReviewColumnsAreNamedByWhatTheyHold() throws {
        var s = try Fixture.state(width: 120, height: 30)
        s.run.runID = "run-1"
        s.screen = .review
        s.review.tab = .warnings
        _ = Update.update(&s, .reviewLoaded(tab: .warnings, groups: [
            ReviewState.Group(key: "password.not_importable", records: [
                ReviewState.Item(record: 3, identifier: "alan@example.com", reason: "inserted", message: "password.not_importable", userID: "user-77"),
            ]),
        ]))
        var text = AppView.render(s).text
        XCTAssertTrue(text.contains("record  identifier"), text)
        XCTAssertTrue(text.contains("outcome   user_id"), text)
        XCTAssertTrue(text.contains("inserted  user-77"), text)
        XCTAssertFalse(text.contains("message"), "the warnings tab has no message column: \(text)")
        s.review.tab = .failed
        _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: [
            ReviewState.Group(key: "DuplicatedIdentity", records: [
                ReviewState.Item(record: 3, identifier: "alan@example.com", reason: "DuplicatedIdentity", message: "identity already exists"),
            ]),
        ]))
        text = AppView.render(s).text
        XCTAssertTrue(text.contains("server message"), text)
        s.review.tab = .skipped
        _ = Update.update(&s, .reviewLoaded(tab: .skipped, groups: [
            ReviewState.Group(key: "user already existed", records: [
                ReviewState.Item(record: 3, identifier: "alan@example.com", reason: "user already existed", message: "", userID: "user-9"),
            ]),
        ]))
        text = AppView.render(s).text
        XCTAssertTrue(text.contains("identifier") && text.contains("user_id"), text)
    }
}
