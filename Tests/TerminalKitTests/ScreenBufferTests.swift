import XCTest
import TerminalKit

final class ScreenBufferTests: XCTestCase {
    func testWideCharactersTakeTwoCells() {
        var b = ScreenBuffer(width: 10, height: 1)
        let used = b.put("山田a", x: 0, y: 0)
        XCTAssertEqual(used, 5)
        XCTAssertEqual(b[0, 0].text, "山")
        XCTAssertTrue(b[1, 0].isContinuation)
        XCTAssertEqual(b[4, 0].text, "a")
        XCTAssertEqual(b.line(0), "山田a     ")
    }
}
