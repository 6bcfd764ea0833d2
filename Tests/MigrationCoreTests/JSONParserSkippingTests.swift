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

/// `JSONParser.member(_:ofObject:)`: one top-level member's value, read as the whole parse and
/// `JSONValue`'s subscript would read it.
final class JSONParserMemberTests: XCTestCase {
    func member(_ key: String, _ text: String) throws -> JSONValue? {
        try Array(text.utf8).withUnsafeBytes { try JSONParser.member(key, ofObject: $0) }
    }

    func testTheMemberIsReadAsTheWholeParseReadsIt() throws {
        let texts = [
            #"{"email":"a@example.com","name":"A"}"#,
            " {\n  \"name\" : {\"email\": \"nested@x\"} ,\n  \"email\" :\t\"b@example.com\" }\n",
            #"{"email":"first@x","email":"last@x"}"#,                      // the last one, as the subscript reads it
            #"{"em\u0061il":"escaped-key@x","other":[1,{"email":2}]}"#,    // an escaped key is compared decoded
            #"{"x":"a \"quoted\" \\ email","email":{"k":[1,2]}}"#,
            #"{"email":null}"#, #"{}"#, #"{"name":"no email"}"#, #"{"email":12.50}"#,
        ]
        for text in texts {
            XCTAssertEqual(try member("email", text), try JSONParser.parse(text)["email"], text)
        }
    }

    func testWhatIsNotAJSONObjectIsRefused() {
        for bad in [#"[{"email":"a"}]"#, #""email""#, #"{"email":"a""#, #"{"email":"a",}"#, #"{"email" "a"}"#,
                    #"{"email":"a"} x"#, #"{"name":"unterminated}"#, #"{email:"a"}"#, ""] {
            XCTAssertThrowsError(try member("email", bad), bad)
        }
    }
}
