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

final class CellWidthAndDiffTests: XCTestCase {
    func testWidths() {
        XCTAssertEqual("abc".cellWidth, 3)
        XCTAssertEqual("山田太郎".cellWidth, 8)
        XCTAssertEqual("ｱｲｳ".cellWidth, 3, "halfwidth katakana is narrow")
        XCTAssertEqual("Zoe\u{0308}".cellWidth, 3, "a combining mark takes no column")
        XCTAssertEqual("김민준".cellWidth, 6)
        XCTAssertEqual("👍".cellWidth, 2)
    }

    func testTruncationNeverSplitsAWideCharacter() {
        XCTAssertEqual("山田太郎".truncated(toWidth: 5), "山田…")
        XCTAssertEqual("山田太郎".fitted(toWidth: 6), "山田… ")
        XCTAssertEqual("abc".fitted(toWidth: 5, alignRight: true), "  abc")
        var b = ScreenBuffer(width: 5, height: 1)
        b.put("ab山田", x: 0, y: 0)
        XCTAssertEqual(b.line(0), "ab山 ", "the wide character that does not fit becomes a space")
        XCTAssertEqual(b.line(0).cellWidth, 5)
    }

    func testOverwritingHalfAWideCharacterBlanksTheOtherHalf() {
        var b = ScreenBuffer(width: 6, height: 1)
        b.put("山田", x: 0, y: 0)
        b.put("x", x: 1, y: 0)
        XCTAssertEqual(b.line(0), " x田  ")
        XCTAssertEqual(b.line(0).cellWidth, 6)
    }

    func testControlCharactersAreShownNotSent() {
        var b = ScreenBuffer(width: 6, height: 1)
        b.put("a\u{1B}[2J", x: 0, y: 0)
        XCTAssertFalse(b.line(0).contains("\u{1B}"), "an escape in data never reaches the terminal")
    }

    func testFrameDiffWritesOnlyChangedRuns() {
        var a = ScreenBuffer(width: 10, height: 3)
        a.put("hello", x: 0, y: 0)
        var b = a
        b.put("J", x: 0, y: 1)
        b.put("w", x: 4, y: 0)
        let runs = FrameDiff.runs(from: a, to: b)
        XCTAssertEqual(runs.map { [$0.x, $0.y, $0.cells.count] }, [[4, 0, 1], [0, 1, 1]])
        XCTAssertTrue(FrameDiff.runs(from: b, to: b).isEmpty, "an unchanged frame writes nothing")
        XCTAssertEqual(FrameDiff.runs(from: nil, to: b).reduce(0) { $0 + $1.cells.count }, 30, "the first frame is drawn whole")
        // A change to a wide character redraws it from its first column.
        var c = ScreenBuffer(width: 6, height: 1)
        c.put("ab山", x: 0, y: 0)
        var d = c
        d.put("田", x: 2, y: 0)
        let wide = FrameDiff.runs(from: c, to: d)
        XCTAssertEqual(wide.first?.x, 2)
        XCTAssertEqual(wide.first?.cells.first?.text, "田")
    }

    func testRectSplits() {
        let r = Rect(x: 0, y: 0, width: 80, height: 24)
        let (top, rest) = r.splitTop(1)
        XCTAssertEqual(top.height, 1)
        XCTAssertEqual(rest.y, 1)
        let (body, bottom) = rest.splitBottom(2)
        XCTAssertEqual(body.maxY, bottom.y)
        XCTAssertEqual(r.centered(width: 100, height: 10).width, 80)
    }
}
