import Foundation
import OpenSSLCrypto
import MigrationCore
import XCTest
@testable import Sandbox

/// Envelope, status codes and the POST checks of spec §3–§4, over real loopback HTTP.
final class ServerImportAPITests: XCTestCase {
    var sandbox: TestSandbox!

    override func setUp() async throws { sandbox = try await TestSandbox.start() }
    override func tearDown() async throws { await sandbox.stop() }

    func testPostAnswersPendingJobInEnvelopeWithNoStoreHeaders() async throws {
        await sandbox.control("PUT", "/_sandbox/worker", #"{"paused":true}"#)
        let response = await sandbox.post(TestSandbox.body(count: 1))
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.header("Content-Type"), "application/json")
        XCTAssertEqual(response.header("Cache-Control"), "no-store")
        XCTAssertEqual(response.header("Pragma"), "no-cache")
        let result = try XCTUnwrap(response.json?["result"])
        XCTAssertEqual(result.objectValue?.map(\.key), ["id", "created_at", "status"])
        XCTAssertEqual(result["status"], .string("pending"))
        let id = try XCTUnwrap(result["id"]?.stringValue)
        XCTAssertNotNil(id.range(of: "^userimport_[0-9A-HJKMNP-TV-Z]{32}$", options: .regularExpression), id)
        XCTAssertTrue(result["created_at"]?.stringValue?.hasSuffix("Z") ?? false)
    }

    func testAuthFailuresAre403PlainText() async throws {
        let now = await sandbox.now()
        let other = try RSAKeyPair.generate()
        let good = TestJWT.token(sandbox.server.keyPair, now: now)
        let parts = good.split(separator: ".")
        let cases: [(String, String)] = [
            ("no header", ""),
            ("lower-case bearer", "bearer " + good),
            ("two spaces", "Bearer  " + good),
            ("wrong kid", "Bearer " + TestJWT.token(sandbox.server.keyPair, kid: "other-kid", now: now)),
            ("wrong aud", "Bearer " + TestJWT.token(sandbox.server.keyPair, aud: "\"https://myapp.authgear.cloud\"", now: now)),
            ("bad signature", "Bearer " + TestJWT.token(other, now: now)),
            ("tampered payload", "Bearer \(parts[0]).\(Base64URL.encode(Array(#"{"aud":"myapp"}"#.utf8))).\(parts[2])"),
            ("alg HS256", "Bearer " + TestJWT.sign(privateKeyPEM: sandbox.server.keyPair.privateKeyPEM,
                                                   header: #"{"alg":"HS256","kid":"test-kid"}"#, payload: #"{"aud":"myapp"}"#)),
            ("no aud", "Bearer " + TestJWT.sign(privateKeyPEM: sandbox.server.keyPair.privateKeyPEM,
                                                header: #"{"alg":"RS256","kid":"test-kid"}"#, payload: #"{"exp":\#(now + 60)}"#)),
            ("nbf in future", "Bearer " + TestJWT.sign(privateKeyPEM: sandbox.server.keyPair.privateKeyPEM,
                                                       header: #"{"alg":"RS256","kid":"test-kid"}"#, payload: #"{"aud":"myapp","nbf":\#(now + 400)}"#)),
        ]
        for (name, header) in cases {
            let response = await sandbox.post(TestSandbox.body(count: 1), auth: header)
            XCTAssertEqual(response.status, 403, name)
            XCTAssertEqual(response.text, "Forbidden\n", name)
            XCTAssertEqual(response.header("Content-Type"), "text/plain; charset=utf-8", name)
        }
        // Array aud and 4 minutes of skew are fine.
        let arrayAud = "Bearer " + TestJWT.token(sandbox.server.keyPair, aud: #"["x","myapp"]"#, now: now)
        let v1 = await sandbox.post(TestSandbox.body(count: 1), auth: arrayAud).status
        XCTAssertEqual(v1, 200)
        let skewed = "Bearer " + TestJWT.sign(privateKeyPEM: sandbox.server.keyPair.privateKeyPEM,
                                              header: #"{"alg":"RS256","kid":"test-kid"}"#, payload: #"{"aud":"myapp","exp":\#(now - 240)}"#)
        let v2 = await sandbox.post(TestSandbox.body(count: 1), auth: skewed).status
        XCTAssertEqual(v2, 200)
    }

    func testExpiredTokenAfterClockAdvance() async throws {
        let header = await sandbox.bearer()  // exp = now + 300
        let v3 = await sandbox.post(TestSandbox.body(count: 1), auth: header).status
        XCTAssertEqual(v3, 200)
        await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds":599}"#)
        let v4 = await sandbox.post(TestSandbox.body(count: 1), auth: header).status
        XCTAssertEqual(v4, 200, "inside the 5-minute skew")
        await sandbox.control("POST", "/_sandbox/clock", #"{"advance_seconds":1}"#)
        let v5 = await sandbox.post(TestSandbox.body(count: 1), auth: header).status
        XCTAssertEqual(v5, 200, "expired at the sandbox clock, still valid at the wall clock (a real client's clock)")
        // Expired at both clocks: refused.
        let wall = Int64(Date().timeIntervalSince1970)
        let old = "Bearer " + TestJWT.token(sandbox.server.keyPair, now: wall - 601)
        let v6 = await sandbox.post(TestSandbox.body(count: 1), auth: old).status
        XCTAssertEqual(v6, 403)
    }

    func testContentTypeRules() async throws {
        let body = TestSandbox.body(count: 1)
        for type in ["text/plain", "application/json; charset=latin1", "", "application/x-www-form-urlencoded"] {
            let response = await sandbox.post(body, contentType: type)
            XCTAssertEqual(response.status, 415, type)
            XCTAssertEqual(response.text, "invalid content type: \(type)\n", type)
        }
        for type in ["application/graphql", "application/json; charset=utf8", "application/json; charset=utf-8; x=1"] {
            let response = await sandbox.post(body, contentType: type)
            XCTAssertEqual(response.status, 400, type)
            XCTAssertEqual(response.text, #"{"error":{"name":"BadRequest","reason":"BadRequest","message":"request content type is invalid","code":400}}"# + "\n", type)
        }
        for type in ["application/json", "application/json; charset=UTF-8", "Application/JSON"] {
            let v6 = await sandbox.post(body, contentType: type).status
            XCTAssertEqual(v6, 200, type)
        }
    }

    func testBodySizeLimitIs500000Bytes() async throws {
        func padded(_ size: Int) -> [UInt8] {
            let core = Array(TestSandbox.body(count: 1).utf8)
            return core + [UInt8](repeating: 0x20, count: size - core.count)
        }
        let exact = await sandbox.postBytes(padded(500_000))
        XCTAssertEqual(exact?.status, 200)
        let v7 = await sandbox.postBytes(padded(500_001))
        let over = try XCTUnwrap(v7)
        XCTAssertEqual(over.status, 413)
        XCTAssertEqual(over.text, #"{"error":{"name":"RequestEntityTooLarge","reason":"JSONTooLarge","message":"request body too large","code":413,"info":{"limit":500000}}}"# + "\n")
    }

    func testInvalidJSON() async throws {
        let cases: [(String, Int, String, Int?)] = [
            ("", 400, "unexpected end of JSON input", 0),
            ("  \n ", 400, "unexpected end of JSON input", 0),
            ("{]", 400, "invalid character ']' looking for beginning of object key string", 2),
            (#"{"identifier":}"#, 400, "invalid character '}' looking for beginning of value", 15),
            (#"{"identifier" "email"}"#, 400, "invalid character '\"' after object key", 15),
            (#"{"a":tru}"#, 400, "invalid character '}' in literal true (expecting 'e')", 9),
            (#"{"identifier":"email""#, 500, "unexpected error occurred", nil),
        ]
        for (body, status, message, offset) in cases {
            let response = await sandbox.post(body)
            XCTAssertEqual(response.status, status, body)
            let error = response.json?["error"]
            XCTAssertEqual(error?["message"]?.stringValue, message, body)
            XCTAssertEqual(error?["info"]?["byte_offset"]?.int, offset, body)
            if status == 400 { XCTAssertEqual(error?["reason"], .string("InvalidJSON"), body) }
        }
        let trailing = await sandbox.post(TestSandbox.body(count: 1) + " x")
        XCTAssertEqual(trailing.json?["error"]?["message"], .string("invalid character 'x' after top-level value"))
    }

    func testRequestSchemaCauses() async throws {
        let response = await sandbox.post(#"{"identifier":"foobar","records":[]}"#)
        XCTAssertEqual(response.status, 400)
        XCTAssertEqual(response.text, #"{"error":{"name":"Invalid","reason":"ValidationFailed","message":"invalid request body","code":400,"info":{"causes":[{"location":"/identifier","kind":"enum","details":{"actual":"foobar","expected":["preferred_username","email","phone_number"]}},{"location":"/records","kind":"minItems","details":{"actual":0,"expected":1}}]}}}"# + "\n")
        let more = await sandbox.post(#"{"users":[],"upsert":null,"records":[1,{}]}"#)
        let causes = try XCTUnwrap(more.json?["error"]?["info"]?["causes"]?.arrayValue)
        XCTAssertEqual(causes.map { $0["location"]?.stringValue ?? "?" }, ["", "/records/0", "/upsert", "/users"])
        XCTAssertEqual(causes[0]["details"], try JSONParser.parse(#"{"actual":["records","upsert","users"],"expected":["identifier","records"],"missing":["identifier"]}"#))
        XCTAssertEqual(causes[3].objectValue?.map(\.key), ["location", "kind"])
        XCTAssertEqual(causes[3]["kind"], .string(""))
        let empty = await sandbox.post("{}")
        XCTAssertEqual(empty.json?["error"]?["info"]?["causes"]?.arrayValue?.first?["details"]?["actual"], .null)
    }

    func testRouting404And405AndRedirects() async throws {
        let notFound = await RawHTTP.send(port: sandbox.port, method: "GET", path: "/_api/admin/users")
        XCTAssertEqual(notFound?.status, 404)
        XCTAssertEqual(notFound?.text, "404 page not found\n")
        let wrongMethod = await RawHTTP.send(port: sandbox.port, method: "PUT", path: "/_api/admin/users/import")
        XCTAssertEqual(wrongMethod?.status, 405)
        XCTAssertEqual(wrongMethod?.header("Allow"), "OPTIONS, POST")
        let getRedirect = await RawHTTP.send(port: sandbox.port, method: "GET", path: "/_api/admin/users/import/abc/")
        XCTAssertEqual(getRedirect?.status, 301)
        XCTAssertEqual(getRedirect?.header("Location"), "/_api/admin/users/import/abc")
        let postRedirect = await RawHTTP.send(port: sandbox.port, method: "POST", path: "/_api/admin/users/import/", body: [])
        XCTAssertEqual(postRedirect?.status, 307)
        let unknown = await sandbox.get("userimport_00000000000000000000000000000000")
        XCTAssertEqual(unknown.status, 404)
        XCTAssertEqual(unknown.text, #"{"error":{"name":"NotFound","reason":"TaskNotFound","message":"task not found","code":404}}"# + "\n")
    }
}
