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

    /// Every other system's export, in each layout its preset reads; each with a record that does not load.
    static let systems: [(name: String, file: String, text: String)] = [
        ("auth0", "auth0.ndjson", #"{"user_id":"auth0|1","email":"Ana@Example.com","name":"Ana \"Q\" \u00e9","identities":[{"isSocial":false}],"user_metadata":{"n":1.50}}"# + "\n" + #"{"user_id":"auth0|2","email": }"# + "\n"),
        ("auth0", "auth0.csv", "user_id,email,name\n\"'auth0|1\",\"'a@example.com\",\"'Ann \"\"A\"\", B\"\n\"'auth0|2\",\"'b@example.com\",x,y\n"),
        ("auth0", "hashes.ndjson", #"{"_id":{"$oid":"64a"},"email":"a@example.com","passwordHash":"$2b$10$\#(String(repeating: "N", count: 53))","tenant":"t","connection":"db"}"# + "\n{\"_id\":\n"),
        ("auth0", "bulk.json", #"[{"user_id":"u1","email":"a@example.com","custom_password_hash":{"algorithm":"md5","hash":{"value":"x"}}},{"user_id":"u2","email":}]"#),
        ("firebase", "users.csv", "u1,a@example.com,true,aGFzaA==,c2FsdA==,\"A, \"\"B\"\"\"" + String(repeating: ",", count: 18) + "1700000000000" + String(repeating: ",", count: 5) + "\nu2,b@example.com,false\n"),
        ("supabase", "users.json", #"[{"instance_id":"0","id":"u1","aud":"authenticated","email":"a@example.com","raw_user_meta_data":"{\"full_name\":\"\u5c71\u7530\"}"},{"id":"u2","email":}]"#),
        ("supabase", "users.csv", "instance_id,id,aud,email,raw_user_meta_data\n0,u1,authenticated,a@example.com,\"{\"\"full_name\"\":\"\"A \\\"\"B\\\"\"\"\"}\"\n0,u2\n"),
        ("clerk", "clerk.csv", "# Password for users with passwords: x\nid,first_name,primary_email_address,verified_email_addresses\nuser_1,\"Jo \"\"J\"\"\",jo@example.com,jo@example.com|x@example.com\nuser_2,x\n"),
        ("clerk", "clerk.json", #"[{"id":"user_1","primary_email_address":"a@example.com","public_metadata":{"tier":"gold"}},{"id":"user_2",}]"#),
        ("cognito", "list-users.json", "{\n  \"Users\": [\n    {\"Username\": \"u1\", \"Attributes\": [{\"Name\": \"email\", \"Value\": \"a@example.com\"}, {\"Name\": \"name\", \"Value\": \"\\\"Q\\\" \\u00e9\"}], \"UserStatus\": \"CONFIRMED\"},\n    {\"Username\": }\n  ]\n}\n"),
        ("cognito", "import.csv", "email,name,cognito:mfa_enabled,cognito:username\na@example.com,\"Q, \"\"R\"\"\",false,a\nb@example.com\n"),
        ("keycloak", "realm-users-0.json", "{\"realm\": \"r\", \"users\": [{\"id\": \"1\", \"username\": \"lee\", \"email\": \"lee@example.com\", \"firstName\": \"L\\u00e9e\", \"credentials\": [{\"type\": \"otp\", \"secretData\": \"{\\\"value\\\":\\\"Hello\\\"}\"}]}, {\"id\": }]}"),
        ("okta", "okta.json", #"[{"id":"00u1","status":"ACTIVE","profile":{"login":"mei","email":"mei@example.com","firstName":"M\"ei"},"credentials":{"password":{}}},{"id":"00u2",]"#),
        ("okta", "okta.csv", "login,firstName,lastName,email\nomar,\"O, \"\"M\"\"\",H,omar@example.com\nx\n"),
        ("django", "dumpdata.json", #"[{"model":"auth.group","pk":1,"fields":{"name":"staff"}},{"model":"auth.user","pk":7,"fields":{"username":"ada","email":"ada@example.com","first_name":"Ad\u00e1","password":"pbkdf2_sha256$1$s$h"}},{"model":"auth.user","pk":}]"#),
        ("django", "auth_user.csv", "id,password,username,email,is_staff,date_joined\n1,!x,ada,ada@example.com,t,2020-01-01\n2,x\n"),
        ("laravel", "users.csv", "id,name,email,email_verified_at,password,remember_token\n1,\"T \"\"T\"\"\",tay@example.com,,$2y$10$\(String(repeating: "y", count: 53)),\n2\n"),
        ("devise", "users.json", #"[{"id":1,"email":"rb@example.com","encrypted_password":"$2a$12$\#(String(repeating: "z", count: 53))","sign_in_count":1,"confirmed_at":null},{"id":2,"email":}]"#),
        ("wordpress", "wp_users.csv", "ID,user_login,user_pass,user_email,display_name\n1,new editor,$P$B123,ed@example.com,\"Ed \"\"E\"\"\"\n2,x\n"),
    ]

    func testEveryFormatExportsAnImportDocumentThatParses() throws {
        var formats: Set<SourceFormat> = []
        for source in Self.sources + Self.systems {
            if let format = try roundTrip(source) {
                XCTAssertEqual(format.rawValue, source.name, "\(source.file) is detected as the system it is")
                formats.insert(format)
            }
        }
        XCTAssertEqual(formats, Set(SourceFormat.allCases), "every format is exported and read again")
    }

    /// Exports `source`, parses the export strictly and opens it again; the format it was read as.
    private func roundTrip(_ source: (name: String, file: String, text: String)) throws -> SourceFormat? {
        let path = TestFiles.write(source.text, name: source.file)
        let index: RecordIndex
        do { index = try RecordIndex.open(path: path) } catch {
            XCTFail("\(source.name): \(error)")
            return nil
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
            return nil
        }
        XCTAssertEqual(document["identifier"], .string("email"), source.name)
        XCTAssertEqual(document["upsert"], .bool(false), source.name)
        guard case .array(let records)? = document["records"] else { XCTFail("\(source.name): no records array"); return nil }
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
        return index.format
    }
}
