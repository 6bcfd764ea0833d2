import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Synchronization
import XCTest

/// The one client of the sandbox's control API (`/_sandbox/…`) the tests use, in-process or
/// against a sandbox child process: libcurl (`CurlTransport`) over loopback.
public final class SandboxControl: Sendable {
    /// `http://127.0.0.1:PORT` of the sandbox.
    public let endpoint: String
    private let transport: CurlTransport

    public init(endpoint: String, userAgent: String = "authgear-migrate-tests/control") {
        self.endpoint = endpoint
        transport = CurlTransport(userAgent: userAgent)
    }

    public func close() { transport.close() }

    /// One request to `endpoint + path`, whatever its status.
    public func send(_ method: String, _ path: String, _ body: String? = nil, timeout: Double = 30) async throws -> HTTPResponse {
        let request = HTTPRequest(method: method, url: endpoint + path,
                                  headers: body == nil ? [] : [HTTPHeader("Content-Type", "application/json")],
                                  body: body.map { Array($0.utf8) }, timeout: timeout)
        return try await transport.send(request)
    }

    /// Calls `/_sandbox/…` and returns the JSON answer; fails the test on a non-2xx status.
    @discardableResult
    public func call(_ method: String, _ path: String, _ body: String? = nil,
                     file: StaticString = #filePath, line: UInt = #line) async throws -> JSONValue {
        let response = try await send(method, path, body)
        let text = String(decoding: response.body, as: UTF8.self)
        XCTAssertTrue((200..<300).contains(response.status), "\(method) \(path): \(response.status) \(text)", file: file, line: line)
        return try JSONParser.parse(response.body)
    }

    public func setFaults(_ json: String, file: StaticString = #filePath, line: UInt = #line) async throws {
        try await call("PUT", "/_sandbox/faults", json, file: file, line: line)
    }

    public func setWorkerPaused(_ paused: Bool) async throws {
        try await call("PUT", "/_sandbox/worker", #"{"paused": \#(paused)}"#)
    }

    /// The jobs the sandbox holds, oldest first.
    public func jobs() async throws -> [JSONValue] {
        try await call("GET", "/_sandbox/jobs")["jobs"]?.arrayValue ?? []
    }

    /// Every sandbox user as (email login ID, user id), in store order, following the pages
    /// of `GET /_sandbox/users` (`{"users","next","total"}`, `?limit=&after=`).
    public func users() async throws -> [(email: String, id: String)] {
        var out: [(email: String, id: String)] = []
        var after: String?
        repeat {
            let doc = try await call("GET", "/_sandbox/users?limit=10000" + (after.map { "&after=" + $0 } ?? ""))
            for user in doc["users"]?.arrayValue ?? [] {
                let email = (user["identities"]?.arrayValue ?? [])
                    .first { $0["key"]?.stringValue == "email" }?["value"]?.stringValue ?? ""
                out.append((email, user["id"]?.stringValue ?? ""))
            }
            after = doc["next"]?.stringValue
        } while after != nil
        return out
    }

    /// email → user id; fails the test when an email appears on two users.
    public func userIDsByEmail(file: StaticString = #filePath, line: UInt = #line) async throws -> [String: String] {
        var out: [String: String] = [:]
        for u in try await users() {
            XCTAssertNil(out[u.email], "two sandbox users with email \(u.email)", file: file, line: line)
            out[u.email] = u.id
        }
        return out
    }
}

/// Runs `body` to completion from synchronous code (a synchronous test method on the main thread).
public func blockingAwait<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) throws -> T {
    let semaphore = DispatchSemaphore(value: 0)
    let result = Mutex<Result<T, any Error>?>(nil)
    Task.detached {
        let outcome: Result<T, any Error>
        do { outcome = .success(try await body()) } catch { outcome = .failure(error) }
        result.withLock { $0 = outcome }
        semaphore.signal()
    }
    semaphore.wait()
    return try result.withLock { $0! }.get()
}
