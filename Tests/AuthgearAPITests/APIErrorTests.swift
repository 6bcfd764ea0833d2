import Foundation
import MigrationCore
import XCTest
@testable import AuthgearAPI

final class APIErrorTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z local clock

    private func classify(_ response: HTTPResponse, jobID: String? = nil) -> ImportAPIError {
        switch ResponseClassifier.job(from: response, jobID: jobID, now: now) {
        case .success(let job): XCTFail("unexpected job \(job)"); return .transport(.cancelled)
        case .failure(let error): return error
        }
    }

    private func text(_ status: Int, _ body: String, _ headers: [HTTPHeader] = []) -> HTTPResponse {
        HTTPResponse(status: status, headers: [HTTPHeader("Content-Type", "text/plain; charset=utf-8")] + headers, body: Array(body.utf8))
    }

    func testForbiddenPlainTextListsAllFourChecks() {
        let error = classify(text(403, "Forbidden\n"))
        XCTAssertEqual(error, .forbidden(clockSkew: nil))
        for needle in ["key ID", "project ID", "`aud`", "clock", "private key of that key ID", "AUTHGEAR_KEY_ID",
                       "AUTHGEAR_PROJECT_ID", "AUTHGEAR_KEY_FILE"] {
            XCTAssertTrue(error.description.contains(needle), needle)
        }
        XCTAssertFalse(error.isRetryable)
        let skewed = classify(text(403, "Forbidden\n", [HTTPHeader("date", "Wed, 31 Dec 2025 23:50:00 GMT")]))
        XCTAssertEqual(skewed, .forbidden(clockSkew: 600))
        XCTAssertTrue(skewed.description.contains("10 minute(s) ahead"), skewed.description)
    }

    func testBodyTooLarge() {
        let e = classify(importAPIJSONResponse(413, #"{"error":{"name":"RequestEntityTooLarge","reason":"JSONTooLarge","message":"request body too large","code":413,"info":{"limit":500000}}}"#))
        XCTAssertEqual(e, .bodyTooLarge(limit: 500_000))
        XCTAssertTrue(e.description.contains("500000 bytes"))
        XCTAssertEqual(classify(HTTPResponse(status: 413, body: Array("<html><head><title>413 Request Entity Too Large</title></head></html>".utf8))),
                       .bodyTooLarge(limit: nil))
        XCTAssertFalse(e.isRetryable)
    }

    func testInvalidJSONAndValidationFailed() {
        let e = classify(importAPIJSONResponse(400, #"{"error":{"name":"BadRequest","reason":"InvalidJSON","message":"invalid character '}' looking for beginning of value","code":400,"info":{"byte_offset":17}}}"#))
        XCTAssertEqual(e, .invalidJSON(message: "invalid character '}' looking for beginning of value", byteOffset: 17))
        XCTAssertTrue(e.description.contains("at byte 17"))
        let v = classify(importAPIJSONResponse(400, #"""
        {"error": {"name": "Invalid", "reason": "ValidationFailed", "message": "invalid request body", "code": 400,
          "info": {"causes": [
            {"location": "/identifier", "kind": "enum", "details": {"actual": "foobar", "expected": ["preferred_username", "email", "phone_number"]}},
            {"location": "/records", "kind": "minItems", "details": {"actual": 0, "expected": 1}},
            {"location": "/users", "kind": ""}]}}}
        """#))
        guard case .invalidRequest(let causes) = v else { return XCTFail("\(v)") }
        XCTAssertEqual(causes.map(\.location), ["/identifier", "/records", "/users"])
        XCTAssertEqual(causes[1].details?["expected"], .number("1"))
        XCTAssertNil(causes[2].details)
        XCTAssertTrue(v.description.contains(#"/records: minItems {"actual":0,"expected":1}"#), v.description)
        XCTAssertTrue(v.description.contains("/users: unknown key"), v.description)
    }

    func testContentTypeRefusals() {
        XCTAssertEqual(classify(text(415, "invalid content type: text/csv\n")), .contentType(message: "invalid content type: text/csv"))
        XCTAssertEqual(classify(importAPIJSONResponse(400, #"{"error":{"name":"BadRequest","reason":"BadRequest","message":"request content type is invalid","code":400}}"#)),
                       .contentType(message: "request content type is invalid"))
    }

    func testUsageLimitExceededResetsAtNextUTCBoundaryFromServerDate() {
        let day = classify(importAPIJSONResponse(429,
            #"{"error":{"name":"TooManyRequest","reason":"UsageLimitExceeded","message":"usage limit exceeded","code":429,"info":{"name":"UserImport","period":"day","usage_name":"user_import"}}}"#,
            headers: [HTTPHeader("Date", "Tue, 17 Mar 2026 23:59:59 GMT")]))
        XCTAssertEqual(day, .usageLimitExceeded(period: "day", resetsAt: Date(timeIntervalSince1970: 1_773_792_000)))  // 2026-03-18T00:00:00Z
        XCTAssertTrue(day.description.contains("2026-03-18T00:00:00Z"), day.description)
        XCTAssertFalse(day.isRetryable)
        let month = classify(importAPIJSONResponse(429,
            #"{"error":{"name":"TooManyRequest","reason":"UsageLimitExceeded","message":"usage limit exceeded","code":429,"info":{"name":"UserImport","period":"month","usage_name":"user_import"}}}"#,
            headers: [HTTPHeader("Date", "Thu, 31 Dec 2026 12:00:00 GMT")]))
        XCTAssertEqual(month, .usageLimitExceeded(period: "month", resetsAt: Date(timeIntervalSince1970: 1_798_761_600)))  // 2027-01-01
        // No Date header: the local clock (2026-01-01T00:00:00Z) decides.
        let local = classify(importAPIJSONResponse(429, #"{"error":{"name":"TooManyRequest","reason":"UsageLimitExceeded","message":"m","code":429,"info":{"period":"month"}}}"#))
        XCTAssertEqual(local, .usageLimitExceeded(period: "month", resetsAt: Date(timeIntervalSince1970: 1_769_904_000)))  // 2026-02-01
    }

    func testRateLimitedHonoursRetryAfterSecondsAndDates() {
        XCTAssertEqual(classify(text(429, "Too Many Requests", [HTTPHeader("Retry-After", "7")])), .rateLimited(retryAfter: 7))
        XCTAssertEqual(classify(text(429, "slow down", [HTTPHeader("Date", "Thu, 01 Jan 2026 00:00:00 GMT"),
                                                       HTTPHeader("Retry-After", "Thu, 01 Jan 2026 00:00:42 GMT")])),
                       .rateLimited(retryAfter: 42))
        XCTAssertEqual(classify(text(429, "")), .rateLimited(retryAfter: nil))
    }

    func testJobNotFoundAndPlainTextNotFound() {
        let e = classify(importAPIJSONResponse(404, #"{"error":{"name":"NotFound","reason":"TaskNotFound","message":"task not found","code":404}}"#),
                         jobID: "userimport_GONE")
        XCTAssertEqual(e, .jobNotFound(id: "userimport_GONE"))
        XCTAssertTrue(e.description.contains("24 hours"))
        XCTAssertEqual(classify(text(404, "app not found\n")), .endpointNotFound(snippet: "app not found"))
        XCTAssertEqual(classify(text(404, "404 page not found\n")), .endpointNotFound(snippet: "404 page not found"))
    }

    func testServerErrorsJSONAndProxyHTML() {
        let e = classify(importAPIJSONResponse(500, #"{"error":{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500}}"#))
        guard case .server(500, let body?, nil, nil) = e else { return XCTFail("\(e)") }
        XCTAssertEqual(body.reason, "UnexpectedError")
        XCTAssertTrue(e.isRetryable)
        XCTAssertTrue(e.outcomeUnknown)
        let html = "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        let proxy = classify(HTTPResponse(status: 502, headers: [HTTPHeader("Content-Type", "text/html")], body: Array(html.utf8)))
        XCTAssertEqual(proxy, .server(status: 502, body: nil, snippet: "502 Bad Gateway", retryAfter: nil))
        XCTAssertTrue(proxy.outcomeUnknown)
        let unavailable = classify(text(503, "upstream connect error", [HTTPHeader("Retry-After", "3")]))
        XCTAssertEqual(unavailable, .server(status: 503, body: nil, snippet: "upstream connect error", retryAfter: 3))
        XCTAssertFalse(unavailable.outcomeUnknown)
    }

    func testUnexpectedResponsesAreCappedAndPrintable() {
        let long = String(repeating: "x\u{1}y ", count: 500)
        guard case .unexpectedResponse(200, let snippet) = classify(HTTPResponse(status: 200, body: Array(long.utf8))) else {
            return XCTFail()
        }
        XCTAssertLessThanOrEqual(snippet.count, ResponseClassifier.snippetLimit)
        XCTAssertFalse(snippet.unicodeScalars.contains { $0.value < 0x20 })
        let redirect = classify(HTTPResponse(status: 301, headers: [HTTPHeader("Location", "https://myapp.authgear.cloud/_api/admin/users/import")]))
        XCTAssertEqual(redirect, .unexpectedResponse(status: 301, snippet: "redirect to https://myapp.authgear.cloud/_api/admin/users/import"))
        XCTAssertTrue(redirect.description.contains("trailing slash"))
        XCTAssertEqual(classify(importAPIJSONResponse(200, #"{"result":{"status":"weird"}}"#)),
                       .unexpectedResponse(status: 200, snippet: #"{"result":{"status":"weird"}}"#))
        XCTAssertEqual(classify(HTTPResponse(status: 200, body: [])), .unexpectedResponse(status: 200, snippet: "(empty body)"))
    }

    func testOtherStructuredErrorsAndErrorEnvelopeOn200() {
        let body = APIErrorBody(name: "DataRace", reason: "DataRace", message: "m", code: 409)
        XCTAssertEqual(classify(importAPIJSONResponse(409, #"{"error":{"name":"DataRace","reason":"DataRace","message":"m","code":409}}"#)),
                       .rejected(status: 409, body: body))
        XCTAssertEqual(classify(importAPIJSONResponse(200, #"{"error":{"name":"NotFound","reason":"TaskNotFound","message":"task not found","code":404}}"#), jobID: "j"),
                       .jobNotFound(id: "j"))
    }

    func testClassificationFlags() {
        XCTAssertTrue(ImportAPIError.transport(.notSent("dns")).isRetryable)
        XCTAssertFalse(ImportAPIError.transport(.notSent("dns")).outcomeUnknown)
        XCTAssertTrue(ImportAPIError.transport(.outcomeUnknown("reset")).outcomeUnknown)
        XCTAssertFalse(ImportAPIError.transport(.cancelled).isRetryable)
        XCTAssertFalse(ImportAPIError.token(.signingFailed(reason: "x")).isRetryable)
        XCTAssertTrue(ImportAPIError.rateLimited(retryAfter: nil).isRetryable)
        XCTAssertFalse(ImportAPIError.invalidRequest(causes: []).isRetryable)
        XCTAssertFalse(ImportAPIError.jobNotFound(id: "x").isRetryable)
    }

    func testHTTPDateForms() {
        let expected = Date(timeIntervalSince1970: 784_111_777)
        XCTAssertEqual(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT"), expected)
        XCTAssertEqual(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT"), expected)
        XCTAssertEqual(HTTPDate.parse("Sun Nov  6 08:49:37 1994"), expected)
        XCTAssertNil(HTTPDate.parse("yesterday"))
        XCTAssertNil(HTTPDate.parse("Sun, 06 Foo 1994 08:49:37 GMT"))
        XCTAssertEqual(HTTPDate.usageReset(period: "month", after: Date(timeIntervalSince1970: 1_709_164_800)),  // 2024-02-29
                       Date(timeIntervalSince1970: 1_709_251_200))  // 2024-03-01
        XCTAssertEqual(HTTPDate.usageReset(period: "day", after: Date(timeIntervalSince1970: 1_709_164_800)),
                       Date(timeIntervalSince1970: 1_709_251_200))
    }
}
