import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest

/// Proxies and answers that do not come from the Admin API: a fake upstream on 127.0.0.1
/// answering HTML/text, and `http_proxy` pointing at a forwarding proxy in front of the sandbox.
final class SandboxClientProxyTests: XCTestCase {
    private var sandbox: SandboxHarness!
    private var savedEnvironment: [String: String?] = [:]
    private static let proxyVariables = ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "no_proxy", "NO_PROXY",
                                         "all_proxy", "ALL_PROXY"]

    override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
        for name in Self.proxyVariables {
            savedEnvironment[name] = ProcessInfo.processInfo.environment[name]
            unsetenv(name)
        }
    }

    override func tearDown() async throws {
        for (name, value) in savedEnvironment {
            if let value { setenv(name, value, 1) } else { unsetenv(name) }
        }
        await sandbox.shutdown()
    }

    /// What a misconfigured endpoint or a proxy in the way may answer instead of the Admin API.
    private static func fakeUpstream(_ request: CurlTestHTTPServer.Received) -> CurlTestHTTPServer.Reply {
        let html = [("Content-Type", "text/html")]
        let text = [("Content-Type", "text/plain; charset=utf-8")]
        switch (request.method, request.path) {
        case ("POST", "/_api/admin/users/import"):
            let page = "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center>"
                + "<hr><center>nginx</center></body></html>"
            return .respond(status: 502, headers: html, body: Array(page.utf8))
        case ("GET", "/_api/admin/users/import/plain"):
            return .respond(status: 200, headers: text, body: Array("OK".utf8))
        case ("GET", "/_api/admin/users/import/shape"):
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: Array(#"{"result":{"foo":1}}"#.utf8))
        case ("GET", "/_api/admin/users/import/echo"):
            let echo = "upstream failed for Authorization: " + (request.header("Authorization") ?? "none")
            return .respond(status: 500, headers: text, body: Array(echo.utf8))
        case ("GET", "/_api/admin/users/import/moved"):
            return .respond(status: 301, headers: [("Location", "https://myapp.authgear.cloud/_api/admin/users/import/moved")],
                            body: [])
        default:
            return .respond(status: 404, headers: text, body: Array("app not found\n".utf8))
        }
    }

    func testNonJSONAnswersAreClassified() async throws {
        let upstream = try CurlTestHTTPServer(handler: Self.fakeUpstream)
        defer { upstream.stop() }
        let client = try sandbox.client(endpoint: upstream.url)

        let gateway = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        }
        XCTAssertEqual(gateway, .server(status: 502, body: nil, snippet: "502 Bad Gateway", retryAfter: nil))
        XCTAssertEqual(gateway?.outcomeUnknown, true)
        let sent = try XCTUnwrap(upstream.requests.first)
        XCTAssertTrue(sent.header("Authorization")?.hasPrefix("Bearer eyJ") == true)
        XCTAssertEqual(sent.header("Content-Type"), "application/json")
        XCTAssertEqual(sent.header("User-Agent"), "sandbox-client-tests")

        func get(_ id: String) async -> ImportAPIError? {
            await sandboxClientFailure { () async throws(ImportAPIError) in try await client.getJob(id: id) }
        }
        let plain = await get("plain")
        XCTAssertEqual(plain, .unexpectedResponse(status: 200, snippet: "OK"))
        XCTAssertEqual(plain?.isRetryable, false)
        let shape = await get("shape")
        XCTAssertEqual(shape, .unexpectedResponse(status: 200, snippet: #"{"result":{"foo":1}}"#))

        let echo = await get("echo")
        guard case .server(500, nil, let snippet?, nil)? = echo else { return XCTFail("got \(String(describing: echo))") }
        XCTAssertFalse(snippet.contains("eyJ"), "the bearer token is never quoted: \(snippet)")
        XCTAssertTrue(snippet.hasSuffix("Authorization: Bearer [redacted]"), snippet)

        let moved = await get("moved")
        guard case .unexpectedResponse(301, let where_)? = moved else { return XCTFail("got \(String(describing: moved))") }
        XCTAssertEqual(where_, "redirect to https://myapp.authgear.cloud/_api/admin/users/import/moved")

        let wrongHost = await get("some-id")
        XCTAssertEqual(wrongHost, .endpointNotFound(snippet: "app not found"))
    }

    /// `http_proxy` (read by libcurl from the environment) routes every call through a
    /// forwarding proxy; the whole job round trip works through it.
    func testForwardingProxyRelaysToTheSandbox() async throws {
        let proxy = try CurlTestHTTPServer { SandboxClientRelay.forward($0) }
        defer { proxy.stop() }
        setenv("http_proxy", proxy.url, 1)
        let client = try sandbox.client()

        let created = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<2))
        let job = try await sandbox.waitForCompletion(client, id: created.id)
        XCTAssertEqual(job.summary?.inserted, 2)
        let relayed = proxy.requests
        XCTAssertEqual(relayed.first?.method, "POST")
        XCTAssertEqual(relayed.first?.path, sandbox.server.endpoint + "/_api/admin/users/import", "absolute-form: sent to a proxy")
        XCTAssertTrue(relayed.contains { $0.method == "GET" && $0.path == sandbox.server.endpoint + "/_api/admin/users/import/" + created.id })

        // The proxy's own error page when its upstream is down: a gateway error, not "not sent".
        let unreachable = try sandbox.client(endpoint: "http://127.0.0.1:\(CurlTestHTTPServer.closedPort())")
        let relayedFailure = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await unreachable.getJob(id: created.id)
        }
        XCTAssertEqual(relayedFailure, .server(status: 502, body: nil, snippet: "relay: upstream failed", retryAfter: nil))
    }

    func testProxyThatIsDownMeansNotSent() async throws {
        setenv("http_proxy", "http://127.0.0.1:\(CurlTestHTTPServer.closedPort())", 1)
        let client = try sandbox.client()
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        }
        guard case .transport(.notSent)? = error else { return XCTFail("got \(String(describing: error))") }
        unsetenv("http_proxy")
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0)
    }

    /// A dead proxy is named as the proxy (with the variable it came from, never its password), with what to do.
    func testProxyThatIsDownIsNamedAsTheProxyWithoutItsCredentials() async throws {
        let closed = CurlTestHTTPServer.closedPort()
        let cases: [(variable: String, proxy: String, shown: String, endpoint: String)] = [
            ("http_proxy", "http://127.0.0.1:\(closed)", "http://127.0.0.1:\(closed)", sandbox.server.endpoint),
            ("http_proxy", "http://migrator:s3cr3t-pw@127.0.0.1:\(closed)", "http://***@127.0.0.1:\(closed)", sandbox.server.endpoint),
            ("ALL_PROXY", "127.0.0.1:\(closed)", "127.0.0.1:\(closed)", sandbox.server.endpoint),
            // (A proxy host name that does not resolve is not tried: looking it up would query the DNS server.)
            ("https_proxy", "http://user:hunter2@127.0.0.1:\(closed)", "http://***@127.0.0.1:\(closed)", "https://127.0.0.1:1"),
        ]
        for c in cases {
            for name in Self.proxyVariables { unsetenv(name) }
            setenv(c.variable, c.proxy, 1)
            let client = try sandbox.client(endpoint: c.endpoint)
            let error = await sandboxClientFailure { () async throws(ImportAPIError) in
                try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
            }
            unsetenv(c.variable)
            guard let error, case .transport(.notSent(let message)) = error else { XCTFail("\(c.variable): got \(String(describing: error))"); continue }
            let text = error.description
            XCTAssertTrue(message.contains("the proxy \(c.shown) (from \(c.variable)) could not be reached"), "\(c.variable): \(message)")
            XCTAssertTrue(text.contains("the proxy \(c.shown) (from \(c.variable)) could not be reached"), "\(c.variable): \(text)")
            XCTAssertTrue(text.contains("no_proxy") && text.contains("unset \(c.variable)"), text)
            XCTAssertFalse(text.contains("s3cr3t") || text.contains("hunter2") || text.contains("migrator"), text)
        }
        // No proxy in the way: a refused connection is the server's, not a proxy's.
        for name in Self.proxyVariables { unsetenv(name) }
        let direct = try sandbox.client(endpoint: "http://127.0.0.1:\(closed)")
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in try await direct.getJob(id: "x") }
        XCTAssertFalse(error?.description.contains("the proxy ") ?? true, String(describing: error))
    }
}
