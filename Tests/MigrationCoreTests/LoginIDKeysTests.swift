import XCTest
@testable import MigrationCore

final class LoginIDKeysTests: XCTestCase {
    /// The bucketed search finds exactly the groups a plain dictionary count finds.
    func testDuplicateGroupsMatchAPlainCount() {
        var rng = SystemRandomNumberGenerator()
        var keys = LoginIDKeys()
        var chunk: [(Int32, UInt64)] = []
        var all: [(Int, UInt64)] = []
        for n in 0..<50_000 {
            // Mostly unique; some repeats, including 0, UInt64.max and values that share a bucket.
            let h: UInt64
            switch Int.random(in: 0..<100, using: &rng) {
            case 0: h = UInt64(Int.random(in: 0..<50, using: &rng))
            case 1: h = UInt64.max - UInt64(Int.random(in: 0..<3, using: &rng))
            case 2: h = (UInt64(Int.random(in: 0..<4, using: &rng)) << 60) | 7
            default: h = UInt64.random(in: 0...UInt64.max, using: &rng)
            }
            chunk.append((Int32(n), h))
            all.append((n, h))
        }
        keys.append(chunk, base: 0)
        var expected: [UInt64: [Int]] = [:]
        for (n, h) in all { expected[h, default: []].append(n) }
        let want = Set(expected.values.filter { $0.count > 1 })
        let got = Set(keys.duplicateGroups().lists)
        XCTAssertEqual(got, want)
        XCTAssertFalse(want.isEmpty)
    }

    func testNoGroupsWithoutRepeats() {
        var keys = LoginIDKeys()
        keys.append((0..<1000).map { (Int32($0), UInt64($0) &* 0x9E3779B97F4A7C15) }, base: 0)
        XCTAssertTrue(keys.duplicateGroups().isEmpty)
        XCTAssertTrue(LoginIDKeys().duplicateGroups().isEmpty)
    }
}
