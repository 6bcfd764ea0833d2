import AuthgearAPI
import CurlTransport
import Foundation
import XCTest

/// HTTPS through `openssl s_server -www` with a CA and server certificate made by the `openssl` CLI.
final class CurlTransportTLSTests: XCTestCase {
    private var directory: URL!
    private var server: Process?
    private var port: UInt16 = 0

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("curl-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=authgear-migrate test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ])
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"])
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(to: directory.appendingPathComponent("server.ext"), atomically: true, encoding: .utf8)
        try openssl([
            "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
        ])
        port = CurlTestHTTPServer.closedPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", "server.pem", "-key", "server.key",
            "-www", "-quiet",
        ]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        server = process
        try waitUntilListening()
    }

    override func tearDownWithError() throws {
        if let server, server.isRunning {
            server.terminate()
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private var caFile: String { directory.appendingPathComponent("ca.pem").path }

    private func openssl(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        XCTAssertEqual(process.terminationStatus, 0, "openssl \(arguments.joined(separator: " "))")
    }

    private func waitUntilListening() throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            close(fd)
            if connected == 0 { return }
            Thread.sleep(forTimeInterval: 0.05)
        }
        // A test that cannot set up its TLS server fails: it must never pass by not running.
        struct TLSServerDidNotStart: Error, CustomStringConvertible {
            let port: UInt16
            var description: String { "openssl s_server did not start on port \(port) within 5 s" }
        }
        throw TLSServerDidNotStart(port: port)
    }

    func testTrustedTestCAGivesResponse() async throws {
        let transport = CurlTransport(userAgent: "authgear-migrate/test", caFile: caFile)
        let response = try await transport.send(HTTPRequest(method: "GET", url: "https://127.0.0.1:\(port)/", timeout: 10))
        XCTAssertEqual(response.status, 200)
        XCTAssertTrue(String(decoding: response.body, as: UTF8.self).contains("s_server"))
    }

    func testUntrustedCertificateIsNotSent() async throws {
        let transport = CurlTransport(userAgent: "authgear-migrate/test")
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "POST", url: "https://127.0.0.1:\(port)/", body: [1], timeout: 10))
        guard case .notSent(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 60"), message)
    }

    func testHostNameMismatchIsNotSent() async throws {
        let transport = CurlTransport(userAgent: "authgear-migrate/test", caFile: caFile)
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "POST", url: "https://localhost:\(port)/", body: [1], timeout: 10))
        guard case .notSent(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 60"), message)
    }

    func testMissingCAFileIsNotSent() async throws {
        let transport = CurlTransport(userAgent: "authgear-migrate/test", caFile: directory.appendingPathComponent("none.pem").path)
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "GET", url: "https://127.0.0.1:\(port)/", timeout: 10))
        guard case .notSent(let message) = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(message.contains("curl error 77"), message)
    }
}
