import XCTest
@testable import MigrationCore

/// `export` never writes invalid JSON: for every source format, the document written is parsed
/// again (strictly), is an import document, and holds exactly the records that load, in order.
final class ExportRoundTripTests: XCTestCase {
    /// One source per format: a new format is one more line. Each holds what tends to break a
    /// writer: escapes, non-ASCII text, numbers as spelled, and a record that does not load.
    static let sources: [(name: String, file: String, text: String)] = [
        ("authgear", "doc.json", #"{"identifier":"email","upsert":false,"records":[{"email":"a@example.com","name":"\u00e9 \"q\" \\"}, {"email":"b@example.com","custom_attributes":{"n":1.50}},{"email": },[1],"x"]}"#),
        ("json-array", "array.json", "[\n {\"email\": \"a@example.com\", \"name\": \"山田\"},\n {\"email\": \"b@\",\n \"roles\": [\"r\"]},\n {\"email\": ,},\n null\n]\n"),
        ("ndjson", "lines.ndjson", "{\"email\":\"a@example.com\",\"name\":\"tab\\there\"}\n\n{\"email\":\"b@example.com\"\n{\"email\":\"c@example.com\"}\n42\n"),
        // A pretty-printed Firebase export (once read as lines, none of them JSON alone): its users
        // are mapped through the preset; a damaged element does not load.
        ("firebase", "users.json", "{\n  \"users\": [\n    {\n      \"localId\": \"u1\",\n      \"email\": \"a@example.com\",\n      \"displayName\": \"Ada \\\"Q\\\" \\u00e9\"\n    },\n    {\"localId\": \"u2\", \"email\": }\n  ]\n}\n"),
        ("csv", "users.csv", "email,name,custom_attributes.tier,roles\r\na@example.com,\"Ada, \"\"the\"\" first\",gold,r1;r2\r\nb@example.com,5\" tall,,\r\nc@example.com,too,many,fields,here\r\n"),
    ]

    func testEveryFormatExportsAnImportDocumentThatParses() throws {
        for source in Self.sources {
            let path = TestFiles.write(source.text, name: source.file)
            let index: RecordIndex
            do { index = try RecordIndex.open(path: path) } catch {
                XCTFail("\(source.name): \(error)")
                continue
            }
            _ = index.finish()
            let workspace = SourceWorkspace(index: index, settings: ValidationSettings(identifier: .email))
            let report = workspace.validate()
            let out = TestFiles.makeDirectory() + "/export.json"
            let written = try ImportDocumentWriter(index: index, edits: workspace.edits, identifier: .email, upsert: false)
                .write(to: out, report: report) { _ in true }
            let bytes = try XCTUnwrap(FileManager.default.contents(atPath: out), source.name)
            let document: JSONValue
            do { document = try JSONParser.parse(Array(bytes)) } catch {
                XCTFail("\(source.name): the export is not JSON: \(error)\n\(String(decoding: bytes, as: UTF8.self))")
                continue
            }
            XCTAssertEqual(document["identifier"], .string("email"), source.name)
            XCTAssertEqual(document["upsert"], .bool(false), source.name)
            guard case .array(let records)? = document["records"] else { XCTFail("\(source.name): no records array"); continue }
            // Exactly the records that parse as JSON (objects or not), in source order.
            var expected: [JSONValue] = []
            for n in 0..<index.count {
                if case .success(let v) = index.loadRecord(n) { expected.append(v); continue }
                if index.csv == nil, let v = try? JSONParser.parse(index.rawBytes(index.span(n))) { expected.append(v) }
            }
            XCTAssertEqual(records, expected, source.name)
            XCTAssertEqual(written, expected.count, source.name)
            XCTAssertLessThan(written, index.count, "\(source.name): the fixture has a record that does not load")
            // And the export is a source again, of the same records.
            let again = try RecordIndex.open(path: out)
            XCTAssertNil(again.finish(), source.name)
            XCTAssertEqual(again.format, .authgear, source.name)
            XCTAssertEqual(again.count, written, source.name)
        }
    }
}
