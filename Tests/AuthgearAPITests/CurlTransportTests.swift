import AuthgearAPI
import CurlTransport
import Foundation
import XCTest

final class CurlTransportTests: XCTestCase {
    private let userAgent = "authgear-migrate/9.8.7"

    private func makeTransport(connectTimeout: Double = 5) -> CurlTransport {
        CurlTransport(userAgent: userAgent, connectTimeout: connectTimeout)
    }

    /// The error `send` throws, or nil on success.
    static func failure(of transport: CurlTransport, _ request: HTTPRequest) async -> TransportError? {
        do {
            _ = try await transport.send(request)
            return nil
        } catch {
            return error
        }
    }

    /// Sends and returns the error, failing the test on success.
    private func sendExpectingError(
        _ transport: CurlTransport, _ request: HTTPRequest, file: StaticString = #filePath, line: UInt = #line
    ) async -> TransportError? {
        do {
            let response = try await transport.send(request)
            XCTFail("expected an error, got status \(response.status)", file: file, line: line)
            return nil
        } catch {
            return error
        }
    }

    func testStatusHeadersAndBody() async throws {
        let server = try CurlTestHTTPServer { _ in
            .respond(status: 201, headers: [("Date", "Tue, 03 Jun 2025 10:00:00 GMT"), ("X-Request-Id", "abc")],
                     body: Array("{\"ok\":true}".utf8))
        }
        defer { server.stop() }
        let transport = makeTransport()
        let response = try await transport.send(HTTPRequest(method: "GET", url: server.url + "/status"))
        XCTAssertEqual(response.status, 201)
        XCTAssertEqual(response.header("date"), "Tue, 03 Jun 2025 10:00:00 GMT")
        XCTAssertEqual(response.header("X-Request-Id"), "abc")
        XCTAssertEqual(response.header("Content-Length"), "11")
        XCTAssertEqual(String(decoding: response.body, as: UTF8.self), "{\"ok\":true}")
        XCTAssertEqual(server.requests.first?.method, "GET")
        XCTAssertEqual(server.requests.first?.path, "/status")
    }

    func testLargePostRoundTripWithoutExpectAndWithUserAgent() async throws {
        let server = try CurlTestHTTPServer.echo()
        defer { server.stop() }
        let body = (0..<500_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 8) }
        let request = HTTPRequest(
            method: "POST", url: server.url + "/_api/admin/users/import",
            headers: [HTTPHeader("Content-Type", "application/json"), HTTPHeader("Authorization", "Bearer secret")],
            body: body, timeout: 30)
        let response = try await makeTransport().send(request)
        XCTAssertEqual(response.status, 200)
        XCTAssertEqual(response.body.count, 500_000)
        XCTAssertTrue(response.body == body)
        let seen = try XCTUnwrap(server.requests.first)
        XCTAssertEqual(seen.method, "POST")
        XCTAssertNil(seen.header("Expect"))
        XCTAssertEqual(seen.header("User-Agent"), userAgent)
        XCTAssertEqual(seen.header("Content-Length"), "500000")
        XCTAssertEqual(seen.header("Content-Type"), "application/json")
        XCTAssertEqual(seen.header("Authorization"), "Bearer secret")
    }

    func testBodyWithZeroBytesAndOtherMethods() async throws {
        let server = try CurlTestHTTPServer.echo()
        defer { server.stop() }
        let transport = makeTransport()
        let body: [UInt8] = [0, 1, 0, 255, 0]
        let put = try await transport.send(HTTPRequest(method: "PUT", url: server.url + "/x", body: body))
        XCTAssertEqual(put.body, body)
        let emptyPost = try await transport.send(HTTPRequest(method: "POST", url: server.url + "/y", body: []))
        XCTAssertEqual(emptyPost.status, 200)
        XCTAssertEqual(server.requests.map(\.method), ["PUT", "POST"])
        XCTAssertEqual(server.requests.last?.header("Content-Length"), "0")
    }

    func testKeepAliveReusesOneConnection() async throws {
        let server = try CurlTestHTTPServer.echo()
        defer { server.stop() }
        let transport = makeTransport()
        for index in 0..<3 {
            let response = try await transport.send(
                HTTPRequest(method: "POST", url: server.url + "/r\(index)", body: Array("n\(index)".utf8)))
            XCTAssertEqual(response.body, Array("n\(index)".utf8))
        }
        XCTAssertEqual(server.requests.count, 3)
        XCTAssertEqual(server.accepts, 1)
    }

    func testConnectionRefusedIsNotSent() async throws {
        let port = CurlTestHTTPServer.closedPort()
        let error = await sendExpectingError(
            makeTransport(), HTTPRequest(method: "POST", url: "http://127.0.0.1:\(port)/x", body: [1]))
        guard case .notSent(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 7"), message)
        XCTAssertTrue(message.contains("127.0.0.1"), message)
    }

    func testUnresolvableHostIsNotSent() async throws {
        let error = await sendExpectingError(
            makeTransport(), HTTPRequest(method: "GET", url: "http://no-such-host.invalid/x", timeout: 10))
        guard case .notSent(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 6"), message)
    }

    func testClosedWithoutAnswerAfterReadingIsOutcomeUnknown() async throws {
        let server = try CurlTestHTTPServer { _ in .closeWithoutAnswer }
        defer { server.stop() }
        let request = HTTPRequest(
            method: "POST", url: server.url + "/import",
            headers: [HTTPHeader("Authorization", "Bearer top-secret-token")], body: Array("{\"secret\":1}".utf8))
        let error = await sendExpectingError(makeTransport(), request)
        guard case .outcomeUnknown(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 52"), message)
        XCTAssertFalse(message.contains("top-secret-token"))
        XCTAssertFalse(message.contains("secret\""))
        XCTAssertEqual(server.requests.count, 1)
    }

    /// libcurl re-sends on its own when a reused connection dies silently; a POST must not be.
    func testPostIsNotResentAfterReusedConnectionDropsIt() async throws {
        let server = try CurlTestHTTPServer { request in
            request.path == "/drop" ? .closeWithoutAnswer : .respond(status: 200, headers: [], body: [])
        }
        defer { server.stop() }
        let transport = makeTransport()
        _ = try await transport.send(HTTPRequest(method: "POST", url: server.url + "/first", body: [1]))
        let error = await sendExpectingError(
            transport, HTTPRequest(method: "POST", url: server.url + "/drop", body: [2]))
        guard case .outcomeUnknown = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(server.requests.map(\.path), ["/first", "/drop"])
    }

    /// For GET, libcurl's automatic retry on a fresh connection is allowed.
    func testGetIsRetriedAfterReusedConnectionDropsIt() async throws {
        let server = try CurlTestHTTPServer { request in
            request.path == "/drop" && request.connection == 1
                ? .closeWithoutAnswer : .respond(status: 200, headers: [], body: Array("ok".utf8))
        }
        defer { server.stop() }
        let transport = makeTransport()
        _ = try await transport.send(HTTPRequest(method: "GET", url: server.url + "/first"))
        let response = try await transport.send(HTTPRequest(method: "GET", url: server.url + "/drop"))
        XCTAssertEqual(response.body, Array("ok".utf8))
        XCTAssertEqual(server.accepts, 2)
    }

    func testNoAnswerWithinTimeoutIsOutcomeUnknown() async throws {
        let server = try CurlTestHTTPServer { _ in .stall(seconds: 5) }
        defer { server.stop() }
        let started = Date()
        let error = await sendExpectingError(
            makeTransport(), HTTPRequest(method: "POST", url: server.url + "/slow", body: [1, 2, 3], timeout: 1))
        let elapsed = Date().timeIntervalSince(started)
        guard case .outcomeUnknown(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 28"), message)
        XCTAssertGreaterThan(elapsed, 0.9)
        XCTAssertLessThan(elapsed, 3)
    }

    /// A TLS handshake that never completes times out before anything is sent.
    func testTimeoutBeforeConnectionIsReadyIsNotSent() async throws {
        let server = try CurlTestHTTPServer { _ in .closeWithoutAnswer } // never sees a full request
        defer { server.stop() }
        let error = await sendExpectingError(
            makeTransport(), HTTPRequest(method: "POST", url: "https://127.0.0.1:\(server.port)/x", body: [1], timeout: 1))
        guard case .notSent(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 28"), message)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testTaskCancellationCancelsTheTransfer() async throws {
        let server = try CurlTestHTTPServer { _ in .stall(seconds: 10) }
        defer { server.stop() }
        let transport = makeTransport()
        let request = HTTPRequest(method: "GET", url: server.url + "/slow", timeout: 30)
        let task = Task { () -> TransportError? in
            return await CurlTransportTests.failure(of: transport, request)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        let started = Date()
        task.cancel()
        let error = await task.value
        XCTAssertEqual(error, .cancelled)
        XCTAssertLessThan(Date().timeIntervalSince(started), 2)
    }

    func testAlreadyCancelledTaskSendsNothing() async throws {
        let server = try CurlTestHTTPServer.echo()
        defer { server.stop() }
        let transport = makeTransport()
        let request = HTTPRequest(method: "GET", url: server.url + "/x")
        let task = Task { () -> TransportError? in
            withUnsafeCurrentTask { $0?.cancel() }
            return await CurlTransportTests.failure(of: transport, request)
        }
        let error = await task.value
        XCTAssertEqual(error, .cancelled)
        XCTAssertEqual(server.requests.count, 0)
    }

    func testFiftyConcurrentRequestsAllComplete() async throws {
        let server = try CurlTestHTTPServer.echo()
        defer { server.stop() }
        let transport = makeTransport()
        let bodies: [Int: [UInt8]] = try await withThrowingTaskGroup(of: (Int, [UInt8]).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let response = try await transport.send(
                        HTTPRequest(method: "POST", url: server.url + "/c\(index)", body: Array("body-\(index)".utf8)))
                    return (index, response.body)
                }
            }
            var collected: [Int: [UInt8]] = [:]
            for try await (index, body) in group { collected[index] = body }
            return collected
        }
        XCTAssertEqual(bodies.count, 50)
        for index in 0..<50 { XCTAssertEqual(bodies[index], Array("body-\(index)".utf8)) }
        XCTAssertEqual(server.requests.count, 50)
    }

    func testCloseCancelsInFlightAndLaterRequests() async throws {
        let server = try CurlTestHTTPServer { _ in .stall(seconds: 10) }
        defer { server.stop() }
        let transport = makeTransport()
        let request = HTTPRequest(method: "GET", url: server.url + "/slow", timeout: 30)
        let task = Task { () -> TransportError? in
            return await CurlTransportTests.failure(of: transport, request)
        }
        try await Task.sleep(nanoseconds: 300_000_000)
        transport.close()
        let inFlight = await task.value
        XCTAssertEqual(inFlight, .cancelled)
        let later = await sendExpectingError(transport, HTTPRequest(method: "GET", url: server.url + "/x"))
        XCTAssertEqual(later, .cancelled)
    }

    func testInvalidHeaderIsRejectedBeforeSending() async throws {
        let server = try CurlTestHTTPServer.echo()
        defer { server.stop() }
        let request = HTTPRequest(
            method: "GET", url: server.url + "/x", headers: [HTTPHeader("X-Bad", "a\r\nInjected: 1")])
        let error = await sendExpectingError(makeTransport(), request)
        guard case .notSent = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertEqual(server.accepts, 0)
    }

    /// Nothing disables libcurl's proxy environment variables: `http_proxy` routes the request.
    func testHTTPProxyEnvironmentVariableIsHonoured() async throws {
        let proxy = try CurlTestHTTPServer { _ in .respond(status: 200, headers: [], body: Array("via proxy".utf8)) }
        defer { proxy.stop() }
        setenv("http_proxy", proxy.url, 1)
        defer { unsetenv("http_proxy") }
        let response = try await makeTransport().send(HTTPRequest(method: "GET", url: "http://api.example.invalid/x"))
        XCTAssertEqual(response.body, Array("via proxy".utf8))
        XCTAssertEqual(proxy.requests.first?.path, "http://api.example.invalid/x")
    }
}
