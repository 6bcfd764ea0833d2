import XCTest
@testable import MigrationCore

final class IssueTableTests: XCTestCase {
    private let w = Issue.warning("/a", rule: "r", "m")
    private let e = Issue.error("/b", rule: "s", "n")

    /// Random sets, replacements and removals behave like a dictionary, listed in record order.
    func testBehavesLikeASortedDictionary() {
        var table = IssueTable()
        var model: [Int: [Issue]] = [:]
        var rng = SystemRandomNumberGenerator()
        for step in 0..<5_000 {
            let n = Int.random(in: 0..<300, using: &rng)
            let list: [Issue]? = [nil, [], [w], [e, w]].randomElement(using: &rng)!
            if step % 3 == 0, n > (Array(table.keys).last ?? -1), let list, !list.isEmpty {
                table.append(n, list)
            } else {
                table[n] = list
            }
            model[n] = (list?.isEmpty ?? true) ? nil : list
            XCTAssertEqual(table[n], model[n])
        }
        XCTAssertEqual(Array(table.keys), model.keys.sorted())
        XCTAssertEqual(table.count, model.count)
        XCTAssertEqual(table.map(\.key), model.keys.sorted())
        XCTAssertEqual(table.values, model.keys.sorted().map { model[$0]! })
    }

    func testAppendOutOfOrderStillKeepsOrder() {
        var table = IssueTable()
        table.append(5, [w])
        table.append(2, [e])
        table.append(9, [w])
        XCTAssertEqual(Array(table.keys), [2, 5, 9])
        XCTAssertEqual(table[2], [e])
        XCTAssertNil(table[3])
    }
}
