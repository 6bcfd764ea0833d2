import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// `POST/GET /_api/admin/users/export` and the signed download over loopback (export spec Part A).
final class ServerExportTests: XCTestCase {
    var sandbox: TestSandbox!

    override func setUp() async throws { sandbox = try await TestSandbox.start() }
    override func tearDown() async throws { await sandbox.stop() }

    func testCreatePollDownloadNDJSON() async throws {
        let ids = try await sandbox.seedEmails(3)
        let created = await sandbox.postExport(#"{"format":"ndjson"}"#)
        XCTAssertEqual(created.status, 200, created.text)
        let result = try XCTUnwrap(created.json?["result"])
        let id = try XCTUnwrap(result["id"]?.stringValue)
        XCTAssertTrue(id.hasPrefix("userexport_"))
        XCTAssertEqual(id.count, "userexport_".count + 32)
        XCTAssertTrue(id.dropFirst(11).allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        XCTAssertEqual(result["status"]?.stringValue, "pending", "the POST always answers pending")
        XCTAssertEqual(result.objectValue?.map(\.key), ["id", "created_at", "status", "request"])
        XCTAssertEqual(HTTPReply.writer.string(result["request"]!), #"{"format":"ndjson"}"#)
        let done = try required(await sandbox.waitExport(id))
        XCTAssertEqual(done.objectValue?.map(\.key), ["id", "created_at", "completed_at", "status", "request", "download_url"])
        let url = try XCTUnwrap(done["download_url"]?.stringValue)
        let file = await sandbox.download(url)
        XCTAssertEqual(file.status, 200)
        XCTAssertEqual(file.header("content-type"), "application/x-ndjson")
        let disposition = try XCTUnwrap(file.header("content-disposition"))
        XCTAssertTrue(disposition.hasPrefix("attachment; filename=myapp-\(id)-"), disposition)
        XCTAssertTrue(disposition.hasSuffix("Z.ndjson"), disposition)
        let lines = file.text.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.count, 4, "three lines, each ending in \\n")
        XCTAssertEqual(lines.last, "")
        let subs = lines.dropLast().compactMap { try? JSONParser.parse(Array($0.utf8))["sub"]?.stringValue }
        XCTAssertEqual(subs, ids, "creation order")
        // Every GET mints a new URL.
        let again = try required(await sandbox.getExport(id).json?["result"]?["download_url"]?.stringValue)
        XCTAssertNotEqual(again, url)
    }

    func testCSVExportUsesTheRequestedFields() async throws {
        try await sandbox.seedEmails(2)
        let text = try await sandbox.export(#"{"format":"csv","csv":{"fields":[{"pointer":"/email"},{"pointer":"/identities/0/login_id/original_value","field_name":"original"}]}}"#)
        XCTAssertEqual(text, "email,original\nuser0@example.com,user0@example.com\nuser1@example.com,user1@example.com\n")
    }

    func testZeroUsersGiveAnEmptyFileOrAHeader() async throws {
        let ndjson = try await sandbox.export()
        XCTAssertEqual(ndjson, "")
        let csv = try await sandbox.export(#"{"format":"csv","csv":{"fields":[{"pointer":"/sub"}]}}"#)
        XCTAssertEqual(csv, "sub\n")
    }

    func testValidationErrorsHaveTheServerCauses() async throws {
        func causes(_ body: String) async -> String {
            let r = await sandbox.postExport(body)
            XCTAssertEqual(r.status, 400, r.text)
            return HTTPReply.writer.string(r.json?["error"]?["info"]?["causes"] ?? .null)
        }
        let got1 = await causes("{}")
        XCTAssertEqual(got1, #"[{"location":"","kind":"required","details":{"actual":null,"expected":["format"],"missing":["format"]}}]"#)
        let got2 = await causes(#"{"format":"unknown format"}"#)
        XCTAssertEqual(got2, #"[{"location":"/format","kind":"enum","details":{"actual":"unknown format","expected":["ndjson","csv"]}}]"#)
        let got3 = await causes(#"{"format":"csv","csv":{"fields":[]}}"#)
        XCTAssertEqual(got3, #"[{"location":"/csv/fields","kind":"minItems","details":{"actual":0,"expected":1}}]"#)
        let got4 = await causes(#"{"format":"csv","csv":{"fields":[{"unknown_pointer":"/sub"}]}}"#)
        XCTAssertEqual(got4, #"[{"location":"/csv/fields/0","kind":"required","details":{"actual":["unknown_pointer"],"expected":["pointer"],"missing":["pointer"]}}]"#)
        let got5 = await causes(#"{"format":"csv","csv":{"fields":[{"pointer":"invalid"}]}}"#)
        XCTAssertEqual(got5, #"[{"location":"/csv/fields/0/pointer","kind":"format","details":{"error":"0: expecting / but found: \"i\"","format":"json-pointer"}}]"#)
        let got6 = await causes(#"{"format":"csv","csv":{"fields":[{"pointer":"/sub","field_name":""}]}}"#)
        XCTAssertEqual(got6, #"[{"location":"/csv/fields/0/field_name","kind":"minLength","details":{"actual":0,"expected":1}}]"#)
        let whole = await sandbox.postExport("{}")
        XCTAssertEqual(HTTPReply.writer.string(whole.json?["error"]?.setting("info", to: nil) ?? .null),
                       #"{"name":"Invalid","reason":"ValidationFailed","message":"invalid request body","code":400}"#)
        let dup = await sandbox.postExport(#"{"format":"ndjson","csv":{"fields":[{"pointer":"/claims/0/email"},{"pointer":"/sub"},{"pointer":"/claims/0/email"}]}}"#)
        XCTAssertEqual(dup.status, 400)
        XCTAssertEqual(dup.text, #"{"error":{"name":"Invalid","reason":"UserExportNonUniqueFieldNames","message":"field names are not unique","code":400,"info":{"field_names":["claims.0.email","sub","claims.0.email"]}}}"# + "\n")
        let json = await sandbox.postExport("{]", contentType: "application/json")
        XCTAssertEqual(json.json?["error"]?["reason"]?.stringValue, "InvalidJSON")
        let truncated = await sandbox.postExport("{", contentType: "application/json")
        XCTAssertEqual(truncated.status, 500, "a truncated body is the server's 500")
        let media = await sandbox.postExport(#"{"format":"ndjson"}"#, contentType: "text/plain")
        XCTAssertEqual(media.status, 415)
        let strict = await sandbox.postExport(#"{"format":"ndjson"}"#, contentType: "application/graphql")
        XCTAssertEqual(strict.json?["error"]?["message"]?.stringValue, "request content type is invalid")
        let missing = await sandbox.getExport("userexport_NOPE")
        XCTAssertEqual(missing.text, #"{"error":{"name":"NotFound","reason":"TaskNotFound","message":"task not found","code":404}}"# + "\n")
    }

    func testDisabledAnswersBeforeValidationOnBothRoutes() async throws {
        let created = await sandbox.postExport(#"{"format":"ndjson"}"#)
        let id = try XCTUnwrap(created.json?["result"]?["id"]?.stringValue)
        await sandbox.control("PUT", "/_sandbox/project", #"{"user_export_enabled": false}"#)
        let disabled = #"{"error":{"name":"InternalError","reason":"UserExportDisabled","message":"User export disabled","code":500}}"# + "\n"
        let post = await sandbox.postExport("garbage")
        XCTAssertEqual(post.status, 500)
        XCTAssertEqual(post.text, disabled)
        let get = await sandbox.getExport(id)
        XCTAssertEqual(get.text, disabled)
        let project = await sandbox.control("GET", "/_sandbox/project")
        XCTAssertEqual(project?["user_export_enabled"], .bool(false))
    }

    func testUsageQuotaCountsEveryAcceptedPost() async throws {
        await sandbox.control("PUT", "/_sandbox/project", #"{"usage_limits": {"user_export": [{"quota": 2, "period": "day"}]}}"#)
        for _ in 0..<2 {
            let r = await sandbox.postExport(#"{"format":"ndjson"}"#)
            XCTAssertEqual(r.status, 200, r.text)
        }
        let invalid = await sandbox.postExport("{}")
        XCTAssertEqual(invalid.status, 400, "validation comes before the quota")
        let third = await sandbox.postExport(#"{"format":"ndjson"}"#)
        XCTAssertEqual(third.status, 429)
        XCTAssertEqual(third.text, #"{"error":{"name":"TooManyRequest","reason":"UsageLimitExceeded","message":"usage limit exceeded","code":429,"info":{"name":"UserExport","period":"day","usage_name":"user_export"}}}"# + "\n")
        let imports = await sandbox.post(TestSandbox.body(count: 1))
        XCTAssertEqual(imports.status, 200, "the import quota is another one")
    }

    func testDownloadURLExpiresAfterSixtySecondsOnTheSandboxClock() async throws {
        try await sandbox.seedEmails(1)
        let id = try required(await sandbox.postExport(#"{"format":"ndjson"}"#).json?["result"]?["id"]?.stringValue)
        let url = try required(await sandbox.waitExport(id)?["download_url"]?.stringValue)
        try await sandbox.harness.advanceClock(59)
        let fresh = await sandbox.download(url)
        XCTAssertEqual(fresh.status, 200)
        try await sandbox.harness.advanceClock(2)
        let expired = await sandbox.download(url)
        XCTAssertEqual(expired.status, 403)
        XCTAssertTrue(expired.text.contains("<Code>AccessDenied</Code>"), expired.text)
        let forged = await sandbox.download(url.replacingOccurrences(of: "X-Sandbox-Signature=", with: "X-Sandbox-Signature=0"))
        XCTAssertEqual(forged.status, 403)
        XCTAssertTrue(forged.text.contains("SignatureDoesNotMatch"))
        let renewed = try required(await sandbox.getExport(id).json?["result"]?["download_url"]?.stringValue)
        let again = await sandbox.download(renewed)
        XCTAssertEqual(again.status, 200, "a new GET mints a working URL")
    }

    func testTaskIsKeptTwentyFourHoursAfterCompletion() async throws {
        let id = try required(await sandbox.postExport(#"{"format":"ndjson"}"#).json?["result"]?["id"]?.stringValue)
        _ = await sandbox.waitExport(id)
        try await sandbox.harness.advanceClock(86_399)
        let kept = await sandbox.getExport(id)
        XCTAssertEqual(kept.status, 200)
        try await sandbox.harness.advanceClock(2)
        let gone = await sandbox.getExport(id)
        XCTAssertEqual(gone.status, 404)
    }

    func testFailedExportIsCompletedWithFailedAt() async throws {
        try await sandbox.harness.setFaults(#"{"exports": [{"kind": "fail"}]}"#)
        let id = try required(await sandbox.postExport(#"{"format":"ndjson"}"#).json?["result"]?["id"]?.stringValue)
        let result = try required(await sandbox.waitExport(id))
        XCTAssertEqual(result.objectValue?.map(\.key), ["id", "created_at", "failed_at", "status", "request", "error"])
        XCTAssertEqual(result["status"]?.stringValue, "completed")
        XCTAssertEqual(HTTPReply.writer.string(result["error"]!),
                       #"{"name":"InternalError","reason":"UnexpectedError","message":"unexpected error occurred","code":500}"#)
    }

    func testHangingExportStaysPending() async throws {
        try await sandbox.harness.setFaults(#"{"exports": [{"kind": "hang"}]}"#)
        let id = try required(await sandbox.postExport(#"{"format":"ndjson"}"#).json?["result"]?["id"]?.stringValue)
        try await sandbox.harness.setFaults(#"{}"#)
        _ = try await sandbox.export()
        let stuck = await sandbox.getExport(id)
        XCTAssertEqual(stuck.json?["result"]?["status"]?.stringValue, "pending", "a later export completed, this one never")
    }

    func testPageEdgeFaultSkipsAndRepeatsUsersAtEachPageBoundary() async throws {
        let ids = try await sandbox.seedEmails(10)
        let clean = try await sandbox.export()
        XCTAssertEqual(subs(clean), ids)
        try await sandbox.harness.setFaults(#"{"exports": [{"kind": "page_edge", "users": 1, "page_size": 4}]}"#)
        let faulty = try await sandbox.export()
        // Pages of 4 at offsets 0, 4, 8: user 4 and 8 are skipped, users 3 and 7 written twice.
        XCTAssertEqual(subs(faulty), [ids[0], ids[1], ids[2], ids[3], ids[3], ids[5], ids[6], ids[7], ids[7], ids[9]])
    }

    private func subs(_ ndjson: String) -> [String] {
        ndjson.split(separator: "\n").compactMap { try? JSONParser.parse(Array($0.utf8))["sub"]?.stringValue }
    }
}
