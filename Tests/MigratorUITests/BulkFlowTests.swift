import Foundation
import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// Marking records and the bulk overlay: message in → state and effects out (the runtime's
/// preview is simulated by its messages); applying a real plan to a session as one undo step.
final class BulkFlowTests: XCTestCase {
    let email = JSONPointer(tokens: ["email"])

    func testMarkTogglesTheRecordAndMovesDown() throws {
        var s = try Fixture.state()
        press(&s, .char("m"))
        XCTAssertEqual(s.records.marks, IndexSet([0]))
        XCTAssertEqual(s.records.cursor, 1)
        press(&s, .char("m"), .char("k"), .char("k"), .char("m"))
        XCTAssertEqual(s.records.marks, IndexSet([1]), "m again unmarks record 0")
        press(&s, .ctrl("u"))
        XCTAssertTrue(s.records.marks.isEmpty)
        XCTAssertEqual(s.status?.text, "cleared 1 mark")
        XCTAssertEqual(press(&s, .ctrl("u")), [])
        XCTAssertEqual(s.status?.text, "^U unmark — not now: no record is marked")
    }

    /// M marks what the filter shows: 10,035 records with errors are one IndexSet union, not a loop over the file.
    func testMarkAllMarksTheFilteredRowsAndWaitsForARunningFilter() throws {
        var s = try Fixture.state()
        s.records.filter = .errors
        s.records.rows = [1, 3]
        s.records.filtering = true
        press(&s, .char("M"))
        XCTAssertTrue(s.records.marks.isEmpty, "not while the filter is still finding rows")
        XCTAssertTrue(s.status?.text.contains("still finding") ?? false)
        s.records.filtering = false
        press(&s, .char("M"))
        XCTAssertEqual(s.records.marks, IndexSet([1, 3]))
        s.records.rows = Array(stride(from: 0, to: 20_070, by: 2))
        press(&s, .char("M"))
        XCTAssertEqual(s.records.marks.count, 10_037, "the earlier marks of records 1 and 3 stay")
        XCTAssertTrue(s.status?.text.contains("10,037 marked") ?? false, s.status?.text ?? "")
        s.records.filter = .all
        s.records.rows = nil
        s.records.marks = IndexSet()
        press(&s, .char("M"))
        XCTAssertEqual(s.records.marks, IndexSet(integersIn: 0..<12), "no filter: every record")
    }

    func testBulkNeedsMarks() throws {
        var s = try Fixture.state()
        XCTAssertEqual(press(&s, .char("b")), [])
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.status?.text.contains("mark records first") ?? false, s.status?.text ?? "")
    }

    func testPreviewThenApplyWithTheCounts() throws {
        var s = try Fixture.state()
        s.records.marks = IndexSet([0, 1, 3])
        press(&s, .char("b"))
        guard case .bulk(let opened)? = s.overlay else { return XCTFail("\(String(describing: s.overlay))") }
        XCTAssertEqual(opened.records, IndexSet([0, 1, 3]))
        press(&s, .char("5"))
        guard case .bulk(let chosen)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(chosen.kind, .lowercase)
        XCTAssertEqual(chosen.field.text, "email", "lowercase starts on the e-mail address")
        let effects = press(&s, .enter)
        let request = BulkRequest(operation: .lowercase(email), records: IndexSet([0, 1, 3]))
        XCTAssertEqual(effects, [.previewBulk(request, generation: 1)])
        _ = Update.update(&s, .bulkProgress(generation: 1, done: 2, total: 6))
        guard case .bulk(let working)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(working.phase, .previewing(done: 2, total: 6))
        var counts = BulkPlan.Counts()
        counts.targeted = 3
        counts.changed = 2
        counts.becomeValid = 1
        _ = Update.update(&s, .bulkPreviewed(generation: 0, counts: BulkPlan.Counts()))
        guard case .bulk(let still)? = s.overlay, case .previewing = still.phase else { return XCTFail("an older preview's answer is ignored") }
        _ = Update.update(&s, .bulkPreviewed(generation: 1, counts: counts))
        guard case .bulk(let previewed)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(previewed.phase, .preview(counts))
        XCTAssertEqual(press(&s, .char("y")), [.applyBulk(request, generation: 1)])
        XCTAssertNil(s.overlay)
    }

    func testEscStopsAPreviewAndClosesTheOverlay() throws {
        var s = try Fixture.state()
        s.records.marks = IndexSet([2])
        press(&s, .char("b"))
        XCTAssertEqual(press(&s, .enter), [.previewBulk(BulkRequest(operation: .exclude, records: IndexSet([2])), generation: 1)])
        XCTAssertEqual(press(&s, .escape), [.cancelBulk])
        guard case .bulk(let back)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(back.phase, .choosing)
        press(&s, .escape)
        XCTAssertNil(s.overlay)
    }

    func testTheFormSaysWhatToFixFirst() throws {
        var s = try Fixture.state()
        s.records.marks = IndexSet([2])
        press(&s, .char("b"), .char("3"))
        XCTAssertEqual(press(&s, .enter), [])
        guard case .bulk(let noField)? = s.overlay else { return XCTFail() }
        XCTAssertTrue(noField.error?.hasPrefix("type the field") ?? false)
        XCTAssertEqual(noField.focus, .field)
        type(&s, "custom_attributes.tier")
        press(&s, .tab)
        XCTAssertEqual(press(&s, .enter), [])
        guard case .bulk(let noValue)? = s.overlay else { return XCTFail() }
        XCTAssertTrue(noValue.error?.hasPrefix("type the value") ?? false)
        type(&s, "\"gold\"")
        let set = press(&s, .enter)
        XCTAssertEqual(set, [.previewBulk(BulkRequest(operation: .set(JSONPointer(tokens: ["custom_attributes", "tier"]), .string("gold")),
                                                      records: IndexSet([2])), generation: 1)])
        press(&s, .escape, .escape, .escape)
        press(&s, .char("b"), .char("6"), .tab, .tab)
        type(&s, "zz")
        press(&s, .enter)
        guard case .bulk(let region)? = s.overlay else { return XCTFail() }
        XCTAssertEqual(region.error, "ZZ: not a region the phone metadata knows (use a code such as US, GB, JP)")
    }

    /// The plan the runtime computes, applied to the session: one undo step for every record.
    func testApplyingAPlanIsOneUndoStepAndKeepsTheReport() throws {
        let session = try Fixture.session()
        let workspace = session.workspace
        XCTAssertEqual(session.status(1), .errors, "grace.example.com")
        let plan = try XCTUnwrap(BulkPlan.compute(.set(email, .string("grace@example.com")), records: IndexSet([1]),
                                                  index: session.index, edits: workspace.edits, settings: workspace.settings, report: session.report))
        XCTAssertEqual(plan.counts.becomeValid, 1)
        try session.apply(plan)
        XCTAssertEqual(session.status(1), .valid)
        let excluded = try XCTUnwrap(BulkPlan.compute(.exclude, records: IndexSet(4..<8), index: session.index, edits: workspace.edits,
                                                      settings: workspace.settings, report: session.report))
        try session.apply(excluded)
        XCTAssertEqual(session.totals?.excluded, 4)
        var outcome = EditOverlay.Outcome.nothing
        try session.edit { outcome = $0.undoEntry(record: 6) }
        XCTAssertEqual(outcome, .group(label: "exclude", records: 4))
        XCTAssertEqual(session.totals?.excluded, 0)
        XCTAssertEqual(session.status(1), .valid, "the earlier operation stays")
        let saved = try EditStore(path: session.editsPath).load(for: session.index.file)
        XCTAssertEqual(saved.changes.count, 1, "saved beside the journal like every edit")
    }
}
