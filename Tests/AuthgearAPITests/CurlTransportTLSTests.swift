import AuthgearAPI
import CurlTransport
import Foundation
import TestSupport
import XCTest

/// HTTPS through `openssl s_server -www` with a CA and server certificate made by the `openssl` CLI.
final class CurlTransportTLSTests: XCTestCase {
    private var directory: URL!
    private var server: Process?
    private var port: UInt16 = 0
    private var extraServers: [Process] = []

    override func setUpWithError() throws {
        directory = URL(fileURLWithPath: TempDirectory(prefix: "curl-tls").path)
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
        let (process, listening) = try startServer(cert: "server.pem", key: "server.key")
        server = process
        port = listening
    }

    /// `openssl s_server -www` on 127.0.0.1 with the given certificate, once it listens.
    private func startServer(cert: String, key: String) throws -> (Process, UInt16) {
        let port = CurlTestHTTPServer.closedPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [
            "openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", cert, "-key", key,
            "-www", "-quiet",
        ]
        process.currentDirectoryURL = directory
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        extraServers.append(process)
        try waitUntilListening(port)
        return (process, port)
    }

    override func tearDownWithError() throws {
        for server in extraServers where server.isRunning {
            // SIGKILL: a child started from an async test inherits the pool thread's signal
            // mask, in which SIGTERM may be blocked (terminate() would then never end it).
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
        }
        try? FileManager.default.removeItem(at: directory)
    }

    private var caFile: String { directory.appendingPathComponent("ca.pem").path }

    private func openssl(_ arguments: [String]) throws {
        XCTAssertEqual(try ExternalTool.run(["openssl"] + arguments, in: directory.path), 0, "openssl \(arguments.joined(separator: " "))")
    }

    private func waitUntilListening(_ port: UInt16) throws {
        if Loopback.waitUntilListening(port: port, seconds: 5) { return }
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

    /// A certificate libcurl refuses is permanent: not retryable, named, and with what to do.
    private func assertPermanentCertificateFailure(
        _ error: TransportError?, says needles: [String], file: StaticString = #filePath, line: UInt = #line
    ) {
        guard let error else { return XCTFail("the request succeeded", file: file, line: line) }
        let api = ImportAPIError.transport(error)
        XCTAssertFalse(api.isRetryable, "\(error)", file: file, line: line)
        XCTAssertFalse(api.outcomeUnknown, "\(error)", file: file, line: line)
        for needle in needles + ["certificate", "nothing was sent"] {
            XCTAssertTrue(error.description.contains(needle), "\(needle) missing in \(error)", file: file, line: line)
            XCTAssertTrue(api.description.contains(needle), "\(needle) missing in \(api)", file: file, line: line)
        }
        XCTAssertFalse(api.description.contains("could not reach the server"), api.description, file: file, line: line)
    }

    func testUntrustedCertificateIsPermanentAndSaysUseCAFile() async throws {
        let transport = CurlTransport(userAgent: "authgear-migrate/test")
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "POST", url: "https://127.0.0.1:\(port)/", body: [1], timeout: 10))
        assertPermanentCertificateFailure(error, says: ["unable to get local issuer certificate", "curl error 60", "--ca-file"])
    }

    func testSelfSignedCertificateIsPermanent() async throws {
        let (_, selfSignedPort) = try startServer(cert: "ca.pem", key: "ca.key")
        let transport = CurlTransport(userAgent: "authgear-migrate/test")
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "GET", url: "https://127.0.0.1:\(selfSignedPort)/", timeout: 10))
        assertPermanentCertificateFailure(error, says: ["self-signed certificate", "--ca-file"])
    }

    func testHostNameMismatchIsPermanentAndSaysCheckTheHostName() async throws {
        let transport = CurlTransport(userAgent: "authgear-migrate/test", caFile: caFile)
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "POST", url: "https://localhost:\(port)/", body: [1], timeout: 10))
        assertPermanentCertificateFailure(error, says: ["curl error 60", "localhost", "host name", "--endpoint"])
    }

    func testExpiredCertificateIsPermanentAndSaysCheckTheClock() async throws {
        try "[ca]\ndefault_ca=t\n[t]\ndatabase=index.txt\nnew_certs_dir=.\nserial=serial\ndefault_md=sha256\npolicy=p\n[p]\ncommonName=supplied\n"
            .write(to: directory.appendingPathComponent("ca.cnf"), atomically: true, encoding: .utf8)
        try "".write(to: directory.appendingPathComponent("index.txt"), atomically: true, encoding: .utf8)
        try "01\n".write(to: directory.appendingPathComponent("serial"), atomically: true, encoding: .utf8)
        try openssl(["ca", "-config", "ca.cnf", "-batch", "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "server.csr",
                     "-out", "expired.pem", "-startdate", "20200101000000Z", "-enddate", "20200102000000Z", "-extfile", "server.ext"])
        let (_, expiredPort) = try startServer(cert: "expired.pem", key: "server.key")
        let transport = CurlTransport(userAgent: "authgear-migrate/test", caFile: caFile)
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "GET", url: "https://127.0.0.1:\(expiredPort)/", timeout: 10))
        assertPermanentCertificateFailure(error, says: ["certificate has expired", "clock"])
    }

    func testMissingCAFileIsPermanentAndNamesTheFile() async throws {
        let missing = directory.appendingPathComponent("none.pem").path
        let transport = CurlTransport(userAgent: "authgear-migrate/test", caFile: missing)
        let error = await CurlTransportTests.failure(
            of: transport, HTTPRequest(method: "GET", url: "https://127.0.0.1:\(port)/", timeout: 10))
        assertPermanentCertificateFailure(error, says: ["curl error 77", missing, "--ca-file"])
    }
}
