import Foundation
import XCTest
@testable import MigrationCore

/// Hostile inputs (deep nesting, huge strings) and the byte offsets of syntax errors.
final class JSONParserAdversarialTests: XCTestCase {
    func testHundredThousandOpenBracketsGiveADepthError() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 100_000)
        let e = parseError(bytes)
        XCTAssertTrue(e?.message.contains("nesting is deeper than 10000") ?? false, "\(String(describing: e))")
        XCTAssertEqual(e?.offset, 10_000, "the first '[' beyond the limit")
    }

    func testDeepObjectsGiveADepthError() {
        let text = String(repeating: "{\"a\":", count: 20_000) + "1" + String(repeating: "}", count: 20_000)
        XCTAssertTrue(parseError(text)?.message.contains("nesting") ?? false)
    }

    func testCustomMaxDepth() {
        XCTAssertNoThrow(try JSONParser.parse("[[[1]]]", maxDepth: 3))
        let e = parseError(Array("[[[[1]]]]".utf8), maxDepth: 3)
        XCTAssertEqual(e?.offset, 3)
    }

    /// Runs on a thread with a 512 KiB stack: a recursive parser would overflow on these inputs.
    func testNoRecursionOnASmallStack() {
        let done = expectation(description: "parsed on a small stack")
        let thread = Thread {
            // 2,000 levels: parsing is iterative; releasing the value is Swift's own (recursive) enum teardown.
            let deep = String(repeating: "[", count: 2_000) + String(repeating: "]", count: 2_000)
            let ok = (try? JSONParser.parse(deep)) != nil
            let tooDeep = (try? JSONParser.parse([UInt8](repeating: UInt8(ascii: "["), count: 100_000))) == nil
            let mixed = String(repeating: "{\"k\":[", count: 1_000) + "0" + String(repeating: "]}", count: 1_000)
            let mixedOK = (try? JSONParser.parse(mixed)) != nil
            XCTAssertTrue(ok)
            XCTAssertTrue(tooDeep)
            XCTAssertTrue(mixedOK)
            done.fulfill()
        }
        thread.stackSize = 512 * 1024
        thread.start()
        wait(for: [done], timeout: 60)
    }

    /// A 10,000-level value (the most Go accepts) can be built, compared and released on an 8 MiB thread.
    func testDeepValueCanBeBuiltAndReleasedOnASmallStack() {
        let done = expectation(description: "released")
        let thread = Thread {
            do {
                let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
                let value = try? JSONParser.parse(deep)
                XCTAssertNotNil(value)
                XCTAssertEqual(value, value)
            }
            done.fulfill()
        }
        thread.stackSize = 8 << 20
        thread.start()
        wait(for: [done], timeout: 60)
    }

    func testFiftyMegabyteStringParses() {
        var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 50 << 20)
        bytes[0] = 0x22
        bytes[bytes.count - 1] = 0x22
        bytes[1000] = 0xC3; bytes[1001] = 0xA9  // é keeps the UTF-8 validation path busy
        bytes[5000] = 0x5C; bytes[5001] = UInt8(ascii: "n")
        let v = try? JSONParser.parse(bytes)
        XCTAssertEqual(v?.stringValue?.utf8.count, (50 << 20) - 2 - 1)
    }

    func testFiftyMegabyteUnterminatedStringErrors() {
        var bytes = [UInt8](repeating: UInt8(ascii: "b"), count: 50 << 20)
        bytes[0] = 0x22
        let e = parseError(bytes)
        XCTAssertEqual(e?.offset, 0)
        XCTAssertTrue(e?.message.contains("unterminated string") ?? false)
    }

    // MARK: - Offsets

    func testErrorOffsetsPointAtTheFaultyByte() {
        let cases: [(String, Int)] = [
            ("[1,]", 3),                       // the ']' after the comma
            ("{\"a\":1,}", 7),
            ("[1 2]", 3),
            ("{\"a\" 1}", 5),
            ("[01]", 1),                       // start of the number
            ("[1.]", 3),                       // where a digit was expected
            ("[1e]", 3),
            ("[-]", 2),
            ("[\"ab\\xcd\"]", 4),              // the backslash of the bad escape
            ("[\"ab\\uD800\"]", 4),            // the backslash of the unpaired surrogate
            ("[\"ab\\uDC00\"]", 4),
            ("[\"\\uD800\\u0041\"]", 2),
            ("[\"\\uD800\\uZZZZ\"]", 8),       // the second escape is not hex
            ("[\"\\u12\"]", 2),
            ("[tru]", 1),
            ("[nul", 1),
            ("[1] x", 4),
            ("   ", 3),
            ("[1", 2),
            ("{\"a\":1", 6),
            ("  \"abc", 2),                    // an unterminated string points at its opening quote
            ("[NaN]", 1),
        ]
        for (text, offset) in cases {
            XCTAssertEqual(parseError(text)?.offset, offset, text)
        }
    }

    func testControlCharacterAndUTF8Offsets() {
        XCTAssertEqual(parseError([0x5B, 0x22, 0x61, 0x0A, 0x22, 0x5D])?.offset, 3)
        XCTAssertEqual(parseError([0x5B, 0x22, 0x61, 0x62, 0xC0, 0x80, 0x22, 0x5D])?.offset, 4)
        XCTAssertEqual(parseError([0x22, 0x61, 0xED, 0xA0, 0x80, 0x22])?.offset, 2)
        XCTAssertEqual(parseError([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22])?.offset, 1)
        XCTAssertEqual(parseError([0x22, 0x61, 0x62, 0x63, 0xE2, 0x82, 0x22])?.offset, 4)
        XCTAssertEqual(parseError([0x22, 0x80, 0x22])?.offset, 1)
    }

    func testMessagesNameTheProblem() {
        XCTAssertTrue(parseError("[1,]")?.message.contains("trailing comma") ?? false)
        XCTAssertTrue(parseError("01")?.message.contains("leading zeros") ?? false)
        XCTAssertTrue(parseError("\"\\uD800\"")?.message.contains("unpaired surrogate") ?? false)
        XCTAssertTrue(parseError("\"\\q\"")?.message.contains("invalid escape") ?? false)
        XCTAssertTrue(parseError([0x22, 0x01, 0x22])?.message.contains("control character 0x01") ?? false)
        XCTAssertTrue(parseError("[1] x")?.message.contains("after the end of the JSON value") ?? false)
        XCTAssertEqual(parseError("[1,]")?.description, "trailing comma before ']' (byte 3)")
    }

    func testParsingFromARawBufferSlice() throws {
        let bytes = Array("xx{\"a\":[1,2]}yy".utf8)
        let v = try bytes.withUnsafeBytes { raw in try JSONParser.parse(UnsafeRawBufferPointer(rebasing: raw[2..<13])) }
        XCTAssertEqual(v["a"], .array([.number("1"), .number("2")]))
    }
}
