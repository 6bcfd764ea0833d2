/// Port of Go `path.Clean` (slash-separated, lexical).
enum GoPath {
    /// `path.Clean(p)`.
    static func clean(_ p: String) -> String {
        let path = Array(p.utf8)
        if path.isEmpty { return "." }
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        let rooted = path[0] == slash
        let n = path.count
        var out: [UInt8] = []
        out.reserveCapacity(n)
        var r = 0, dotdot = 0
        if rooted {
            out.append(slash)
            r = 1
            dotdot = 1
        }
        while r < n {
            if path[r] == slash {
                r += 1
            } else if path[r] == dot && (r + 1 == n || path[r + 1] == slash) {
                r += 1
            } else if path[r] == dot && path[r + 1] == dot && (r + 2 == n || path[r + 2] == slash) {
                r += 2
                if out.count > dotdot {
                    out.removeLast()
                    while out.count > dotdot && out[out.count - 1] != slash { out.removeLast() }
                } else if !rooted {
                    if !out.isEmpty { out.append(slash) }
                    out += [dot, dot]
                    dotdot = out.count
                }
            } else {
                if (rooted && out.count != 1) || (!rooted && !out.isEmpty) { out.append(slash) }
                while r < n && path[r] != slash {
                    out.append(path[r])
                    r += 1
                }
            }
        }
        if out.isEmpty { return "." }
        return String(decoding: out, as: UTF8.self)
    }
}
