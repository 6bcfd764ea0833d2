import XCTest
@testable import MigrationCore

final class JSONParserTests: XCTestCase {
    func testPlaceholder() {}
}
