extension String {
    /// Whether `needle` occurs in the string, compared as UTF-8 bytes.
    ///
    /// Used instead of Foundation's `contains(_:)`, which goes through NSString and costs
    /// microseconds per call: too much on the per-record path.
    @inline(__always)
    func containsBytes(_ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard let first = n.first else { return true }
        var found = false
        var copy = self
        copy.withUTF8 { hay in
            guard hay.count >= n.count else { return }
            var i = 0
            let last = hay.count - n.count
            while i <= last {
                if hay[i] == first {
                    var k = 1
                    while k < n.count, hay[i + k] == n[k] { k += 1 }
                    if k == n.count { found = true; return }
                }
                i += 1
            }
        }
        return found
    }
}
