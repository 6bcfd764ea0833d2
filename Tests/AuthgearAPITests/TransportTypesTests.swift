import XCTest
@testable import AuthgearAPI

final class TransportTypesTests: XCTestCase {
    func testHeaderLookupIsCaseInsensitive() {
        let r = HTTPResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/json")])
        XCTAssertEqual(r.header("content-type"), "application/json")
        XCTAssertNil(r.header("date"))
    }
}
