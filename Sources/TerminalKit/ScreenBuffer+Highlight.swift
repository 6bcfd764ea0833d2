extension ScreenBuffer {
    /// Restyles every occurrence of `needle` (case-insensitive, grapheme by grapheme) drawn on the
    /// lines of `rect`, as it appears on screen: a search match shown in a table, say. Text cut
    /// by `…` only matches the part that is drawn.
    public mutating func highlight(_ needle: String, in rect: Rect, _ change: (inout Style) -> Void) {
        let wanted = needle.lowercased().map { String($0) }
        let r = clip(rect)
        guard !wanted.isEmpty, !r.isEmpty else { return }
        for y in r.y..<r.maxY {
            // The drawn graphemes of the line and the column each starts at (wide ones span two).
            var glyphs: [(x: Int, text: String)] = []
            for x in r.x..<r.maxX where !self[x, y].isContinuation { glyphs.append((x, self[x, y].text.lowercased())) }
            guard glyphs.count >= wanted.count else { continue }
            var i = 0
            while i + wanted.count <= glyphs.count {
                guard (0..<wanted.count).allSatisfy({ glyphs[i + $0].text == wanted[$0] }) else { i += 1; continue }
                let start = glyphs[i].x
                let end = i + wanted.count < glyphs.count ? glyphs[i + wanted.count].x : r.maxX
                restyle(Rect(x: start, y: y, width: end - start, height: 1), change)
                i += wanted.count
            }
        }
    }
}
