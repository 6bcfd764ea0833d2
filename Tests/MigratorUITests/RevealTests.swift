import XCTest
import MigrationCore
@testable import MigratorUI
import TerminalKit

/// `S` (reveal secrets): a persistent indicator while on, and a revealed value readable whole.
final class RevealTests: XCTestCase {
    func testTheTitleBarSaysSecretsAreShownWhileRevealIsOn() throws {
        var s = try Fixture.state(width: 80, height: 24)
        XCTAssertNil(AppView.render(s).find("SECRETS SHOWN"))
        press(&s, .char("S"))
        s.status = nil   // the passing message is gone; the indicator stays
        let shown = AppView.render(s)
        let at = try XCTUnwrap(shown.find("◉ SECRETS SHOWN (S hides)"))
        XCTAssertEqual(at.y, 0, "in the title bar")
        XCTAssertEqual(Set(shown.styles(x: at.x, y: at.y, width: at.width)), [Theme.revealed])
        XCTAssertEqual(at.x + at.width + 1, 80, "at the right end of the title")
        // In the editor it follows the editor's own S.
        press(&s, .enter)
        XCTAssertNil(AppView.render(s).find("SECRETS SHOWN"), "the editor's secrets are still masked")
        press(&s, .char("S"))
        XCTAssertNotNil(AppView.render(s).find("SECRETS SHOWN"))
        press(&s, .char("S"), .escape)
        press(&s, .char("S"))
        XCTAssertNil(AppView.render(s).find("SECRETS SHOWN"), "S again hides them and the indicator")
    }

    /// A revealed password hash wider than the inspector wraps onto the next lines instead of being cut by "…".
    func testARevealedSecretIsDrawnWholeInTheInspector() throws {
        for (w, h) in RenderSnapshotTests.sizes {
            var s = try Fixture.state(width: w, height: h)
            press(&s, .char("S"))
            let buffer = AppView.render(s)
            let at = try XCTUnwrap(buffer.find(#""password_hash": "#), "\(w)x\(h)")
            var joined = ""
            for y in at.y..<(at.y + 4) {
                var line = String(buffer.line(y).dropFirst(at.x))
                if let bar = line.firstIndex(of: "│") { line = String(line[..<bar]) }
                joined += line.trimmingCharacters(in: .whitespaces)
            }
            XCTAssertTrue(joined.contains("\"" + Fixture.hash + "\""), "\(w)x\(h): \(joined)\n\(buffer.text)")
            XCTAssertFalse(buffer.line(at.y).contains("…"), "\(w)x\(h): the hash is cut")
            XCTAssertEqual(Set(buffer.styles(of: String(Fixture.hash.suffix(4)))), [Theme.secret], "\(w)x\(h)")
        }
    }

    /// In the editor, the selected revealed secret wraps below its row instead of being cut.
    func testTheEditorShowsTheSelectedRevealedSecretWhole() throws {
        var s = try Fixture.state(width: 80, height: 24)
        press(&s, .enter)
        let rows = EditorUpdate.rows(s)
        let i = try XCTUnwrap(rows.firstIndex { $0.pointer.description == "/password/password_hash" })
        s.editor.selected = i
        XCTAssertNil(AppView.render(s).find("N9qo8"), "masked until S")
        press(&s, .char("S"))
        let buffer = AppView.render(s)
        let at = try XCTUnwrap(buffer.find("\"$2a$10$"), buffer.text)
        var joined = ""
        for y in at.y..<(at.y + 3) {
            var line = String(buffer.line(y).dropFirst(at.x))
            if let bar = line.firstIndex(of: "│") { line = String(line[..<bar]) }
            joined += line.trimmingCharacters(in: .whitespaces)
        }
        XCTAssertTrue(joined.hasPrefix("\"" + Fixture.hash + "\""), "\(joined)\n\(buffer.text)")
        XCTAssertTrue(buffer.attributeMap(at.y + 1).contains("4"), "the continuation is part of the selected row")
        // The row after it is still drawn, below the wrapped value.
        if rows.indices.contains(i + 1) { XCTAssertNotNil(buffer.find(rows[i + 1].name)) }
    }
}
