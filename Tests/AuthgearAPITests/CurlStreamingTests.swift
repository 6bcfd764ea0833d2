import AuthgearAPI
import CurlTransport
import Foundation
import XCTest

/// `CurlTransport.stream`: a 2xx body reaches the sink in pieces and never the response; an
/// error body stays in the response; a sink that stops aborts the transfer.
final class CurlStreamingTests: XCTestCase {
    func testA2xxBodyIsStreamedLineByLineAndAnErrorBodyIsKept() async throws {
        var text = ""
        for i in 0..<20_000 { text += #"{"sub":"user-\#(i)","email":"user\#(i)@example.com"}"# + "\n" }
        let body = Array(text.utf8)
        let server = try CurlTestHTTPServer { request in
            request.path.hasSuffix("/expired") ? .respond(status: 403, headers: [], body: Array("Request has expired".utf8))
                                               : .respond(status: 200, headers: [("Content-Type", "application/x-ndjson")], body: body)
        }
        defer { server.stop() }
        let transport = CurlTransport(userAgent: "t")
        let count = Counter()
        let sink = LineSink { line in
            count.add(line.count)
            return true
        }
        let response = try await transport.stream(HTTPRequest(method: "GET", url: server.url + "/f.ndjson"), into: sink)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body, [], "a streamed body is not collected")
        XCTAssertEqual(sink.lines, 20_000)
        XCTAssertEqual(sink.bytes, body.count)
        XCTAssertEqual(count.value, body.count - 20_000)

        let refused = try await transport.stream(HTTPRequest(method: "GET", url: server.url + "/expired"), into: LineSink { _ in
            XCTFail("an error body never reaches the sink")
            return true
        })
        XCTAssertEqual(refused.status, 403)
        XCTAssertEqual(String(decoding: refused.body, as: UTF8.self), "Request has expired")

        let stopping = LineSink { _ in false }
        do {
            _ = try await transport.stream(HTTPRequest(method: "GET", url: server.url + "/f.ndjson"), into: stopping)
            XCTFail("a sink that stops aborts the transfer")
        } catch {
            XCTAssertEqual(error, .cancelled)
        }
        XCTAssertEqual(stopping.lines, 1)
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var total = 0
    func add(_ n: Int) { lock.withLock { total += n } }
    var value: Int { lock.withLock { total } }
}
