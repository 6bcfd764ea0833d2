import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// Records screen flows: message in → state and effects out.
final class RecordsFlowTests: XCTestCase {
    func testMovingClampsToTheRowsAndScrolls() throws {
        var s = try Fixture.state(width: 80, height: 24)
        press(&s, .char("j"), .down)
        XCTAssertEqual(s.records.cursor, 2)
        press(&s, .char("G"))
        XCTAssertEqual(s.records.cursor, 11)
        press(&s, .char("j"))
        XCTAssertEqual(s.records.cursor, 11, "never past the last row")
        XCTAssertLessThanOrEqual(s.records.top, s.records.cursor)
        XCTAssertGreaterThan(s.records.top + AppView.tableHeight(s), s.records.cursor, "the cursor row is visible")
        press(&s, .char("g"))
        XCTAssertEqual(s.records.cursor, 0)
        XCTAssertEqual(s.records.top, 0)
        press(&s, .pageDown)
        XCTAssertEqual(s.records.cursor, min(11, AppView.tableHeight(s) - 1))
    }

    func testExcludeTogglesThroughEditEffects() throws {
        var s = try Fixture.state()
        press(&s, .char("j"))
        XCTAssertEqual(press(&s, .char("x")), [.edit(.exclude(1))])
        try s.session!.edit { $0.exclude(1) }
        XCTAssertEqual(press(&s, .char("x")), [.edit(.include(1))])
        XCTAssertEqual(press(&s, .char("u")), [.edit(.undo(record: 1))])
        XCTAssertEqual(press(&s, .ctrl("r")), [.edit(.redo(record: 1))])
    }

    /// Alt-x is its own key: no screen binds it, so it does nothing (it used to arrive as Esc, x).
    func testAnUnboundAltKeyDoesNothing() throws {
        var s = try Fixture.state()
        for key: Key in [.alt("x"), .alt("u"), .alt("q")] {
            XCTAssertEqual(press(&s, key), [], "\(key)")
        }
        XCTAssertFalse(s.quitting)
        XCTAssertNil(s.status)
        s.prompt = Prompt(.search, label: "/")
        press(&s, .alt("x"))
        XCTAssertEqual(s.prompt?.text.text, "", "Alt-x types nothing into a prompt")
    }

    /// Undo belongs to the record on screen: `u` on record 11 after editing record 8 asks
    /// for record 11's edit, in the table and in the editor.
    func testUndoNamesTheRecordOnScreen() throws {
        var s = try Fixture.state()
        try s.session!.edit { $0.exclude(8); $0.exclude(11); $0.exclude(8) }
        press(&s, .char("G"))
        let n = s.records.record(atRow: s.records.cursor)
        XCTAssertEqual(press(&s, .char("u")), [.edit(.undo(record: n))])
        press(&s, .enter)
        XCTAssertEqual(s.screen, .editor)
        XCTAssertEqual(press(&s, .char("u")), [.edit(.undo(record: s.editor.record))])
        XCTAssertEqual(s.editor.record, n)
    }

    func testSearchPromptSendsASearchAndItsResultMovesTheCursor() throws {
        var s = try Fixture.state()
        XCTAssertEqual(press(&s, .char("/")), [])
        XCTAssertEqual(s.prompt?.kind, .search)
        type(&s, "taro")
        let effects = press(&s, .enter)
        XCTAssertNil(s.prompt)
        guard case .search(let term, let from, let forward, let generation)? = effects.first else { return XCTFail("\(effects)") }
        XCTAssertEqual(term, "taro")
        XCTAssertEqual(from, 1)
        XCTAssertTrue(forward)
        // A stale result (older generation) is ignored.
        _ = Update.update(&s, .searchResult(generation: generation - 1, row: 7, term: "taro"))
        XCTAssertEqual(s.records.cursor, 0)
        _ = Update.update(&s, .searchResult(generation: generation, row: 2, term: "taro"))
        XCTAssertEqual(s.records.cursor, 2)
        XCTAssertFalse(s.records.searching)
        // n searches forward from the next row, N backward from the previous one.
        guard case .search(_, 3, true, _)? = press(&s, .char("n")).first else { return XCTFail() }
        guard case .search(_, 1, false, _)? = press(&s, .char("N")).first else { return XCTFail() }
        _ = Update.update(&s, .searchResult(generation: s.records.filterGeneration, row: nil, term: "taro"))
        XCTAssertEqual(s.status?.text, "\"taro\" not found")
    }

    func testFilterMenuAppliesAFilterWhoseRowsArriveInChunks() throws {
        var s = try Fixture.state()
        press(&s, .char("f"))
        guard case .menu(let menu)? = s.overlay else { return XCTFail("no menu") }
        XCTAssertTrue(menu.items.contains("with errors"))
        XCTAssertTrue(menu.items.contains { $0.hasPrefix("rule format.email") }, "rules of the report are offered: \(menu.items)")
        let effects = press(&s, .down, .down, .enter)
        XCTAssertEqual(effects, [.filter(.errors, generation: 1)])
        XCTAssertEqual(s.records.rows, [])
        XCTAssertTrue(s.records.filtering)
        _ = Update.update(&s, .filterResult(generation: 1, rows: [1], complete: false))
        _ = Update.update(&s, .filterResult(generation: 0, rows: [9], complete: true))   // stale
        _ = Update.update(&s, .filterResult(generation: 1, rows: [3], complete: true))
        XCTAssertEqual(s.records.rows, [1, 3])
        XCTAssertFalse(s.records.filtering)
        XCTAssertEqual(s.records.record(atRow: 1), 3)
        // Jumping to a record the filter hides clears the filter.
        press(&s, .char(":"))
        type(&s, "7")
        press(&s, .enter)
        XCTAssertNil(s.records.rows)
        XCTAssertEqual(s.records.cursor, 7)
    }

    func testJumpRejectsRecordsThatDoNotExist() throws {
        var s = try Fixture.state()
        press(&s, .char(":"))
        type(&s, "99")
        press(&s, .enter)
        XCTAssertEqual(s.status?.kind, .error)
        XCTAssertTrue(s.status!.text.contains("0 to 11"), s.status!.text)
    }

    func testFileCommandsWithoutAFileNameSayWhatIsMissing() throws {
        for command in ["export", "w", "open", "e"] {
            var s = try Fixture.state()
            press(&s, .char(":"))
            type(&s, command)
            press(&s, .enter)
            XCTAssertEqual(s.status?.kind, .error, command)
            XCTAssertTrue(s.status!.text.contains("needs a file name"), s.status!.text)
        }
        var s = try Fixture.state()
        press(&s, .char(":"))
        type(&s, "export /tmp/out.json")
        XCTAssertEqual(press(&s, .enter), [.exportEdited(path: "/tmp/out.json")])
    }

    /// The word-at-a-time search finds exactly what a plain case-insensitive search finds.
    func testSubstringSearchAgreesWithAPlainSearch() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aAbB@.-\"0 z".utf8) + [0x00, 0x01, 0xC3, 0xA9]
        for _ in 0..<4_000 {
            let haystack = (0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }
            let needle = RecordScan.lowered(String(decoding: (0..<Int.random(in: 1...3, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }, as: UTF8.self))
            let plain = haystack.count >= needle.count && (0...(haystack.count - needle.count)).contains { p in
                (0..<needle.count).allSatisfy { RecordScan.lower(haystack[p + $0]) == needle[$0] }
            }
            XCTAssertEqual(haystack.withUnsafeBytes { RecordScan.contains($0, needle) }, plain, "\(haystack) \(needle)")
        }
    }

    func testRecordScanFindsTextAndProblemsOverTheMappedBytes() throws {
        let session = try Fixture.session()
        var chunks: [[Int]] = []
        RecordScan.filter(.text("EXAMPLE.COM"), index: session.index, edits: session.workspace.edits, report: session.report) { rows, _ in chunks.append(rows) }
        XCTAssertEqual(chunks.flatMap { $0 }, [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11], "case-insensitive; record 2 is .jp")
        var errors: [Int] = []
        RecordScan.filter(.errors, index: session.index, edits: session.workspace.edits, report: session.report) { rows, _ in errors += rows }
        XCTAssertEqual(errors, [1, 3])
        XCTAssertEqual(RecordScan.search("山田", from: 5, forward: true, rows: nil, index: session.index, edits: session.workspace.edits), 2, "wraps around")
        XCTAssertNil(RecordScan.search("nobody", from: 0, forward: true, rows: nil, index: session.index, edits: session.workspace.edits))
        // An edited record is searched in its edited form.
        try session.edit { $0.replace(4, with: .obj(["email": .string("new@example.org")])) }
        XCTAssertEqual(RecordScan.search("example.org", from: 0, forward: true, rows: nil, index: session.index, edits: session.workspace.edits), 4)
    }

    func testQuitAsksOnlyWhileARunIsInFlight() throws {
        var s = try Fixture.state()
        s.run.active = true
        XCTAssertEqual(press(&s, .char("q")), [])
        guard case .confirm(let c)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(c.action, .quit)
        press(&s, .escape)
        XCTAssertNil(s.overlay)
        XCTAssertFalse(s.quitting)
        press(&s, .ctrl("c"))
        XCTAssertEqual(press(&s, .char("y")), [.quit])
        XCTAssertTrue(s.quitting)
        var idle = try Fixture.state()
        XCTAssertEqual(press(&idle, .char("q")), [.quit])
    }

    func testOpeningASourceStartsBackgroundValidationAndResetsTheViews() throws {
        var s = AppState()
        s.records.cursor = 5
        let session = try Fixture.session(validate: false)
        let effects = Update.update(&s, .sourceOpened(SessionBox(session)))
        XCTAssertEqual(effects, [.validateInBackground, .loadSourceRuns], "and its own runs are looked up")
        XCTAssertEqual(s.screen, .records)
        XCTAssertEqual(s.records.cursor, 0)
        // Issues are there before the pass finishes: validated on demand.
        XCTAssertEqual(session.status(1), .errors)
        let report = ValidationPass(index: session.index, settings: session.workspace.settings).run()
        _ = Update.update(&s, .validationFinished(ValidationReportBox(report: report, edits: EditOverlay())))
        XCTAssertEqual(s.loading?.validationComplete, true)
        XCTAssertEqual(session.report?.errorCount, 2)
    }
}
