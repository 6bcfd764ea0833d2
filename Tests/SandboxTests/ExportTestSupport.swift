import Foundation
import MigrationCore
import XCTest
@testable import Sandbox

/// Calls of the export and GraphQL endpoints over loopback.
extension TestSandbox {
    func graphQL(_ query: String, variables: String? = nil) async -> RawResponse {
        var body = #"{"query":"# + JSONWriter().string(.string(query))
        if let variables { body += #","variables":"# + variables }
        body += "}"
        return await RawHTTP.send(port: port, method: "POST", path: "/_api/admin/graphql",
                                  headers: [("Authorization", await bearer()), ("Content-Type", "application/json")], body: Array(body.utf8))!
    }

    func postExport(_ body: String, contentType: String = "application/json") async -> RawResponse {
        await RawHTTP.send(port: port, method: "POST", path: "/_api/admin/users/export",
                           headers: [("Authorization", await bearer()), ("Content-Type", contentType)], body: Array(body.utf8))!
    }

    func getExport(_ id: String) async -> RawResponse {
        await RawHTTP.send(port: port, method: "GET", path: "/_api/admin/users/export/" + id, headers: [("Authorization", await bearer())])!
    }

    /// Polls until the export is completed; its result.
    func waitExport(_ id: String, timeout: Double = 60) async -> JSONValue? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let result = await getExport(id).json?["result"]
            if result?["status"]?.stringValue == "completed" { return result }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("export \(id) did not complete")
        return nil
    }

    /// Creates an export, waits for it and downloads it: the file's text.
    func export(_ body: String = #"{"format":"ndjson"}"#) async throws -> String {
        let created = await postExport(body)
        XCTAssertEqual(created.status, 200, created.text)
        let id = try XCTUnwrap(created.json?["result"]?["id"]?.stringValue)
        let result = try required(await waitExport(id))
        let url = try XCTUnwrap(result["download_url"]?.stringValue, "\(result)")
        let file = await download(url)
        XCTAssertEqual(file.status, 200, file.text)
        return file.text
    }

    /// GET of a download URL's path and query on the sandbox's port.
    func download(_ url: String) async -> RawResponse {
        let path = url.range(of: "/_sandbox/").map { String(url[$0.lowerBound...]) } ?? url
        return await RawHTTP.send(port: port, method: "GET", path: path)!
    }

    /// Seeds users with emails `<prefix><i>@example.com`; their ids in order.
    @discardableResult
    func seedEmails(_ count: Int, prefix: String = "user") async throws -> [String] {
        let users = (0..<count).map { #"{"ref":"r\#($0)","identities":[{"type":"login_id","key":"email","value":"\#(prefix)\#($0)@example.com"}]}"# }
        let answer = await control("POST", "/_sandbox/users", #"{"users":[\#(users.joined(separator: ","))]}"#)
        let refs = try XCTUnwrap(answer?["users"], "\(String(describing: answer))")
        return try (0..<count).map { try XCTUnwrap(refs["r\($0)"]?.stringValue) }
    }
}

/// `XCTUnwrap` for a value just awaited (an autoclosure cannot await).
func required<T>(_ value: T?, _ message: String = "", file: StaticString = #filePath, line: UInt = #line) throws -> T {
    try XCTUnwrap(value, message, file: file, line: line)
}
