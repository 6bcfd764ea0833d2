import XCTest
@testable import Sandbox

final class SandboxInfoTests: XCTestCase {
    func testDefaults() {
        XCTAssertEqual(SandboxInfo.defaultProjectID, "myapp")
        XCTAssertEqual(SandboxInfo.defaultKeyID, "test-kid")
    }
}
