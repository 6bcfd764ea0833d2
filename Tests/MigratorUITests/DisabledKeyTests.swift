import XCTest
@testable import MigratorUI
import TerminalKit

/// A key that does nothing now says why: dimmed in the hint bar, its reason in help, and the
/// reason on the status line when pressed.
final class DisabledKeyTests: XCTestCase {
    func testLaunchWithIncompleteSettingsSaysWhatIsMissing() throws {
        var s = try Fixture.state()
        press(&s, .char("L"))
        XCTAssertEqual(s.screen, .settings)
        s.settings.keyID = ""
        s.settings.keyFile = ""
        XCTAssertEqual(press(&s, .char("L")), [], "still does nothing")
        XCTAssertNil(s.overlay)
        XCTAssertEqual(s.status, .info("L launch — not now: set key ID and key file first"))

        // The hint stays in its place, dimmed.
        let buffer = AppView.render(s)
        let hints = buffer.line(s.size.height - 1)
        let x = try XCTUnwrap(hints.range(of: "L launch")).lowerBound.utf16Offset(in: hints)
        XCTAssertTrue(buffer[x, s.size.height - 1].style.dim, "disabled hint is dimmed: \(hints)")
        let e = try XCTUnwrap(hints.range(of: "c check")).lowerBound.utf16Offset(in: hints)
        XCTAssertFalse(buffer[e, s.size.height - 1].style.dim, "enabled hints are not")

        // Help gives the reason.
        press(&s, .char("?"))
        XCTAssertTrue(AppView.render(s).text.contains("Launch the import (asks with counts first) — not now: set key ID and key file first"))
        press(&s, .escape)

        s.settings.keyID = "kid-1"
        s.settings.keyFile = "/keys/admin.pem"
        press(&s, .char("L"))
        guard case .confirm? = s.overlay else { return XCTFail("complete settings launch (after confirming)") }
    }

    func testKeysThatNeedASearchOrARunSayWhy() throws {
        var s = try Fixture.state()
        XCTAssertEqual(press(&s, .char("n")), [])
        XCTAssertEqual(s.status, .info("n next — not now: search first (/)"))
        XCTAssertEqual(press(&s, .char("p")), [])
        XCTAssertEqual(s.screen, .records)
        XCTAssertEqual(s.status, .info("p progress — not now: this file has no run into this target yet (R lists every run)"))
        press(&s, .char("j"))
        XCTAssertNil(s.status, "the next key clears the reason")
    }

    func testAnUnboundKeyStaysSilent() throws {
        var s = try Fixture.state()
        XCTAssertEqual(press(&s, .char("Z")), [])
        XCTAssertNil(s.status)
    }
}
