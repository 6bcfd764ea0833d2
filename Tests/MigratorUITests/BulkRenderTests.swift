import Foundation
import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// The marks in the records table, the bulk overlay with its preview counts, and the edits view,
/// rendered into a ScreenBuffer at 120×40 and 80×24.
final class BulkRenderTests: XCTestCase {
    func testMarkedRowsShowAMarkAndTheStatusLineCountsThem() throws {
        for (w, h) in [(120, 40), (80, 24)] {
            var s = try Fixture.state(width: w, height: h)
            s.records.marks = IndexSet([1, 2])
            s.records.cursor = 2
            let buffer = AppView.render(s)
            let numberWidth = RecordsView.numberWidth(largest: 11)
            // Row 0 of the table is on screen line 2 (title bar, header).
            XCTAssertEqual(buffer[numberWidth, 2].text, " ", "record 0 is not marked")
            XCTAssertEqual(buffer[numberWidth, 3].text, "●")
            XCTAssertEqual(buffer[numberWidth, 4].text, "●")
            XCTAssertTrue(buffer[numberWidth, 4].style.reverse, "the cursor row stays highlighted")
            XCTAssertTrue(buffer.line(h - 2).contains("2 marked"), buffer.line(h - 2))
            XCTAssertTrue(buffer.line(4).contains("taro@example.jp"), "the row's columns are where they were")
        }
    }

    func testTheOverlayShowsThePreviewCounts() throws {
        for (w, h) in [(120, 40), (80, 24)] {
            var s = try Fixture.state(width: w, height: h)
            var b = BulkState(records: IndexSet(integersIn: 0..<10_035))
            b.kind = .phone
            b.field = LineEditor("phone_number")
            b.value = LineEditor("GB")
            b.request = BulkRequest(operation: .phoneE164(JSONPointer(tokens: ["phone_number"]), region: "GB"), records: b.records)
            var c = BulkPlan.Counts()
            c.targeted = 10_035; c.changed = 9_873; c.becomeValid = 9_800; c.stillInvalid = 73; c.invalidBefore = 10_035; c.invalidAfter = 235
            b.phase = .preview(c)
            s.overlay = .bulk(b)
            let text = AppView.render(s).text
            XCTAssertTrue(text.contains("Bulk operation on 10,035 marked records"), text)
            XCTAssertTrue(text.contains("6 Phone number to E.164"), text)
            XCTAssertTrue(text.contains("region: GB"), text)
            XCTAssertTrue(text.contains("9,873 of 10,035 records change"), text)
            XCTAssertTrue(text.contains("9,800 become valid · 73 stay invalid · 0 become invalid"), text)
            XCTAssertTrue(text.contains("records with errors in the file: 10,035 → 235"), text)
            XCTAssertTrue(text.contains("[y] apply (one undo step: u)"), text)
            b.phase = .previewing(done: 5_000, total: 20_070)
            s.overlay = .bulk(b)
            XCTAssertTrue(AppView.render(s).text.contains("validating the changed records… 24%"))
        }
    }

    func testTheEditsViewListsEveryEditAsADiffWithSecretsMasked() throws {
        let session = try Fixture.session()
        let hash2 = "$2a$10$abcdefghijklmnopqrstuu5Qe3Ll8b1y6gOF5bC9W2yRkQ8Aw3z9W"
        try session.edit {
            $0.replace(1, with: try! JSONParser.parse(#"{"email": "grace@example.com", "name": "Grace Hopper", "given_name": "Grace"}"#))
            $0.exclude(4)
            $0.replace(0, with: try! JSONParser.parse(#"{"email": "ada@example.com", "name": "Ada Lovelace", "password": {"type": "bcrypt", "password_hash": "\#(hash2)"}}"#))
        }
        for (w, h) in [(120, 40), (80, 24)] {
            var s = try Fixture.state(width: w, height: h, session: session)
            press(&s, .char("E"))
            XCTAssertEqual(s.screen, .edits)
            let text = AppView.render(s).text
            XCTAssertTrue(text.contains("4 changes in 3 edited records"), text)
            XCTAssertTrue(text.contains("grace.example.com"), text)
            XCTAssertTrue(text.contains("grace@example.com"), text)
            XCTAssertTrue(text.contains("(absent)"), "given_name was added")
            XCTAssertTrue(text.contains("excluded from the import"), text)
            XCTAssertTrue(text.contains("password.pas"), text)
            XCTAssertFalse(text.contains(hash2) || text.contains(Fixture.hash) || text.contains("$2a$10$"), "secrets masked: \(text)")
            XCTAssertTrue(text.contains(Secrets.mask))
            press(&s, .char("S"))
            XCTAssertTrue(AppView.render(s).text.contains("$2a$10$"), "revealed with S")
            press(&s, .char("S"))
            // The filter never matches inside a masked secret.
            press(&s, .char("/")); type(&s, "abcdefg"); press(&s, .enter)
            XCTAssertEqual(s.edits.count, 0)
            XCTAssertTrue(AppView.render(s).text.contains("No edit contains \"abcdefg\""))
            press(&s, .char("/")); s.prompt?.text.set(""); type(&s, "grace"); press(&s, .enter)
            XCTAssertEqual(s.edits.count, 2, "record 1's email and given_name rows")
            XCTAssertEqual(press(&s, .char("u")), [.edit(.undo(record: 1))])
            press(&s, .escape)
            XCTAssertEqual(s.edits.count, 4, "Esc clears the filter first")
            press(&s, .char("w"))
            XCTAssertEqual(s.prompt?.kind, .exportEdits)
            XCTAssertTrue(s.prompt?.text.text.hasSuffix("users.edits.json") ?? false)
            let effects = press(&s, .enter)
            guard case .exportEdits(let path)? = effects.first else { return XCTFail("\(effects)") }
            XCTAssertTrue(path.hasSuffix("users.edits.json"))
            press(&s, .escape)
            XCTAssertEqual(s.screen, .records)
        }
    }
}
