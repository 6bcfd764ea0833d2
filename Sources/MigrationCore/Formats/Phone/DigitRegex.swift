/// A backtracking matcher for the small regular-expression dialect libphonenumber's metadata uses on
/// national numbers: digits, `\d`, `[…]` digit classes with ranges, `(…)`, `(?:…)`, `|`, `?`, `{n}`,
/// `{n,m}`, `{n,}` and `$`. Matching follows Java/RE2 leftmost-first semantics (greedy quantifiers,
/// alternatives tried left to right), so prefix matches end and capture exactly where libphonenumber's do.
///
/// It exists because `NSRegularExpression` costs about a microsecond per call on Linux and a valid-number
/// check needs up to a dozen matches; this matcher works on ASCII digit bytes without bridging. Whole-input
/// matches and "is there a prefix match" run on an equivalent `DigitDFA` built at compile time; only
/// `matchAtStart`, whose end and captures depend on leftmost-first order, backtracks.
struct DigitRegex: Sendable {
    /// One quantified atom. Groups refer to their alternatives by index range into `alternatives`.
    struct Piece: Sendable {
        enum Kind: UInt8, Sendable { case digits, end, group }
        var kind: Kind
        /// For `.digits`: bit (1 << digit) set for each accepted digit.
        var mask: UInt16 = 0
        /// For `.group`: 1-based capture number, 0 for `(?:…)`.
        var capture: Int = 0
        var firstAlternative: Int = 0
        var endAlternative: Int = 0
        var min: Int = 1
        var max: Int = 1
    }

    /// A sequence of pieces: a range into `sequence`, which lists piece indices.
    struct Alternative: Sendable {
        var first: Int
        var end: Int
    }

    // Flat storage so matching touches no reference-counted payloads.
    private let pieces: [Piece]
    private let alternatives: [Alternative]
    private let sequence: [Int]
    /// Index of the root group piece (the whole pattern as one non-capturing group).
    private let root: Int
    /// Number of capturing groups.
    let captureCount: Int
    /// The equivalent automaton; nil only for a pattern too large to determinize (then everything backtracks).
    let dfa: DigitDFA?

    /// Compiles a pattern; nil when it uses syntax outside the supported dialect.
    init?(_ pattern: String) {
        var parser = DigitRegexParser(pattern)
        guard let root = parser.parseRoot() else { return nil }
        self.pieces = parser.pieces
        self.alternatives = parser.alternatives
        self.sequence = parser.sequence
        self.root = root
        self.captureCount = parser.captureCount
        var builder = DigitDFABuilder(pieces: parser.pieces, alternatives: parser.alternatives, sequence: parser.sequence)
        self.dfa = builder.build(root: root)
    }

    private func run<R>(_ input: [UInt8], _ body: (DigitRegexRun) -> R) -> R {
        input.withUnsafeBufferPointer { inputBuffer in
            pieces.withUnsafeBufferPointer { piecesBuffer in
                alternatives.withUnsafeBufferPointer { alternativesBuffer in
                    sequence.withUnsafeBufferPointer { sequenceBuffer in
                        withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * (captureCount + 1)) { captures in
                            captures.initialize(repeating: -1)
                            return body(DigitRegexRun(input: inputBuffer, pieces: piecesBuffer, alternatives: alternativesBuffer,
                                                      sequence: sequenceBuffer, captures: captures))
                        }
                    }
                }
            }
        }
    }

    /// True when the whole input matches (Java `matcher.matches()`).
    func matchesEntirely(_ input: [UInt8]) -> Bool {
        input.withUnsafeBufferPointer { matchesEntirely($0) }
    }

    /// True when the whole input matches (Java `matcher.matches()`), without copying the digits.
    @inline(__always)
    func matchesEntirely(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        if let dfa { return dfa.matchesEntirely(input) }
        return backtrackingMatchesEntirely(Array(input))
    }

    /// The backtracking matcher's answer to `matchesEntirely` (the reference the automaton is tested against).
    func backtrackingMatchesEntirely(_ input: [UInt8]) -> Bool {
        let count = input.count
        return run(input) { $0.piece(root, 0, 0) { $0 == count } }
    }

    /// True when `matchAtStart` would find a match (Java `lookingAt()` succeeds), without backtracking.
    func matchesSomePrefix(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        if let dfa { return dfa.matchesSomePrefix(input) }
        return matchAtStart(Array(input)) != nil
    }

    /// The leftmost-first match at the start of the input (Java `lookingAt()`): its end and the offsets of
    /// each capturing group, nil for groups that did not participate.
    func matchAtStart(_ input: [UInt8]) -> (end: Int, groups: [Range<Int>?])? {
        if let dfa, !input.withUnsafeBufferPointer({ dfa.matchesSomePrefix($0) }) { return nil }
        return backtrackingMatchAtStart(input)
    }

    /// `matchAtStart` by backtracking alone (the reference for tests).
    func backtrackingMatchAtStart(_ input: [UInt8]) -> (end: Int, groups: [Range<Int>?])? {
        run(input) { r in
            var end = -1
            guard r.piece(root, 0, 0, { end = $0; return true }) else { return nil }
            let groups: [Range<Int>?] = (0..<captureCount).map { index in
                let start = r.captures[2 * index + 2], stop = r.captures[2 * index + 3]
                return start >= 0 ? start..<stop : nil
            }
            return (end, groups)
        }
    }
}

/// One match attempt over borrowed buffers (no reference counting in the recursion).
private struct DigitRegexRun {
    let input: UnsafeBufferPointer<UInt8>
    let pieces: UnsafeBufferPointer<DigitRegex.Piece>
    let alternatives: UnsafeBufferPointer<DigitRegex.Alternative>
    let sequence: UnsafeBufferPointer<Int>
    let captures: UnsafeMutableBufferPointer<Int>

    /// Matches the pieces `sequence[index..<end]` from `pos`, then calls `next`.
    func sequence(_ index: Int, _ end: Int, _ pos: Int, _ next: (Int) -> Bool) -> Bool {
        if index == end { return next(pos) }
        return piece(sequence[index], 0, pos) { self.sequence(index + 1, end, $0, next) }
    }

    /// Matches piece `p` having already matched it `count` times (greedy, then backtracking).
    func piece(_ p: Int, _ count: Int, _ pos: Int, _ next: (Int) -> Bool) -> Bool {
        let piece = pieces[p]
        switch piece.kind {
        case .digits:
            var n = 0
            while n < piece.max, pos + n < input.count, Self.accepts(piece.mask, input[pos + n]) { n += 1 }
            while n >= piece.min {
                if next(pos + n) { return true }
                n -= 1
            }
            return false
        case .end:
            return pos == input.count && next(pos)
        case .group:
            if count < piece.max {
                let matched = group(piece, pos) { end in
                    // An empty iteration satisfies the remaining minimum and stops the loop.
                    end == pos ? next(end) : self.piece(p, count + 1, end, next)
                }
                if matched { return true }
            }
            return count >= piece.min && next(pos)
        }
    }

    /// One iteration of a group: each alternative in order, recording the capture on the way out.
    func group(_ piece: DigitRegex.Piece, _ pos: Int, _ next: (Int) -> Bool) -> Bool {
        let capture = piece.capture
        for a in piece.firstAlternative..<piece.endAlternative {
            let alternative = alternatives[a]
            if capture == 0 {
                if sequence(alternative.first, alternative.end, pos, next) { return true }
                continue
            }
            let matched = sequence(alternative.first, alternative.end, pos) { end in
                let saved = (self.captures[2 * capture], self.captures[2 * capture + 1])
                self.captures[2 * capture] = pos
                self.captures[2 * capture + 1] = end
                if next(end) { return true }
                (self.captures[2 * capture], self.captures[2 * capture + 1]) = saved
                return false
            }
            if matched { return true }
        }
        return false
    }

    @inline(__always)
    static func accepts(_ mask: UInt16, _ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39 && mask & (1 << UInt16(byte - 0x30)) != 0
    }
}

/// Recursive-descent parser for the `DigitRegex` dialect, building the flat tables.
private struct DigitRegexParser {
    private let chars: [UInt8]
    private var pos = 0
    private(set) var captureCount = 0
    private(set) var pieces: [DigitRegex.Piece] = []
    private(set) var alternatives: [DigitRegex.Alternative] = []
    private(set) var sequence: [Int] = []

    init(_ pattern: String) { chars = Array(pattern.utf8) }

    private func peek() -> UInt8? { pos < chars.count ? chars[pos] : nil }

    /// Parses the whole pattern as one non-capturing group; returns its piece index.
    mutating func parseRoot() -> Int? {
        guard let root = parseGroupBody(capture: 0), pos == chars.count else { return nil }
        pieces.append(root)
        return pieces.count - 1
    }

    /// Parses alternatives up to (not including) `)` or the end; their tables are stored contiguously.
    private mutating func parseGroupBody(capture: Int) -> DigitRegex.Piece? {
        var groupAlternatives: [[Int]] = [[]]
        while let c = peek(), c != UInt8(ascii: ")") {
            if c == UInt8(ascii: "|") {
                pos += 1
                groupAlternatives.append([])
                continue
            }
            guard let piece = parsePiece() else { return nil }
            pieces.append(piece)
            groupAlternatives[groupAlternatives.count - 1].append(pieces.count - 1)
        }
        let first = alternatives.count
        for alternative in groupAlternatives {
            let start = sequence.count
            sequence += alternative
            alternatives.append(DigitRegex.Alternative(first: start, end: sequence.count))
        }
        return DigitRegex.Piece(kind: .group, capture: capture, firstAlternative: first, endAlternative: alternatives.count)
    }

    private mutating func parsePiece() -> DigitRegex.Piece? {
        guard var piece = parseAtom() else { return nil }
        if peek() == UInt8(ascii: "?") {
            pos += 1
            (piece.min, piece.max) = (0, 1)
        } else if peek() == UInt8(ascii: "{") {
            pos += 1
            guard let n = parseNumber() else { return nil }
            (piece.min, piece.max) = (n, n)
            if peek() == UInt8(ascii: ",") {
                pos += 1
                piece.max = parseNumber() ?? Int.max
            }
            guard peek() == UInt8(ascii: "}"), piece.max >= piece.min else { return nil }
            pos += 1
        }
        // Lazy or possessive quantifiers, and quantified anchors, are outside the dialect.
        if let c = peek(), c == UInt8(ascii: "?") || c == UInt8(ascii: "+") || c == UInt8(ascii: "*") || c == UInt8(ascii: "{") {
            return nil
        }
        if piece.kind == .end && (piece.min, piece.max) != (1, 1) { return nil }
        return piece
    }

    private mutating func parseNumber() -> Int? {
        var value: Int?
        while let c = peek(), c >= 0x30, c <= 0x39 {
            value = (value ?? 0) * 10 + Int(c - 0x30)
            pos += 1
        }
        return value
    }

    private mutating func parseAtom() -> DigitRegex.Piece? {
        guard let c = peek() else { return nil }
        pos += 1
        switch c {
        case 0x30...0x39:
            return DigitRegex.Piece(kind: .digits, mask: 1 << UInt16(c - 0x30))
        case UInt8(ascii: "\\"):
            guard peek() == UInt8(ascii: "d") else { return nil }
            pos += 1
            return DigitRegex.Piece(kind: .digits, mask: 0x3FF)
        case UInt8(ascii: "$"):
            return DigitRegex.Piece(kind: .end)
        case UInt8(ascii: "["):
            guard let mask = parseClass() else { return nil }
            return DigitRegex.Piece(kind: .digits, mask: mask)
        case UInt8(ascii: "("):
            var capture = 0
            if peek() == UInt8(ascii: "?") {
                guard pos + 1 < chars.count, chars[pos + 1] == UInt8(ascii: ":") else { return nil }
                pos += 2
            } else {
                captureCount += 1
                capture = captureCount
            }
            guard let group = parseGroupBody(capture: capture), peek() == UInt8(ascii: ")") else { return nil }
            pos += 1
            return group
        default:
            return nil
        }
    }

    /// `[…]` of digits, digit ranges and `\d`; returns the digit mask.
    private mutating func parseClass() -> UInt16? {
        var mask: UInt16 = 0
        while let c = peek(), c != UInt8(ascii: "]") {
            pos += 1
            if c == UInt8(ascii: "\\") {
                guard peek() == UInt8(ascii: "d") else { return nil }
                pos += 1
                mask |= 0x3FF
                continue
            }
            guard c >= 0x30, c <= 0x39 else { return nil }
            var high = c
            if peek() == UInt8(ascii: "-"), pos + 1 < chars.count, chars[pos + 1] != UInt8(ascii: "]") {
                high = chars[pos + 1]
                guard high >= c, high <= 0x39 else { return nil }
                pos += 2
            }
            for d in c...high { mask |= 1 << UInt16(d - 0x30) }
        }
        guard peek() == UInt8(ascii: "]"), mask != 0 else { return nil }
        pos += 1
        return mask
    }
}
