import XCTest
@testable import MigrationCore

/// `JSONParser.parse(_:skipping:)`: members left out at any depth, the rest exactly as before.
final class JSONParserSkippingTests: XCTestCase {
    func parse(_ text: String, skipping: Set<String> = ["record"]) throws -> JSONValue {
        try JSONParser.parse(Array(text.utf8), skipping: skipping)
    }

    func testSkippedMembersAreLeftOutAtAnyDepth() throws {
        let text = #"{"result":{"details":[{"index":0,"record":{"email":"a@b","x":[1,{"record":2}],"s":"}]\"{"},"outcome":"inserted"},{"record":"last","index":1}]},"record":null}"#
        let v = try parse(text)
        XCTAssertNil(v["record"])
        let details = v["result"]?["details"]?.arrayValue
        XCTAssertEqual(details?.count, 2)
        XCTAssertEqual(details?[0], .obj(["index": .number("0"), "outcome": .string("inserted")]))
        XCTAssertEqual(details?[1], .obj(["index": .number("1")]))
        // Without skipping, the same text parses whole.
        XCTAssertNotNil(try parse(text, skipping: [])["record"])
    }

    func testAnObjectOfOnlySkippedMembersIsEmpty() throws {
        XCTAssertEqual(try parse(#"{"record": {"a": 1}}"#), .object([]))
        XCTAssertEqual(try parse(#"[{"record": 1}, {"record": [], "k": true}]"#), .array([.object([]), .obj(["k": .bool(true)])]))
    }

    func testSkippedValuesMustStillBeWellFormed() {
        for bad in [#"{"record": {"a": 1}"#, #"{"record": "unterminated}"#, #"{"record": tru}"#, #"{"record": 1,}"#,
                    #"{"record": 1 "k": 2}"#, "{\"record\": \"a\u{1}\"}"] {
            XCTAssertThrowsError(try parse(bad), bad)
        }
    }
}
