import XCTest
import TerminalKit

/// Each widget rendered into a small buffer and compared cell by cell (text and style) with the
/// buffer it should produce, written as rows of text plus rows of style letters.
final class WidgetTests: XCTestCase {
    static let bold = Style(bold: true)
    static let green = Style(foreground: .green)
    static let dim = Style.plain.dimmed
    static let rev = Style(reverse: true)
    static let header = Style(bold: true, underline: true)

    /// A buffer from rows of text (one-column characters) and rows of style letters
    /// (`.` plain; others from `legend`); a missing style row is all plain.
    func expected(_ text: [String], _ styles: [String] = [], _ legend: [Character: Style] = [:]) -> ScreenBuffer {
        let width = text.map(\.count).max() ?? 0
        var b = ScreenBuffer(width: width, height: text.count)
        for (y, row) in text.enumerated() {
            let mask = y < styles.count ? Array(styles[y]) : []
            for (x, ch) in row.enumerated() {
                let m = x < mask.count ? mask[x] : "."
                b[x, y] = Cell(String(ch), style: m == "." ? .plain : legend[m]!)
            }
        }
        return b
    }

    func assertBuffer(_ actual: ScreenBuffer, _ expected: ScreenBuffer, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.text, expected.text, "text", file: file, line: line)
        for y in 0..<min(actual.height, expected.height) {
            for x in 0..<min(actual.width, expected.width) where actual[x, y] != expected[x, y] {
                XCTFail("cell (\(x), \(y)): \(actual[x, y]) ≠ \(expected[x, y])", file: file, line: line)
                return
            }
        }
        XCTAssertEqual(actual, expected, file: file, line: line)
    }

    func testGaugeFillsItsShareAndShowsThePercentage() {
        var b = ScreenBuffer(width: 17, height: 2)
        Gauge(fraction: 0.6, filledStyle: Self.green).render(into: &b, area: Rect(x: 0, y: 0, width: 17, height: 1))
        Gauge(fraction: .nan).render(into: &b, area: Rect(x: 2, y: 1, width: 12, height: 1))
        assertBuffer(b, expected(
            ["[██████░░░░]  60%",
             "  [░░░░░]   0%   "],
            [".gggggg----......",
             "...-----.........."],
            ["g": Self.green, "-": Self.dim]))
    }

    func testGaugeClampsAboveOne() {
        var b = ScreenBuffer(width: 10, height: 1)
        Gauge(fraction: 7, filledStyle: Self.green).render(into: &b, area: b.bounds)
        assertBuffer(b, expected(["[███] 100%"], [".ggg......"], ["g": Self.green]))
    }

    func testTextBoxWrapsAtSpacesCutsLongWordsAndClipsToItsHeight() {
        XCTAssertEqual(TextBox.wrap("one two three\nsupercalifragilistic", width: 8),
                       ["one two", "three", "supercal", "ifragili", "stic"])
        var b = ScreenBuffer(width: 10, height: 4)
        TextBox("one two three four five six", style: Self.bold).render(into: &b, area: Rect(x: 1, y: 1, width: 8, height: 2))
        assertBuffer(b, expected(
            ["          ",
             " one two  ",
             " three    ",
             "          "],
            ["..........",
             ".bbbbbbb..",
             ".bbbbb....",
             ".........."],
            ["b": Self.bold]))
    }

    func testListScrollsToTheSelectedItemAndPadsItToTheWidth() {
        var b = ScreenBuffer(width: 6, height: 3)
        List(["a", "b", "c", "d", "eeeeeeee"], selected: 3).render(into: &b, area: Rect(x: 0, y: 0, width: 6, height: 2))
        assertBuffer(b, expected(
            ["c     ",
             "d     ",
             "      "],
            ["......",
             "rrrrrr",
             "......"],
            ["r": Self.rev]))
        var c = ScreenBuffer(width: 6, height: 1)
        List(["eeeeeeee"], selected: nil).render(into: &c, area: c.bounds)
        assertBuffer(c, expected(["eeeee…"]))
    }

    func testTableDrawsHeaderRowsFromTopSelectionAndClipsAtTheRightEdge() {
        let data = [["1", "ada", "x"], ["2", "grace", "yy"], ["3", "edsger", "zzz"]]
        let table = Table(columns: [.init("#", width: 2, alignRight: true), .init("name", width: 5), .init("z", width: 4)],
                          rowCount: data.count, top: 1, selected: 2, headerStyle: Self.header) { r in
            data[r].enumerated().map { Table.Cell($0.element, style: $0.offset == 0 ? Self.dim : .plain) }
        }
        var b = ScreenBuffer(width: 12, height: 4)
        table.render(into: &b, area: Rect(x: 0, y: 0, width: 11, height: 3))
        assertBuffer(b, expected(
            [" # name  z  ",
             " 2 grace yy ",
             " 3 edsg… z… ",
             "            "],
            ["hh.hhhhh.hh.",
             "dd..........",
             "DDRRRRRRRRR.",
             "............"],
            ["h": Self.header, "d": Self.dim, "R": Self.rev, "D": Style(reverse: true, dim: true)]))
        XCTAssertEqual(table.rowRect(2, in: Rect(x: 0, y: 0, width: 11, height: 3)), Rect(x: 0, y: 2, width: 11, height: 1))
        XCTAssertNil(table.rowRect(0, in: Rect(x: 0, y: 0, width: 11, height: 3)), "row 0 is above top")
    }

    func testDialogIsCentredWithTitleWrappedTextAndFooter() {
        var b = ScreenBuffer(width: 24, height: 9)
        Dialog(title: "Quit?", lines: ["an import is running"], footer: "[y] yes", borderStyle: Self.bold, footerStyle: Self.green,
               minWidth: 10, maxTextWidth: 12).render(into: &b, area: b.bounds)
        assertBuffer(b, expected(
            ["                        ",
             "   ┌─ Quit? ────────┐   ",
             "   │                │   ",
             "   │  an import is  │   ",
             "   │  running       │   ",
             "   │                │   ",
             "   │    [y] yes     │   ",
             "   └────────────────┘   ",
             "                        "],
            ["........................",
             "...bbbbbbbbbbbbbbbbbb...",
             "...b................b...",
             "...b................b...",
             "...b................b...",
             "...b................b...",
             "...b....ggggggg.....b...",
             "...bbbbbbbbbbbbbbbbbb...",
             "........................"],
            ["b": Self.bold, "g": Self.green]))
    }
}
