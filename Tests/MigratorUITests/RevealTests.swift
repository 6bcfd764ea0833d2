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
}
