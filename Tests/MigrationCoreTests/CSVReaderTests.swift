import XCTest
@testable import MigrationCore

final class CSVReaderTests: XCTestCase {
    // MARK: helpers

    /// Rows found by the scanner after the header, as (text, line).
    private func rows(_ text: String) throws -> (rows: [(String, Int)], end: CSVScanEnd) {
        try rows(Array(text.utf8))
    }

    private func rows(_ bytes: [UInt8]) throws -> (rows: [(String, Int)], end: CSVScanEnd) {
        try bytes.withUnsafeBytes { raw in
            let header = try CSVScanner.header(raw)
            var found: [(String, Int)] = []
            let end = CSVScanner.scanRows(raw, from: header.end, startLine: header.nextLine) { row in
                found.append((String(decoding: raw[row.start..<row.end], as: UTF8.self), row.line))
                return true
            }
            return (found, end)
        }
    }

    private func fields(_ row: String, line: Int = 2, expected: Int? = nil) -> Result<[String], CSVRowError> {
        fields(Array(row.utf8), line: line, expected: expected)
    }

    private func fields(_ row: [UInt8], line: Int = 2, expected: Int? = nil) -> Result<[String], CSVRowError> {
        row.withUnsafeBytes { CSVRowParser.fields($0, line: line, expectedCount: expected) }
    }

    /// Every row's record (or error) of a whole CSV text.
    private func records(_ text: String, mapping: JSONValue? = nil) throws -> (mapping: CSVMapping, results: [Result<JSONValue, CSVRowError>]) {
        try Array(text.utf8).withUnsafeBytes { raw in
            let reader = try CSVReader(bytes: raw, mappingFile: mapping)
            var results: [Result<JSONValue, CSVRowError>] = []
            _ = reader.forEachRecord(raw) { _, result in results.append(result); return true }
            return (reader.mapping, results)
        }
    }

    private func record(_ text: String, mapping: JSONValue? = nil, file: StaticString = #filePath, line: UInt = #line) throws -> JSONValue {
        let results = try records(text, mapping: mapping).results
        XCTAssertEqual(results.count, 1, file: file, line: line)
        return try results[0].get()
    }

    private func mappingError(_ header: [String], _ mapping: JSONValue?) -> CSVMappingError? {
        do { _ = try CSVMapping(header: header, mappingFile: mapping); return nil }
        catch let error as CSVMappingError { return error }
        catch { XCTFail("unexpected error \(error)"); return nil }
    }

    // MARK: scanner

    func testScannerQuotedNewlinesCommasAndLineNumbers() throws {
        let (found, end) = try rows("a,b\n1,\"x,\ny\"\n\"q\"\"\n\"\"\",2\n3,4")
        XCTAssertEqual(found.map(\.0), ["1,\"x,\ny\"", "\"q\"\"\n\"\"\",2", "3,4"])
        XCTAssertEqual(found.map(\.1), [2, 4, 6])
        XCTAssertEqual(end, CSVScanEnd(offset: 27, nextLine: 6, cancelled: false, unterminatedQuoteLine: nil))
    }

    func testScannerCRLFAndBlankLines() throws {
        let (found, end) = try rows("a,b\r\n1,2\r\n\r\n\"3\r\n\",4\r\n")
        XCTAssertEqual(found.map(\.0), ["1,2", "\"3\r\n\",4"])
        XCTAssertEqual(found.map(\.1), [2, 4])
        XCTAssertEqual(end.nextLine, 6)
    }

    func testScannerBOMAndHeaderWithoutTrailingNewline() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array("email,name".utf8)
        let header = try bytes.withUnsafeBytes { try CSVScanner.header($0) }
        XCTAssertEqual(header.fields, ["email", "name"])
        XCTAssertEqual(header.end, bytes.count)
        XCTAssertEqual(try rows(bytes).rows.count, 0)
    }

    func testScannerStrayQuoteDoesNotShiftOtherRows() throws {
        let (found, _) = try rows("a,b\nx\"y,1\nok,2\n\"c\"d,3\nlast,4\n")
        XCTAssertEqual(found.map(\.0), ["x\"y,1", "ok,2", "\"c\"d,3", "last,4"])
        XCTAssertEqual(found.map(\.1), [2, 3, 4, 5])
    }

    func testScannerUnterminatedQuoteAtEOFReportsOpeningLine() throws {
        let (found, end) = try rows("a,b\n1,2\n3,\"open\nmore\nrest")
        XCTAssertEqual(found.map(\.1), [2, 3])
        XCTAssertEqual(found.last?.0, "3,\"open\nmore\nrest")
        XCTAssertEqual(end.unterminatedQuoteLine, 3)
        let error = fields(found[1].0, line: 3, expected: 2)
        XCTAssertEqual(error, .failure(CSVRowError(line: 3, column: 3,
            message: "unterminated quoted field: the quote opened here is never closed before the end of the file")))
    }

    func testScannerCancellation() throws {
        let text = Array("h\n1\n2\n3\n".utf8)
        let end = text.withUnsafeBytes { raw in
            var seen = 0
            return CSVScanner.scanRows(raw, from: 2, startLine: 2) { _ in seen += 1; return seen < 2 }
        }
        XCTAssertEqual(end, CSVScanEnd(offset: 6, nextLine: 4, cancelled: true, unterminatedQuoteLine: nil))
    }

    func testScannerLongRowsCrossWordBoundaries() throws {
        let long = String(repeating: "abcdefg", count: 50)
        let (found, _) = try rows("h,i\n\(long),\"\(long)\n\(long)\"\n\(long),x\n")
        XCTAssertEqual(found.map(\.1), [2, 4])
        XCTAssertEqual(found[1].0, "\(long),x")
    }

    func testEmptyFileHasNoHeader() {
        XCTAssertThrowsError(try [UInt8]().withUnsafeBytes { try CSVScanner.header($0) }) { error in
            XCTAssertEqual((error as? CSVRowError)?.line, 1)
        }
    }

    // MARK: row parser

    func testRowParserQuotingAndEmptyCells() {
        XCTAssertEqual(fields("a,\"b,c\",\"d\"\"e\",,\"\""), .success(["a", "b,c", "d\"e", "", ""]))
        XCTAssertEqual(fields("\"multi\r\nline\",x"), .success(["multi\r\nline", "x"]))
        XCTAssertEqual(fields(""), .success([""]))
        XCTAssertEqual(fields("a,"), .success(["a", ""]))
        XCTAssertEqual(fields("é,ü"), .success(["é", "ü"]))
    }

    /// A quote inside an unquoted field is a character, as Python's csv module and spreadsheets
    /// read it; `strayQuote` finds it (for the row's warning) and ignores quotes of quoted fields.
    func testRowParserKeepsAQuoteInsideAnUnquotedField() {
        XCTAssertEqual(fields("ok,ab\"c,d"), .success(["ok", "ab\"c", "d"]))
        XCTAssertEqual(fields("5\" tall,\"x\"\"y\""), .success(["5\" tall", "x\"y"]))
        func stray(_ row: String) -> [Int]? { Array(row.utf8).withUnsafeBytes { CSVRowParser.strayQuote($0).map { [$0.offset, $0.field] } } }
        XCTAssertEqual(stray("ok,ab\"c,d"), [5, 1])
        XCTAssertNil(stray("\"a,\"\"b\",\"\",c"))
        XCTAssertEqual(stray("\"a,\"\"b\",x,y\""), [11, 2])
        XCTAssertNil(stray("plain,row"))
    }

    func testCommentLinesBeforeTheHeaderAreSkipped() throws {
        let (found, _) = try rows("# exported 2024-01-01\n#columns: email,name\n\nemail,name\na@b.co,A\n# not a comment here\n")
        XCTAssertEqual(found.map(\.0), ["a@b.co,A", "# not a comment here"])
        XCTAssertEqual(found.map(\.1), [5, 6])
        let header = try Array("#c\r\nemail\r\nx\r\n".utf8).withUnsafeBytes { try CSVScanner.header($0) }
        XCTAssertEqual(header.fields, ["email"])
        XCTAssertEqual(header.nextLine, 3)
    }

    func testALoneCarriageReturnEndsARow() throws {
        let (found, end) = try rows("a,b\r1,2\r\"x\ry\",3\r\r4,5")
        XCTAssertEqual(found.map(\.0), ["1,2", "\"x\ry\",3", "4,5"])
        XCTAssertEqual(found.map(\.1), [2, 3, 6])
        XCTAssertEqual(end.nextLine, 6)
        // Mixed with CRLF and LF in one file.
        XCTAssertEqual(try rows("a\r\n1\r2\n3\r\n").rows.map(\.0), ["1", "2", "3"])
        guard case .failure(let error) = fields("\"x\ry\"z", line: 4) else { return XCTFail("expected an error") }
        XCTAssertEqual(error.line, 5, "a lone CR inside a quoted field counts as a line")
    }

    /// The csv-spectrum acid tests (github.com/max-mapper/csv-spectrum, BSD-2-Clause), written
    /// here from their published CSV and JSON definitions: every file's rows as header → value.
    /// (`location_coordinates.json` publishes another phone number than its CSV holds; the
    /// CSV's is expected here. Its `\u{FFFD}` are in the published CSV.)
    func testCSVSpectrum() throws {
        let cases: [(name: String, csv: String, rows: [[String: String]])] = [
            ("comma_in_quotes", "first,last,address,city,zip\nJohn,Doe,120 any st.,\"Anytown, WW\",08123\n",
             [["first": "John", "last": "Doe", "address": "120 any st.", "city": "Anytown, WW", "zip": "08123"]]),
            ("empty", "a,b,c\n1,\"\",\"\"\n2,3,4\n", [["a": "1", "b": "", "c": ""], ["a": "2", "b": "3", "c": "4"]]),
            ("empty_crlf", "a,b,c\r\n1,\"\",\"\"\r\n2,3,4\r\n", [["a": "1", "b": "", "c": ""], ["a": "2", "b": "3", "c": "4"]]),
            ("escaped_quotes", "a,b\n1,\"ha \"\"ha\"\" ha\"\n3,4\n", [["a": "1", "b": "ha \"ha\" ha"], ["a": "3", "b": "4"]]),
            ("json", "key,val\n1,\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [102.0, 0.5]}\"\n",
             [["key": "1", "val": "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}"]]),
            ("location_coordinates", "Contact Phone Number,Location Coordinates,Cities,Counties\n2095257564,37\u{FFFD}36'37.8\"N 121\u{FFFD}2'17.9\"W,Modesto,Stanislaus",
             [["Contact Phone Number": "2095257564", "Location Coordinates": "37\u{FFFD}36'37.8\"N 121\u{FFFD}2'17.9\"W", "Cities": "Modesto", "Counties": "Stanislaus"]]),
            ("newlines", "a,b,c\n1,2,3\n\"Once upon \na time\",5,6\n7,8,9\n",
             [["a": "1", "b": "2", "c": "3"], ["a": "Once upon \na time", "b": "5", "c": "6"], ["a": "7", "b": "8", "c": "9"]]),
            ("newlines_crlf", "a,b,c\r\n1,2,3\r\n\"Once upon \r\na time\",5,6\r\n7,8,9\r\n",
             [["a": "1", "b": "2", "c": "3"], ["a": "Once upon \r\na time", "b": "5", "c": "6"], ["a": "7", "b": "8", "c": "9"]]),
            ("quotes_and_newlines", "a,b\n1,\"ha \n\"\"ha\"\" \nha\"\n3,4\n", [["a": "1", "b": "ha \n\"ha\" \nha"], ["a": "3", "b": "4"]]),
            ("simple", "a,b,c\n1,2,3\n", [["a": "1", "b": "2", "c": "3"]]),
            ("simple_crlf", "a,b,c\r\n1,2,3\r\n", [["a": "1", "b": "2", "c": "3"]]),
            ("utf8", "a,b,c\n1,2,3\n4,5,\u{02A4}", [["a": "1", "b": "2", "c": "3"], ["a": "4", "b": "5", "c": "\u{02A4}"]]),
        ]
        XCTAssertEqual(cases.count, 12)
        for c in cases {
            let parsed: [[String: String]] = try Array(c.csv.utf8).withUnsafeBytes { raw in
                let header = try CSVScanner.header(raw)
                var out: [[String: String]] = []
                _ = CSVScanner.scanRows(raw, from: header.end, startLine: header.nextLine) { row in
                    let cells = CSVRowParser.fields(UnsafeRawBufferPointer(rebasing: raw[row.start..<row.end]), line: row.line,
                                                    expectedCount: header.fields.count)
                    guard case .success(let cells) = cells else { XCTFail("\(c.name): \(cells)"); return false }
                    out.append(Dictionary(uniqueKeysWithValues: zip(header.fields, cells)))
                    return true
                }
                return out
            }
            XCTAssertEqual(parsed, c.rows, c.name)
        }
    }

    func testRowParserTextAfterClosingQuoteCountsLinesAndCharacters() {
        guard case .failure(let error) = fields("\"é\nxé\"y,1", line: 7) else { return XCTFail("expected an error") }
        XCTAssertEqual(error.line, 8)
        XCTAssertEqual(error.column, 4)
        XCTAssertTrue(error.message.hasPrefix("unexpected text after the closing quote"), error.message)
    }

    func testRowParserFieldCountMismatch() {
        guard case .failure(let tooMany) = fields("a,b,c", expected: 2) else { return XCTFail("expected an error") }
        XCTAssertEqual(tooMany, CSVRowError(line: 2, column: 5, message: "too many fields: the row has 3 fields but the header has 2"))
        guard case .failure(let tooFew) = fields("a", expected: 2) else { return XCTFail("expected an error") }
        XCTAssertEqual(tooFew, CSVRowError(line: 2, column: 2, message: "too few fields: the row has 1 field but the header has 2"))
        XCTAssertEqual(fields("a,b", expected: 2), .success(["a", "b"]))
    }

    func testRowParserInvalidUTF8NamesLineAndColumn() {
        let row: [UInt8] = Array("ok,\"é\n".utf8) + [0x61, 0xC3, 0x28] + Array("\"".utf8)
        guard case .failure(let error) = fields(row, line: 10) else { return XCTFail("expected an error") }
        XCTAssertEqual(error.line, 11)
        XCTAssertEqual(error.column, 2)
        XCTAssertTrue(error.message.contains("0xC3"), error.message)
        // Overlong encodings and surrogates are invalid too.
        XCTAssertEqual(try? fields([0xC0, 0x80]).get(), nil)
        XCTAssertEqual(try? fields([0xED, 0xA0, 0x80]).get(), nil)
        // A syntax error before the bad byte is reported first.
        guard case .failure(let first) = fields(Array("\"a\"b,".utf8) + [0xFF]) else { return XCTFail("expected an error") }
        XCTAssertEqual(first.column, 4)
    }

    // MARK: default mapping

    func testDefaultsDottedPathsBooleansRolesAndImpliedBcrypt() throws {
        let csv = "email,email_verified,address.country,roles,password_hash,custom_attributes.member_id,disabled,mfa.totp.secret\n"
            + "a@x.com,TRUE,HK, admin ;;staff ,$2a$hash,0042,yes,SECRET\n"
        let record = try record(csv)
        XCTAssertEqual(record, .obj([
            "email": .string("a@x.com"),
            "email_verified": .bool(true),
            "address": .obj(["country": .string("HK")]),
            "roles": .array([.string("admin"), .string("staff")]),
            "password": .obj(["type": .string("bcrypt"), "password_hash": .string("$2a$hash")]),
            "custom_attributes": .obj(["member_id": .string("0042")]),
            "disabled": .string("yes"),
            "mfa": .obj(["totp": .obj(["secret": .string("SECRET")])]),
        ]))
    }

    func testEmptyCellsAreAbsentAndNestedObjectsSitAtFirstColumn() throws {
        let csv = "address.locality,email,address.country,phone_number,groups\n,a@x.com,HK,,\n"
        XCTAssertEqual(try record(csv), .obj(["address": .obj(["country": .string("HK")]), "email": .string("a@x.com")]))
        let empty = "email,name\n,\n"
        XCTAssertEqual(try record(empty), .object([]))
    }

    func testExplicitPasswordTypeColumnSuppressesImpliedType() throws {
        let csv = "password.password_hash,password.type,mfa.password.password_hash\nh1,,h2\n"
        XCTAssertEqual(try record(csv), .obj([
            "password": .obj(["password_hash": .string("h1")]),
            "mfa": .obj(["password": .obj(["type": .string("bcrypt"), "password_hash": .string("h2")])]),
        ]))
    }

    func testUnknownHeadersAreReportedOnceAndIgnored() throws {
        let (mapping, results) = try records(" email ,Legacy ID,foo.bar,Legacy ID2,password.salt\na@x.com,1,2,3,4\n")
        XCTAssertEqual(mapping.unknownHeaders, ["Legacy ID", "foo.bar", "Legacy ID2", "password.salt"])
        XCTAssertEqual(mapping.columns.map(\.source), [.header, .unknown, .unknown, .unknown, .unknown])
        XCTAssertEqual(try results[0].get(), .obj(["email": .string("a@x.com")]))
    }

    func testDuplicateHeadersNameBothColumns() {
        let error = mappingError(["email", "name", " email"], nil)
        XCTAssertEqual(error?.message, "duplicate header \"email\" in columns 1 and 3: rename one of them")
    }

    func testRecordFieldCountMismatchAndRowErrorsDoNotStopOtherRows() throws {
        let (_, results) = try records("email,name\na@x.com,A\nb@x.com\n\"c\"x,C\nd@x.com,D\n")
        XCTAssertEqual(results.count, 4)
        XCTAssertEqual(try results[0].get(), .obj(["email": .string("a@x.com"), "name": .string("A")]))
        guard case .failure(let short) = results[1] else { return XCTFail("expected an error") }
        XCTAssertEqual(short.line, 3)
        XCTAssertTrue(short.message.contains("too few fields"))
        guard case .failure(let malformed) = results[2] else { return XCTFail("expected an error") }
        XCTAssertEqual(malformed.line, 4)
        XCTAssertEqual(malformed.column, 4)
        XCTAssertEqual(try results[3].get()["email"], .string("d@x.com"))
        let mapping = try CSVMapping(header: ["email"], mappingFile: nil)
        XCTAssertEqual(mapping.record(from: ["a", "b"], line: 9), .failure(CSVRowError(line: 9, column: 2,
            message: "too many fields: the row has 2 fields but the header has 1")))
    }

    // MARK: mapping file

    func testMappingFileStringsObjectsAndTypes() throws {
        let mapping: JSONValue = .obj([
            "Mail": .string("email"),
            "Tier": .string("custom_attributes.tier"),
            "Active": .obj(["field": .string("disabled"), "type": .string("boolean"), "true": .array([.string("no"), .string("N")]), "false": .array([.string("yes")])]),
            "Age": .obj(["field": .string("custom_attributes.age"), "type": .string("integer")]),
            "Score": .obj(["field": .string("custom_attributes.score"), "type": .string("number")]),
            "Tags": .obj(["field": .string("groups"), "separator": .string("|")]),
            "Meta": .obj(["field": .string("address"), "type": .string("json")]),
            "Notes": .obj(["skip": .bool(true)]),
            "email": .obj(["skip": .bool(true)]),
        ])
        let csv = "Mail,Tier,Active,Age,Score,Tags,Meta,Notes,email\n"
            + "a@x.com,gold,n,+007,-.5, g1 | g2 |,\"{\"\"country\"\":\"\"HK\"\",\"\"n\"\":1.50}\",ignored,old@x.com\n"
            + "b@x.com,,maybe,12a,1e3,,,,\n"
        let (result, results) = try records(csv, mapping: mapping)
        XCTAssertEqual(result.unknownHeaders, [])
        XCTAssertEqual(result.columns.map(\.source), [.mappingFile, .mappingFile, .mappingFile, .mappingFile, .mappingFile,
                                                      .mappingFile, .mappingFile, .skipped, .skipped])
        XCTAssertEqual(try results[0].get(), .obj([
            "email": .string("a@x.com"),
            "custom_attributes": .obj(["tier": .string("gold"), "age": .number("7"), "score": .number("-0.5")]),
            "disabled": .bool(true),
            "groups": .array([.string("g1"), .string("g2")]),
            "address": .obj(["country": .string("HK"), "n": .number("1.50")]),
        ]))
        XCTAssertEqual(try results[1].get(), .obj([
            "email": .string("b@x.com"),
            "custom_attributes": .obj(["age": .string("12a"), "score": .number("1e3")]),
            "disabled": .string("maybe"),
        ]))
    }

    func testJSONCellParseErrorNamesTheColumn() throws {
        let mapping: JSONValue = .obj(["Meta": .obj(["field": .string("custom_attributes"), "type": .string("json")])])
        let (_, results) = try records("email,Meta\na@x.com,{bad\n", mapping: mapping)
        guard case .failure(let error) = results[0] else { return XCTFail("expected an error") }
        XCTAssertEqual(error.line, 2)
        XCTAssertEqual(error.column, 2)
        XCTAssertEqual(error.message, "column 2 (\"Meta\"): invalid JSON at character 2 of the cell: unexpected 'b': an object key in double quotes was expected")
    }

    func testMappingFileErrors() {
        let header = ["Mail", "Flag", "email"]
        func message(_ mapping: JSONValue) -> String { mappingError(header, mapping)?.message ?? "no error" }
        XCTAssertTrue(message(.array([])).hasPrefix("mapping file: expected a JSON object"))
        XCTAssertEqual(message(.obj(["Mail": .string("emial")])),
                       "mapping file, key \"Mail\": \"emial\" is not a record field (allowed: \(CSVRecordFields.allowedDescription))")
        XCTAssertTrue(message(.obj(["Nope": .string("email")])).hasPrefix("mapping file, key \"Nope\": no CSV column has this header"))
        XCTAssertTrue(message(.obj(["Mail": .number("3")])).contains("expected a field path string or an object"))
        XCTAssertEqual(message(.obj(["Mail": .obj(["field": .string("email"), "kind": .string("x")])])),
                       "mapping file, key \"Mail\": unknown option \"kind\" (allowed: field, type, true, false, separator, skip)")
        XCTAssertEqual(message(.obj(["Mail": .obj(["type": .string("string")])])),
                       "mapping file, key \"Mail\": \"field\" is missing (give a field path, or \"skip\": true to ignore the column)")
        XCTAssertEqual(message(.obj(["Flag": .obj(["field": .string("disabled"), "type": .string("bool")])])),
                       "mapping file, key \"Flag\": \"type\" must be one of string, boolean, integer, number, list, json, found the string \"bool\"")
        XCTAssertEqual(message(.obj(["Flag": .obj(["field": .string("name"), "true": .array([.string("y")])])])),
                       "mapping file, key \"Flag\": \"true\" only applies to type \"boolean\" (this column's type is \"string\")")
        XCTAssertTrue(message(.obj(["Flag": .obj(["field": .string("disabled"), "true": .string("y")])])).contains("must be an array of strings"))
        XCTAssertEqual(message(.obj(["Flag": .obj(["field": .string("disabled"), "true": .array([.string("y")]), "false": .array([.string("Y")])])])),
                       "mapping file, key \"Flag\": \"y\" is listed in both \"true\" and \"false\"")
        XCTAssertTrue(message(.obj(["Flag": .obj(["field": .string("name"), "separator": .string("|")])])).contains("only applies to type \"list\""))
        XCTAssertTrue(message(.obj(["Flag": .obj(["field": .string("roles"), "separator": .string("")])])).contains("non-empty string"))
        XCTAssertTrue(message(.obj(["Flag": .obj(["field": .string("roles"), "skip": .string("yes")])])).contains("\"skip\" must be true or false"))
        XCTAssertEqual(message(.object([JSONMember("Mail", .string("email")), JSONMember("Mail", .string("name"))])),
                       "mapping file: key \"Mail\" appears more than once")
        XCTAssertEqual(message(.obj(["Mail": .string("email")])),
                       "column 1 (\"Mail\") and column 3 (\"email\") conflict: both map to \"email\"; map or skip one of them")
        XCTAssertEqual(mappingError(["password", "password_hash"], nil)?.message,
                       "column 1 (\"password\") and column 2 (\"password_hash\") conflict: \"password\" would replace the object that also holds \"password.password_hash\"; map or skip one of them")
        XCTAssertNil(mappingError(header, .obj(["Flag": .obj(["field": .string("disabled")])])))
        XCTAssertEqual(mappingError(header, .obj(["Mail": .string("nam")]))?.key, "Mail")
    }

    // MARK: value conversions

    func testNumberTextNormalisation() {
        XCTAssertEqual(CSVNumberText.integer("-0012"), "-12")
        XCTAssertEqual(CSVNumberText.integer("1.0"), nil)
        XCTAssertEqual(CSVNumberText.integer(""), nil)
        XCTAssertEqual(CSVNumberText.number("5."), "5")
        XCTAssertEqual(CSVNumberText.number("+1.25E-3"), "1.25e-3")
        XCTAssertEqual(CSVNumberText.number("1e"), nil)
        XCTAssertEqual(CSVNumberText.number("."), nil)
        XCTAssertEqual(CSVNumberText.number("NaN"), nil)
    }

    // MARK: randomised round trip

    /// Random well-formed CSV (quotes, commas, CR/LF, non-ASCII inside fields) scans and parses back to its fields;
    /// random byte soup never crashes and every row is reported as parsed or as an error.
    func testRandomRoundTripAndGarbage() throws {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet: [String] = ["a", "b", "Z", " ", ",", "\"", "\n", "\r\n", "é", "😀", "1"]
        for round in 0..<200 {
            let width = 1 + next(4)
            var table: [[String]] = []
            for _ in 0..<(1 + next(5)) {
                table.append((0..<width).map { _ in (0..<next(6)).map { _ in alphabet[next(alphabet.count)] }.joined() })
            }
            // A single-column row whose only field is empty would be a blank line (skipped); avoid it.
            if width == 1 { table = table.map { $0[0].isEmpty ? ["x"] : $0 } }
            let newline = round % 2 == 0 ? "\n" : "\r\n"
            let text = "h" + String(repeating: ",h", count: width - 1) + newline + table.map { row in
                row.map { field in
                    field.utf8.contains(where: { [0x2C, 0x22, 0x0A, 0x0D].contains($0) }) || field.hasPrefix(" ")
                        ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
                }.joined(separator: ",")
            }.joined(separator: newline) + (round % 3 == 0 ? "" : newline)
            let bytes = Array(text.utf8)
            let parsed: [[String]] = try bytes.withUnsafeBytes { raw in
                let header = try CSVScanner.header(raw)
                var out: [[String]] = []
                _ = CSVScanner.scanRows(raw, from: header.end, startLine: header.nextLine) { row in
                    out.append((try? CSVRowParser.fields(UnsafeRawBufferPointer(rebasing: raw[row.start..<row.end]),
                                                         line: row.line, expectedCount: width).get()) ?? ["<error>"])
                    return true
                }
                return out
            }
            XCTAssertEqual(parsed, table, "round \(round): \(text.debugDescription)")
        }
        for _ in 0..<300 {
            let soup: [UInt8] = (0..<next(60)).map { _ in [0x22, 0x2C, 0x0A, 0x0D, 0x61, 0xC3, 0xA9, 0xFF][next(8)] }
            soup.withUnsafeBytes { raw in
                guard let header = try? CSVScanner.header(raw) else { return }
                var lastLine = 0
                _ = CSVScanner.scanRows(raw, from: header.end, startLine: header.nextLine) { row in
                    XCTAssertGreaterThan(row.line, lastLine)
                    XCTAssertLessThanOrEqual(row.start, row.end)
                    lastLine = row.line
                    let result = CSVRowParser.fields(UnsafeRawBufferPointer(rebasing: raw[row.start..<row.end]),
                                                     line: row.line, expectedCount: header.fields.count)
                    if case .failure(let error) = result { XCTAssertGreaterThanOrEqual(error.line, row.line) }
                    return true
                }
            }
        }
    }
}
