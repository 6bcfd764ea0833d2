import XCTest
@testable import MigrationCore

/// NDJSON record spans: one record per non-blank line.
final class NDJSONIndexTests: XCTestCase {
    private func index(_ text: String) throws -> RecordIndex {
        let idx = try RecordIndex.open(path: TestFiles.write(text, name: "s.ndjson"), format: .ndjson)
        XCTAssertNil(idx.finish())
        return idx
    }

    func testBlankAndWhitespaceOnlyLinesAndFinalLineWithoutNewline() throws {
        let idx = try index("{\"email\":\"a@b\"}\n\n   \t\n  {\"email\":\"c@d\"}  \n\r\n{\"email\":\"e@f\"}")
        XCTAssertEqual(idx.count, 3)
        XCTAssertEqual(idx.allSpans.map(\.line), [1, 4, 6])
        XCTAssertEqual(idx.allSpans.map(\.start), [0, 24, 44])
        XCTAssertEqual(String(decoding: idx.rawBytes(idx.span(1)), as: UTF8.self), "{\"email\":\"c@d\"}")
        XCTAssertEqual(idx.span(2).end, 59)
    }

    func testCRLFLines() throws {
        let idx = try index("{\"a\":1}\r\n{\"b\":2}\r\n")
        XCTAssertEqual(idx.allSpans, [RecordSpan(start: 0, end: 7, line: 1), RecordSpan(start: 9, end: 16, line: 2)])
    }

    func testInvalidLineIsOneRecordWithItsOwnPosition() throws {
        let idx = try index("{\"a\":1}\n  {\"b\": [1,]}\n{\"c\":3}\n")
        XCTAssertEqual(idx.count, 3)
        guard case .failure(let p) = idx.loadRecord(1) else { return XCTFail() }
        XCTAssertEqual(p.rule, "record.invalid_json")
        XCTAssertEqual(p.line, 2)
        XCTAssertEqual(p.column, 12, "the ']' after the trailing comma")
        if case .success(let v) = idx.loadRecord(2) { XCTAssertEqual(v["c"], .number("3")) } else { XCTFail() }
    }

    func testEmptyNDJSONFileWithExplicitFormat() throws {
        let idx = try index("")
        XCTAssertEqual(idx.count, 0)
        XCTAssertTrue(idx.isComplete)
        XCTAssertEqual(idx.progress, 1)
    }

    func testBOMIsSkipped() throws {
        let idx = try RecordIndex.open(path: TestFiles.write([0xEF, 0xBB, 0xBF] + Array("{\"a\":1}\n".utf8)), format: .ndjson)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.span(0).start, 3)
        if case .success = idx.loadRecord(0) {} else { XCTFail() }
    }

    func testManyLines() throws {
        let text = (0..<10_000).map { "{\"email\":\"u\($0)@x.io\"}" }.joined(separator: "\n")
        let idx = try index(text)
        XCTAssertEqual(idx.count, 10_000)
        XCTAssertEqual(idx.span(9_999).line, 10_000)
    }
}
