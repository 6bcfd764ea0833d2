import XCTest
@testable import MigrationCore

/// Record spans found in import documents and bare JSON arrays.
final class DocumentIndexTests: XCTestCase {
    private func index(_ text: String, format: SourceFormat? = nil) throws -> RecordIndex {
        try RecordIndex.open(path: TestFiles.write(text), format: format)
    }

    /// The text of each span.
    private func texts(_ idx: RecordIndex) -> [String] {
        idx.allSpans.map { String(decoding: idx.rawBytes($0), as: UTF8.self) }
    }

    func testDocumentWithRecordsFirstAndIdentifierLast() throws {
        let text = "{\"records\": [{\"email\":\"a@b\"}, {\"email\":\"c@d\"}],\n \"upsert\": true,\n \"identifier\": \"phone_number\"}"
        let idx = try index(text)
        XCTAssertEqual(idx.format, .authgear)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(texts(idx), ["{\"email\":\"a@b\"}", "{\"email\":\"c@d\"}"])
        XCTAssertEqual(idx.allSpans.map(\.start), [13, 30])
        XCTAssertEqual(idx.allSpans.map(\.line), [1, 1])
        XCTAssertEqual(idx.documentDefaults, DocumentDefaults(identifier: "phone_number", upsert: true))
        XCTAssertTrue(idx.isComplete)
        XCTAssertEqual(idx.progress, 1)
    }

    func testPrettyPrintedRecordsOverSeveralLines() throws {
        let text = """
        {
          "identifier": "email",
          "records": [
            {
              "email": "a@b",
              "name": "A"
            },
            {
              "email": "c@d"
            }
          ]
        }
        """
        let idx = try index(text)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.allSpans.map(\.line), [4, 8])
        XCTAssertEqual(texts(idx)[0], "{\n      \"email\": \"a@b\",\n      \"name\": \"A\"\n    }")
        XCTAssertEqual(idx.documentDefaults, DocumentDefaults(identifier: "email", upsert: nil))
        if case .success(let v) = idx.loadRecord(1) { XCTAssertEqual(v["email"], .string("c@d")) } else { XCTFail() }
    }

    func testStringsWithBracketsCommasQuotesAndNewlineEscapes() throws {
        let r0 = #"{"name":"a ] } , [ { \" \\","x":"\\"}"#
        let r1 = #"{"name":"line\nbreak \"q\" ]"}"#
        let text = "[\(r0),\n\(r1) ,\n\"]\" ]"
        let idx = try index(text)
        XCTAssertEqual(idx.format, .jsonArray)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(texts(idx), [r0, r1, "\"]\""])
        XCTAssertEqual(idx.allSpans.map(\.line), [1, 2, 3])
        if case .failure(let p) = idx.loadRecord(2) { XCTAssertEqual(p.rule, "record.not_object") } else { XCTFail() }
    }

    func testCRLFFile() throws {
        let text = "{\r\n\"identifier\": \"email\",\r\n\"records\": [\r\n{\"email\": \"a@b\"},\r\n{\r\n\"email\": \"c@d\"\r\n}\r\n]\r\n}\r\n"
        let idx = try index(text)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(texts(idx), ["{\"email\": \"a@b\"}", "{\r\n\"email\": \"c@d\"\r\n}"])
        XCTAssertEqual(idx.allSpans.map(\.line), [4, 5])
        var out: [UInt8] = []
        idx.recordBytes(span: idx.span(1), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self), "{\"email\":\"c@d\"}")
    }

    func testInvalidRecordIsStillOneSpanAndReportsLineAndColumn() throws {
        let text = "[\n{\"email\":\"a@b\"},\n  {\"email\": \"x\",\n   \"name\": 01},\n{\"email\":\"c@d\"}\n]"
        let idx = try index(text)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 3)
        XCTAssertEqual(idx.span(1).line, 3)
        guard case .failure(let p) = idx.loadRecord(1) else { return XCTFail("record 1 should be invalid") }
        XCTAssertEqual(p.rule, "record.invalid_json")
        XCTAssertEqual(p.line, 4)
        XCTAssertEqual(p.column, 12, "the '0' of 01")
        XCTAssertTrue(p.message.hasPrefix("invalid JSON: "))
        XCTAssertEqual(p.issue.message, "line 4, column 12: \(p.message)")
        // An error on the record's first line: the column is the record's own column plus the offset.
        let one = try index("[{\"a\":1},   {\"b\":tru}]")
        XCTAssertNil(one.finish())
        guard case .failure(let q) = one.loadRecord(1) else { return XCTFail() }
        XCTAssertEqual(q.line, 1)
        XCTAssertEqual(q.column, 18, "the 't' of tru")
    }

    func testRecordThatIsNotAnObject() throws {
        let idx = try index("[1, \"s\", [1], null, true, {\"email\":\"a@b\"}]")
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 6)
        let messages = (0..<5).map { i -> String in
            if case .failure(let p) = idx.loadRecord(i) { XCTAssertEqual(p.rule, "record.not_object"); return p.message }
            return ""
        }
        XCTAssertEqual(messages[0], "a record must be a JSON object, not a number")
        XCTAssertEqual(messages[1], "a record must be a JSON object, not a string")
        XCTAssertEqual(messages[2], "a record must be a JSON object, not an array")
        if case .failure(let p) = idx.loadRecord(1) { XCTAssertEqual(p.column, 5) }
    }

    func testTruncatedFileIsFatalAndNamesTheLine() throws {
        let idx = try index("{\"identifier\":\"email\",\"records\":[\n{\"email\":\"a@b\"},\n{\"email\":\"c@d\",\n\"name\":\"x\"\n")
        let e = idx.finish()
        XCTAssertNotNil(e)
        XCTAssertEqual(e?.line, 3)
        XCTAssertTrue(e?.message.contains("record 1 (line 3) is not closed") ?? false, "\(String(describing: e))")
        XCTAssertEqual(idx.count, 1, "the records before the problem stay usable")
        let unclosedArray = try index("[{\"a\":1},\n{\"b\":2}\n")
        XCTAssertTrue(unclosedArray.finish()?.message.contains("not closed") ?? false)
    }

    func testUnknownTopLevelKeyIsFatal() throws {
        let e = try index("{\"identifier\":\"email\",\n\"users\":[],\"records\":[]}").finish()
        XCTAssertTrue(e?.message.contains("unexpected key \"users\"") ?? false, "\(String(describing: e))")
        XCTAssertEqual(e?.line, 2)
        XCTAssertEqual(e?.column, 1)
    }

    func testTrailingCommasAreFatal() throws {
        let inRecords = try index("{\"identifier\":\"email\",\"records\":[{\"email\":\"a@b\"},\n]}").finish()
        XCTAssertTrue(inRecords?.message.contains("trailing comma") ?? false, "\(String(describing: inRecords))")
        XCTAssertEqual(inRecords?.line, 2)
        XCTAssertNotNil(try index("{\"identifier\":\"email\",\"records\":[{}],}").finish())
        XCTAssertNotNil(try index("[{},]").finish())
    }

    func testDocumentStructureErrors() throws {
        XCTAssertTrue(try index("{\"identifier\":\"email\"}", format: .authgear).finish()?.message.contains("no \"records\"") ?? false)
        XCTAssertTrue(try index("{\"identifier\":\"bob\",\"records\":[]}").finish()?.message.contains("\"identifier\" must be") ?? false)
        XCTAssertTrue(try index("{\"upsert\":\"yes\",\"records\":[]}").finish()?.message.contains("\"upsert\" must be true or false") ?? false)
        XCTAssertTrue(try index("{\"records\":{}}").finish()?.message.contains("must be an array") ?? false)
        XCTAssertTrue(try index("[{}] x").finish()?.message.contains("after the end") ?? false)
        XCTAssertTrue(try index("{\"records\":[{}]}", format: .jsonArray).finish()?.message.contains("JSON array") ?? false)
    }

    /// Go's decoder keeps the last of duplicate keys, so a second "records" array replaces the first.
    func testDuplicateRecordsKeyDoesNotMergeArrays() throws {
        let idx = try index("{\"identifier\":\"email\",\"records\":[{\"email\":\"a@b\"}],\"records\":[{\"email\":\"c@d\"}]}")
        let e = idx.finish()
        XCTAssertTrue(e != nil || idx.count == 1, "two \"records\" arrays were merged into \(idx.count) records")
    }

    func testEmptyRecordsArray() throws {
        let idx = try index("{\"identifier\":\"email\",\"records\":[ ]}")
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 0)
    }

    func testHugeSingleRecord() throws {
        let big = String(repeating: "x", count: 20 << 20)
        let idx = try index("[\n{\"email\":\"a@b\",\"name\":\"\(big)\"},\n{\"email\":\"c@d\"}]")
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 2)
        XCTAssertEqual(idx.span(0).end - idx.span(0).start, (20 << 20) + 25)
        XCTAssertEqual(idx.span(1).line, 3)
        if case .success(let v) = idx.loadRecord(0) { XCTAssertEqual(v["name"]?.stringValue?.count, 20 << 20) } else { XCTFail() }
    }

    func testBOMDocument() throws {
        let idx = try RecordIndex.open(path: TestFiles.write([0xEF, 0xBB, 0xBF] + Array("[{\"a\":1}]".utf8)))
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.span(0).start, 4)
    }

    func testProgressCountAndCancel() throws {
        var text = "{\"identifier\":\"email\",\"records\":[\n"
        for i in 0..<200_000 { text += (i > 0 ? ",\n" : "") + "{\"email\":\"user\(i)@example.com\",\"name\":\"User \(i)\"}" }
        text += "\n]}"
        let path = TestFiles.write(text)
        let idx = try RecordIndex.open(path: path)
        let p = idx.progress
        XCTAssertTrue(p >= 0 && p <= 1)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 200_000)
        XCTAssertEqual(idx.progress, 1)
        XCTAssertEqual(idx.span(199_999).line, 200_001)
        let cancelled = try RecordIndex.open(path: path)
        cancelled.cancel()
        XCTAssertNil(cancelled.finish())
        XCTAssertTrue(cancelled.isComplete)
        XCTAssertLessThan(cancelled.count, 200_000, "cancel() should stop the scan early")
        XCTAssertEqual(cancelled.spans(0..<10).count, min(10, cancelled.count))
    }
}
