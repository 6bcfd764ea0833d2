#if canImport(Glibc)
import Glibc
#endif
import Foundation
import OpenSSLCrypto
import MigrationCore
import TestSupport
import XCTest
@testable import Sandbox

/// A raw HTTP/1.1 answer.
struct RawResponse: Sendable {
    var status: Int
    var headers: [String: String]
    var body: [UInt8]
    var text: String { String(decoding: body, as: UTF8.self) }
    var json: JSONValue? { try? JSONParser.parse(body) }
    func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// Minimal blocking HTTP/1.1 client over a loopback socket (runs off the Swift thread pool).
/// It never follows redirects and reports a connection closed without an answer as nil.
enum RawHTTP {
    static func send(port: Int, method: String, path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) async -> RawResponse? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(returning: sendBlocking(port: port, method: method, path: path, headers: headers, body: body))
            }
        }
    }

    private static func sendBlocking(port: Int, method: String, path: String, headers: [(String, String)], body: [UInt8]?) -> RawResponse? {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: myapp.localhost\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        // The server may answer (413) and close before reading everything: the answer still counts.
        guard let exchanged = Loopback.exchange(Array(head.utf8) + (body ?? []), port: UInt16(port)) else { return nil }
        return parse(exchanged.answer)
    }

    private static func parse(_ bytes: [UInt8]) -> RawResponse? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0..<max(0, bytes.count - 3)).first(where: { Array(bytes[$0..<($0 + 4)]) == separator }) else { return nil }
        let lines = String(decoding: bytes[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        var body = Array(bytes[(end + 4)...])
        if let length = headers["content-length"].flatMap(Int.init), body.count > length { body = Array(body[0..<length]) }
        return RawResponse(status: status, headers: headers, body: body)
    }
}

/// Test-only RS256 signer (the real client signer is elsewhere).
enum TestJWT {
    static func sign(privateKeyPEM: String, header: String, payload: String) -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
        let pair = RSAKeyPair(privateKeyPEM: privateKeyPEM, publicKeyPEM: "")
        let signature = try! RSAKey(privateKeyPEM: Array(pair.privateKeyPEM.utf8)).signRS256(Array(input.utf8))
        return input + "." + Base64URL.encode(signature)
    }

    static func token(_ key: RSAKeyPair, kid: String = "test-kid", aud: String = "\"myapp\"", now: Int64, extra: String = "") -> String {
        sign(privateKeyPEM: key.privateKeyPEM, header: #"{"alg":"RS256","typ":"JWT","kid":"\#(kid)"}"#,
             payload: #"{"aud":\#(aud),"iat":\#(now),"exp":\#(now + 300)\#(extra)}"#)
    }
}

/// A sandbox server started in-process on an ephemeral port (the shared ``SandboxHarness``);
/// the API under test is called over ``RawHTTP`` so that every byte on the wire is the test's.
final class TestSandbox: Sendable {
    let harness: SandboxHarness
    var server: SandboxServer { harness.server }
    var dir: String { harness.dir }
    var port: Int { server.port }

    static func start(recordLatency: Int = 0) async throws -> TestSandbox {
        TestSandbox(harness: try await SandboxHarness.start(recordLatency: recordLatency, prefix: "sbtest"))
    }

    private init(harness: SandboxHarness) {
        self.harness = harness
    }

    func stop() async {
        await harness.shutdown()
    }

    /// The sandbox clock's current Unix time.
    func now() async -> Int64 {
        Int64(await control("GET", "/_sandbox/clock")?["now_unix"]?.numberText ?? "0")!
    }

    func bearer(kid: String = "test-kid", aud: String = "\"myapp\"", extra: String = "") async -> String {
        "Bearer " + TestJWT.token(server.keyPair, kid: kid, aud: aud, now: await now(), extra: extra)
    }

    /// Calls the control API; the JSON answer whatever its status (nil when there is none).
    @discardableResult
    func control(_ method: String, _ path: String, _ body: String? = nil) async -> JSONValue? {
        guard let response = try? await harness.controlAPI.send(method, path, body) else { return nil }
        return try? JSONParser.parse(response.body)
    }

    func post(_ body: String, contentType: String = "application/json", auth: String? = nil) async -> RawResponse {
        let authorization = auth == nil ? await bearer() : auth!
        return await RawHTTP.send(port: port, method: "POST", path: "/_api/admin/users/import",
                                  headers: [("Authorization", authorization), ("Content-Type", contentType)],
                                  body: Array(body.utf8))!
    }

    func postBytes(_ body: [UInt8]) async -> RawResponse? {
        await RawHTTP.send(port: port, method: "POST", path: "/_api/admin/users/import",
                           headers: [("Authorization", await bearer()), ("Content-Type", "application/json")], body: body)
    }

    func get(_ id: String) async -> RawResponse {
        await RawHTTP.send(port: port, method: "GET", path: "/_api/admin/users/import/" + id,
                           headers: [("Authorization", await bearer())])!
    }

    /// Polls until the job is completed (or fails the test after `timeout` seconds).
    func waitCompleted(_ id: String, timeout: Double = 20) async -> JSONValue? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let result = await get(id).json?["result"]
            if result?["status"]?.stringValue == "completed" { return result }
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
        XCTFail("job \(id) did not complete")
        return nil
    }

    /// An import body with `count` email records.
    static func body(count: Int, prefix: String = "user", upsert: Bool = false) -> String {
        let records = (0..<count).map { #"{"email":"\#(prefix)\#($0)@example.com"}"# }.joined(separator: ",")
        return #"{"identifier":"email","upsert":\#(upsert),"records":[\#(records)]}"#
    }
}

extension JSONValue {
    var int: Int? { numberText.flatMap { Int($0) } }
}
