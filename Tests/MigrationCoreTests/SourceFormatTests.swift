import XCTest
@testable import MigrationCore

/// Format detection from the first bytes of a source.
final class SourceFormatTests: XCTestCase {
    private func detect(_ bytes: [UInt8]) throws(SourceError) -> SourceFormat {
        let r: Result<SourceFormat, SourceError> = bytes.withUnsafeBytes { raw in
            do throws(SourceError) { return .success(try SourceFormat.detect(raw, path: "in.json")) } catch { return .failure(error) }
        }
        return try r.get()
    }
    private func detect(_ text: String) throws(SourceError) -> SourceFormat { try detect(Array(text.utf8)) }
    private func detectError(_ bytes: [UInt8]) -> SourceError? {
        do { let f = try detect(bytes); XCTFail("detected \(f)"); return nil } catch { return error }
    }

    func testImportDocumentWhicheverKeyComesFirst() throws {
        XCTAssertEqual(try detect("{\"identifier\":\"email\",\"records\":[]}"), .authgear)
        XCTAssertEqual(try detect("{\"records\":[{\"email\":\"a@b\"}],\"identifier\":\"email\"}"), .authgear)
        XCTAssertEqual(try detect("\n  {\n  \"upsert\": true, \"identifier\": \"email\", \"records\": []}"), .authgear)
    }

    func testNDJSONArrayAndCSV() throws {
        XCTAssertEqual(try detect("{\"email\":\"a@b\"}\n{\"email\":\"c@d\"}\n"), .ndjson)
        XCTAssertEqual(try detect("{}\n"), .ndjson)
        XCTAssertEqual(try detect(" [ {\"email\":\"a@b\"} ]"), .jsonArray)
        XCTAssertEqual(try detect("email,name\na@b,A\n"), .csv)
        XCTAssertEqual(try detect("\"email\",\"name\"\n"), .csv)
    }

    func testUTF8BOMIsSkipped() throws {
        XCTAssertEqual(try detect([0xEF, 0xBB, 0xBF] + Array("[{}]".utf8)), .jsonArray)
        XCTAssertEqual(try detect([0xEF, 0xBB, 0xBF] + Array("{\"records\":[]}".utf8)), .authgear)
        XCTAssertEqual(try detect([0xEF, 0xBB, 0xBF] + Array("email\n".utf8)), .csv)
    }

    func testUTF16IsRefused() {
        let le = detectError([0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00])
        XCTAssertTrue(le?.message.contains("UTF-16") ?? false)
        XCTAssertEqual(le?.line, 1)
        XCTAssertTrue(le?.hint?.contains("iconv") ?? false)
        XCTAssertTrue(detectError([0xFE, 0xFF, 0x00, 0x5B, 0x00, 0x5D])?.message.contains("UTF-16") ?? false)
    }

    func testNULBytesAreRefused() {
        let e = detectError(Array("[{\"a\":1}".utf8) + [0x00] + Array("]".utf8))
        XCTAssertTrue(e?.message.contains("NUL") ?? false)
        XCTAssertTrue(e?.message.contains("byte 8") ?? false)
        XCTAssertNotNil(detectError([0x00, 0x00, 0x00, 0x01]))
    }

    func testEmptyAndWhitespaceOnlyAreRefused() {
        XCTAssertTrue(detectError([])?.message.contains("empty") ?? false)
        XCTAssertTrue(detectError(Array(" \n\t\r\n".utf8))?.message.contains("empty") ?? false)
        XCTAssertTrue(detectError([0xEF, 0xBB, 0xBF])?.message.contains("empty") ?? false)
    }

    func testOpenReportsEmptyFile() {
        let path = TestFiles.write("")
        XCTAssertThrowsError(try RecordIndex.open(path: path)) { error in
            XCTAssertTrue("\(error)".contains("empty"), "\(error)")
            XCTAssertEqual((error as? SourceError)?.path, path)
        }
    }

    func testOpenReportsMissingFile() {
        XCTAssertThrowsError(try RecordIndex.open(path: "/nonexistent/dir/x.json")) { error in
            XCTAssertTrue((error as? SourceError)?.message.contains("cannot open") ?? false)
        }
    }

    func testOpenDetectsFormat() throws {
        let idx = try RecordIndex.open(path: TestFiles.write("{\"email\":\"a@b\"}\n"))
        XCTAssertEqual(idx.format, .ndjson)
        XCTAssertNil(idx.finish())
        XCTAssertEqual(idx.count, 1)
    }
}
