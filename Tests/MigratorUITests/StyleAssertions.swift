import TerminalKit
import XCTest

/// Styles of rendered cells, for tests that assert more than text: where a text is on screen,
/// the styles of its cells, and one-character-per-cell maps of attributes and colours.
extension ScreenBuffer {
    /// The first place `text` is drawn (searched row by row), in cells: x, y and its width in cells.
    func find(_ text: String) -> (x: Int, y: Int, width: Int)? {
        for y in 0..<height {
            // Cells and the columns they start at (continuation cells of wide characters skipped).
            var starts: [Int] = []
            var joined = ""
            var columnOfOffset: [Int] = []
            for x in 0..<width where !self[x, y].isContinuation {
                starts.append(x)
                for _ in self[x, y].text.unicodeScalars { columnOfOffset.append(x) }
                joined += self[x, y].text
            }
            let scalars = Array(joined.unicodeScalars), needle = Array(text.unicodeScalars)
            guard !needle.isEmpty, scalars.count >= needle.count else { continue }
            for i in 0...(scalars.count - needle.count) where Array(scalars[i..<(i + needle.count)]) == needle {
                let x = columnOfOffset[i]
                let lastStart = columnOfOffset[i + needle.count - 1]
                var end = lastStart + 1
                while end < width, self[end, y].isContinuation { end += 1 }
                return (x, y, end - x)
            }
        }
        return nil
    }

    /// The styles of `width` cells from (x, y).
    func styles(x: Int, y: Int, width: Int) -> [Style] { (x..<(x + width)).map { self[$0, y].style } }

    /// The styles of the cells where `text` is drawn; fails the test when it is not on screen.
    func styles(of text: String, file: StaticString = #filePath, line: UInt = #line) -> [Style] {
        guard let at = find(text) else {
            XCTFail("\(text.debugDescription) is not on screen:\n\(self.text)", file: file, line: line)
            return []
        }
        return styles(x: at.x, y: at.y, width: at.width)
    }

    /// One character per cell of row `y` for its attributes: `.` none, otherwise a hex digit of
    /// bold 1 + underline 2 + reverse 4 + dim 8 (so `3` is bold and underlined).
    func attributeMap(_ y: Int) -> String {
        String((0..<width).map { x -> Character in
            let s = self[x, y].style
            let bits = (s.bold ? 1 : 0) | (s.underline ? 2 : 0) | (s.reverse ? 4 : 0) | (s.dim ? 8 : 0)
            return bits == 0 ? "." : Character(String(bits, radix: 16))
        })
    }

    /// One character per cell of row `y` for its foreground colour (`.` default, else the initial:
    /// k black, r red, g green, y yellow, b blue, m magenta, c cyan, w white); background uppercase wins.
    func colorMap(_ y: Int) -> String {
        let initials: [Color: Character] = [.black: "k", .red: "r", .green: "g", .yellow: "y", .blue: "b",
                                            .magenta: "m", .cyan: "c", .white: "w"]
        return String((0..<width).map { x -> Character in
            let s = self[x, y].style
            if s.background != .default, let c = initials[s.background] { return Character(c.uppercased()) }
            return initials[s.foreground] ?? "."
        })
    }

    /// The screen a `NO_COLOR` terminal shows: every cell's style without colours, as
    /// `NcursesTerminal` draws it when colours are off.
    var monochrome: ScreenBuffer {
        var out = self
        out.restyle(bounds) { $0 = $0.monochrome }
        return out
    }
}
