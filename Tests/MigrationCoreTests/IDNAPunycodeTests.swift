import XCTest
@testable import MigrationCore

final class IDNAPunycodeTests: XCTestCase {
    func testToASCII() throws {
        XCTAssertEqual(try IDNAPunycode.toASCII("bücher.example"), "xn--bcher-kva.example")
        XCTAssertEqual(try IDNAPunycode.toASCII("xn--bcher-kva.example"), "xn--bcher-kva.example")
        XCTAssertEqual(try IDNAPunycode.toASCII("example.com"), "example.com")
        XCTAssertEqual(try IDNAPunycode.toASCII("測試.香港"), "xn--g6w251d.xn--j6w193g")
        XCTAssertThrowsError(try IDNAPunycode.toASCII("xn---.com"))
    }

    func testDecode() {
        XCTAssertEqual(IDNAPunycode.decode(Array("bcher-kva".utf8)), "bücher")
        XCTAssertEqual(IDNAPunycode.decode(Array("abc-".utf8)), "abc")
        XCTAssertNil(IDNAPunycode.decode(Array("-abc".utf8)))
    }
}
