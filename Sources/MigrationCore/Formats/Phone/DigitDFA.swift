/// A deterministic automaton over the ten ASCII digits, equivalent to one `DigitRegex` for the
/// questions that do not depend on leftmost-first order: "does the whole input match?" and
/// "does some prefix of the input match?". Matching is one table lookup per digit.
///
/// Built from the parsed pattern by a Thompson NFA (counted repetition expanded, captures ignored)
/// and the subset construction. `$` is an epsilon move allowed only at the end of the input, so each
/// state records two acceptance bits: accepting at the end of the input, and accepting before it.
struct DigitDFA: Sendable {
    /// Transitions in rows of `stride` entries: ten next states (0 = dead) then the state's flags.
    let table: [UInt16]
    static let stride = 11
    static let acceptsAtEnd: UInt16 = 1
    static let acceptsBeforeEnd: UInt16 = 2
    /// Most states a pattern may produce before the caller keeps the backtracking matcher instead.
    static let maximumStates = 20_000

    /// The live start state (1) is the second row; row 0 is the dead state.
    static let start = 1

    fileprivate init(table: [UInt16]) { self.table = table }

    /// Number of states, dead state included (for tests).
    var stateCount: Int { table.count / Self.stride }

    /// True when the whole input is a word of the pattern (Java `matches()`).
    @inline(__always)
    func matchesEntirely(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        table.withUnsafeBufferPointer { Self.matchesEntirely(table: $0.baseAddress!, input) }
    }

    /// True when some prefix of the input (possibly empty or all of it) matches (Java `lookingAt()` succeeds).
    func matchesSomePrefix(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        table.withUnsafeBufferPointer { Self.matchesSomePrefix(table: $0.baseAddress!, input) }
    }

    /// `matchesEntirely` over a table given by its first row (an automaton copied into flat tables).
    @inline(__always)
    static func matchesEntirely(table t: UnsafePointer<UInt16>, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var state = start
        for byte in input {
            let digit = byte &- 0x30
            guard digit <= 9 else { return false }
            state = Int(t[state &* stride &+ Int(digit)])
            if state == 0 { return false }
        }
        return t[state &* stride &+ 10] & acceptsAtEnd != 0
    }

    /// `matchesSomePrefix` over a table given by its first row.
    static func matchesSomePrefix(table t: UnsafePointer<UInt16>, _ input: UnsafeBufferPointer<UInt8>) -> Bool {
        var state = start
        for byte in input {
            if t[state &* stride &+ 10] & acceptsBeforeEnd != 0 { return true }
            let digit = byte &- 0x30
            guard digit <= 9 else { return false }
            state = Int(t[state &* stride &+ Int(digit)])
            if state == 0 { return false }
        }
        return t[state &* stride &+ 10] & acceptsAtEnd != 0
    }

    /// The state reached from `state` on `digit` (0 = dead), and a state's flags: for tests' random walks.
    func next(_ state: Int, _ digit: Int) -> Int { Int(table[state * Self.stride + digit]) }
    func flags(_ state: Int) -> UInt16 { table[state * Self.stride + 10] }
    var startState: Int { Self.start }
}

/// Builds a `DigitDFA` from `DigitRegex`'s flat piece tables.
struct DigitDFABuilder {
    private enum NodeKind: UInt8 { case consume, split, end, accept }
    /// NFA node: `consume` takes a digit in `mask` to `out`; `split` is an epsilon move to `out` and `alt`
    /// (`alt` -1 for a plain jump); `end` is an epsilon move to `out` allowed only at the end of the input.
    private struct Node {
        var kind: NodeKind
        var mask: UInt16 = 0
        var out: Int32 = -1
        var alt: Int32 = -1
    }

    private let pieces: [DigitRegex.Piece]
    private let alternatives: [DigitRegex.Alternative]
    private let sequence: [Int]
    private var nodes: [Node] = []

    init(pieces: [DigitRegex.Piece], alternatives: [DigitRegex.Alternative], sequence: [Int]) {
        self.pieces = pieces
        self.alternatives = alternatives
        self.sequence = sequence
    }

    /// The automaton for piece `root`, or nil when it would exceed `DigitDFA.maximumStates`.
    mutating func build(root: Int) -> DigitDFA? {
        nodes = [Node(kind: .accept)]
        let entry = compilePiece(root, next: 0)
        return determinize(entry: entry)
    }

    private mutating func add(_ node: Node) -> Int {
        nodes.append(node)
        return nodes.count - 1
    }

    /// Compiles piece `p` (with its quantifier) so that it continues at node `next`; returns its entry node.
    private mutating func compilePiece(_ p: Int, next: Int) -> Int {
        let piece = pieces[p]
        if piece.kind == .end { return add(Node(kind: .end, out: Int32(next))) }
        if piece.max == Int.max {
            // x{n,}: n copies, then a loop `L: split(x → L, next)`.
            let loop = add(Node(kind: .split, out: -1, alt: Int32(next)))
            let body = compileAtom(piece, next: loop)
            nodes[loop].out = Int32(body)
            var entry = loop
            for _ in 0..<piece.min { entry = compileAtom(piece, next: entry) }
            return entry
        }
        // x{n,m}: n copies then m−n nested optional copies, x(x(x)?)?.
        var entry = next
        for _ in 0..<(piece.max - piece.min) {
            let copy = compileAtom(piece, next: entry)
            entry = add(Node(kind: .split, out: Int32(copy), alt: Int32(next)))
        }
        for _ in 0..<piece.min { entry = compileAtom(piece, next: entry) }
        return entry
    }

    /// One unquantified occurrence of a digit class or group.
    private mutating func compileAtom(_ piece: DigitRegex.Piece, next: Int) -> Int {
        switch piece.kind {
        case .digits:
            return add(Node(kind: .consume, mask: piece.mask, out: Int32(next)))
        case .end:
            return add(Node(kind: .end, out: Int32(next)))
        case .group:
            var entries: [Int] = []
            for a in piece.firstAlternative..<piece.endAlternative {
                let alternative = alternatives[a]
                var entry = next
                for index in stride(from: alternative.end - 1, through: alternative.first, by: -1) {
                    entry = compilePiece(sequence[index], next: entry)
                }
                entries.append(entry)
            }
            guard var entry = entries.last else { return next }
            for e in entries.dropLast().reversed() { entry = add(Node(kind: .split, out: Int32(e), alt: Int32(entry))) }
            return entry
        }
    }

    /// Subset construction over Glushkov-style follow sets: a DFA state is a sorted set of consume nodes
    /// plus its two acceptance bits; the successor on a digit is the union of its members' follow sets.
    private func determinize(entry: Int) -> DigitDFA? {
        let count = nodes.count
        var compact = [Int32](repeating: -1, count: count)  // NFA node → consume index
        var consumeMasks: [UInt16] = []
        for n in 0..<count where nodes[n].kind == .consume {
            compact[n] = Int32(consumeMasks.count)
            consumeMasks.append(nodes[n].mask)
        }
        var mark = [Int](repeating: 0, count: count)
        var stamp = 0
        var stack: [Int] = []
        var found: [Int32] = []

        /// Epsilon closure of `seed` into `found` (unsorted consume indices) and its flags. Crossing an
        /// `end` node means only the end of the input can follow, so nothing past it can consume.
        func closure(_ seed: Int) -> UInt16 {
            stamp += 1
            found.removeAll(keepingCapacity: true)
            var flags: UInt16 = 0
            stack.removeAll(keepingCapacity: true)
            stack.append(seed)
            while let m = stack.popLast() {
                if mark[m] == stamp { continue }
                mark[m] = stamp
                let node = nodes[m]
                switch node.kind {
                case .accept: flags |= DigitDFA.acceptsAtEnd | DigitDFA.acceptsBeforeEnd
                case .consume: found.append(compact[m])
                case .end: if endReachesAccept(Int(node.out)) { flags |= DigitDFA.acceptsAtEnd }
                case .split:
                    stack.append(Int(node.out))
                    if node.alt >= 0 { stack.append(Int(node.alt)) }
                }
            }
            return flags
        }
        /// Whether epsilon moves (further `end` moves allowed) from `node` reach `accept`.
        func endReachesAccept(_ node: Int) -> Bool {
            var seen = Set<Int>()
            var pending = [node]
            while let m = pending.popLast() {
                guard seen.insert(m).inserted else { continue }
                let n = nodes[m]
                switch n.kind {
                case .accept: return true
                case .consume: break
                case .end: pending.append(Int(n.out))
                case .split:
                    pending.append(Int(n.out))
                    if n.alt >= 0 { pending.append(Int(n.alt)) }
                }
            }
            return false
        }

        // Follow set of each consume node: the closure of its successor.
        var followStart: [Int32] = [0]
        var followPool: [Int32] = []
        var followFlags: [UInt16] = []
        for n in 0..<count where nodes[n].kind == .consume {
            followFlags.append(closure(Int(nodes[n].out)))
            followPool += found
            followStart.append(Int32(followPool.count))
        }

        var table = DigitDFATableBuilder()
        let startFlags = closure(entry)
        found.sort()
        _ = table.intern(found, flags: startFlags)  // state 1
        var target: [Int32] = []
        var targetMark = [Int](repeating: 0, count: consumeMasks.count)
        var targetStamp = 0
        var members: [Int32] = []
        var selections = [UInt64](repeating: 0, count: 10)
        var current = 1
        while current < table.stateCount {
            let (first, end) = table.members(of: current)
            members.removeAll(keepingCapacity: true)
            members.append(contentsOf: table.pool[first..<end])
            // Which members take each digit (as bits, when there are at most 64 members): digits with the
            // same selection share one successor.
            let selectable = members.count <= 64
            if selectable {
                for d in 0..<10 { selections[d] = 0 }
                for (i, member) in members.enumerated() {
                    var mask = consumeMasks[Int(member)]
                    while mask != 0 {
                        selections[mask.trailingZeroBitCount] |= 1 << UInt64(i)
                        mask &= mask &- 1
                    }
                }
            }
            for digit in 0..<10 {
                if selectable {
                    let selection = selections[digit]
                    if selection == 0 { continue }
                    if let earlier = (0..<digit).first(where: { selections[$0] == selection }) {
                        table.setTransition(from: current, digit: digit, to: table.transition(from: current, digit: earlier))
                        continue
                    }
                }
                let bit: UInt16 = 1 << UInt16(digit)
                targetStamp += 1
                target.removeAll(keepingCapacity: true)
                var flags: UInt16 = 0
                for member in members {
                    let c = Int(member)
                    guard consumeMasks[c] & bit != 0 else { continue }
                    flags |= followFlags[c]
                    for f in Int(followStart[c])..<Int(followStart[c + 1]) {
                        let t = Int(followPool[f])
                        if targetMark[t] != targetStamp { targetMark[t] = targetStamp; target.append(Int32(t)) }
                    }
                }
                if target.isEmpty && flags == 0 { continue }
                target.sort()
                guard let id = table.intern(target, flags: flags) else { return nil }
                table.setTransition(from: current, digit: digit, to: id)
            }
            current += 1
        }
        return DigitDFA(table: table.rows)
    }
}

/// The growing transition table of a subset construction, with an open-addressing index of its states.
private struct DigitDFATableBuilder {
    private(set) var rows = [UInt16](repeating: 0, count: DigitDFA.stride)  // row 0: dead
    private(set) var pool: [Int32] = []
    private var memberStart: [Int] = [0, 0]  // state i's members are pool[memberStart[i]..<memberStart[i + 1]]
    private var slots = [Int32](repeating: 0, count: 64)

    var stateCount: Int { memberStart.count - 1 }

    func members(of state: Int) -> (first: Int, end: Int) { (memberStart[state], memberStart[state + 1]) }
    func transition(from state: Int, digit: Int) -> UInt16 { rows[state * DigitDFA.stride + digit] }
    mutating func setTransition(from state: Int, digit: Int, to target: UInt16) { rows[state * DigitDFA.stride + digit] = target }

    private func hash<Members: Sequence<Int32>>(_ members: Members, _ flags: UInt16) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(flags)
        for m in members { h = (h ^ UInt64(UInt32(bitPattern: m))) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    private func equals(_ state: Int, _ members: [Int32], _ flags: UInt16) -> Bool {
        guard rows[state * DigitDFA.stride + 10] == flags else { return false }
        let (first, end) = self.members(of: state)
        guard end - first == members.count else { return false }
        for i in 0..<members.count where pool[first + i] != members[i] { return false }
        return true
    }

    /// The id of the state with these sorted members and flags, adding it if new; nil past the size limit.
    mutating func intern(_ members: [Int32], flags: UInt16) -> UInt16? {
        var slot = hash(members, flags) & (slots.count - 1)
        while slots[slot] != 0 {
            if equals(Int(slots[slot]), members, flags) { return UInt16(slots[slot]) }
            slot = (slot + 1) & (slots.count - 1)
        }
        let id = stateCount
        guard id < DigitDFA.maximumStates else { return nil }
        pool += members
        memberStart.append(pool.count)
        rows += repeatElement(0, count: DigitDFA.stride)
        rows[id * DigitDFA.stride + 10] = flags
        slots[slot] = Int32(id)
        if 2 * id >= slots.count { rehash() }
        return UInt16(id)
    }

    private mutating func rehash() {
        slots = [Int32](repeating: 0, count: slots.count * 2)
        for id in 1..<stateCount {
            let (first, end) = members(of: id)
            var slot = hash(pool[first..<end], rows[id * DigitDFA.stride + 10]) & (slots.count - 1)
            while slots[slot] != 0 { slot = (slot + 1) & (slots.count - 1) }
            slots[slot] = Int32(id)
        }
    }
}
