import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest

/// HTTPS to the sandbox through a TLS terminator (`socat`, Debian package `socat`, installed by
/// scripts/setup.sh) whose certificate is issued by a test CA made here with the `openssl` CLI.
final class SandboxClientTLSTests: XCTestCase {
    private var sandbox: SandboxHarness!
    private var terminator: Process?
    private var port: UInt16 = 0

    override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
        let dir = sandbox.dir
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try openssl(["req", "-x509"] + ec + [
            "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=authgear-migrate sandbox test CA",
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        ], in: dir)
        try openssl(["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"], in: dir)
        try "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n"
            .write(toFile: dir + "/server.ext", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                     "-out", "server.pem", "-days", "2", "-extfile", "server.ext"], in: dir)

        guard ExternalTool.which("socat") != nil else {
            // A failure, not a skip: CI installs socat through scripts/setup.sh.
            throw ExternalTool.Missing(description: "socat is required for the HTTPS tests: run scripts/setup.sh (Debian package socat)")
        }
        port = CurlTestHTTPServer.closedPort()
        terminator = try ExternalTool.start([
            "socat", "OPENSSL-LISTEN:\(port),bind=127.0.0.1,reuseaddr,fork,cert=server.pem,key=server.key,verify=0",
            "TCP:127.0.0.1:\(sandbox.server.port)",
        ], in: dir)
        guard Loopback.waitUntilListening(port: port) else {
            throw ExternalTool.Missing(description: "socat did not listen on 127.0.0.1:\(port)")
        }
    }

    override func tearDown() async throws {
        // The sandbox first: socat's per-connection children then end while socat can reap them.
        await sandbox.shutdown()
        try await Task.sleep(nanoseconds: 100_000_000)
        if let terminator, terminator.isRunning {
            // SIGKILL: a child started from an async test inherits the pool thread's signal
            // mask, in which SIGTERM may be blocked (terminate() would then never end it).
            kill(terminator.processIdentifier, SIGKILL)
            terminator.waitUntilExit()
        }
    }

    private func openssl(_ arguments: [String], in dir: String) throws {
        let status = try ExternalTool.run(["openssl"] + arguments, in: dir)
        XCTAssertEqual(status, 0, "openssl \(arguments.joined(separator: " "))")
    }

    private var httpsEndpoint: String { "https://127.0.0.1:\(port)" }

    func testTrustedTestCACreatesAndReadsAJobOverHTTPS() async throws {
        let transport = CurlTransport(userAgent: "sandbox-client-tests", caFile: sandbox.dir + "/ca.pem")
        defer { transport.close() }
        let client = try sandbox.client(endpoint: httpsEndpoint, transport: transport)
        let created = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<2))
        XCTAssertTrue(created.id.hasPrefix("userimport_"))
        XCTAssertNotNil(created.serverDate)
        let job = try await sandbox.waitForCompletion(client, id: created.id)
        XCTAssertEqual(job.summary?.inserted, 2)

        // Every refusal still reads as 403 through TLS.
        let other = try sandbox.client(tokens: TokenProvider(minter: try sandbox.signer(keyID: "other")),
                                       endpoint: httpsEndpoint, transport: transport)
        let refused = await sandboxClientFailure { () async throws(ImportAPIError) in try await other.getJob(id: created.id) }
        guard case .forbidden? = refused else { return XCTFail("got \(String(describing: refused))") }
    }

    func testUntrustedCertificateIsNotSent() async throws {
        let client = try sandbox.client(endpoint: httpsEndpoint)  // system CAs only
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in
            try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        }
        guard case .transport(let failure)? = error else { return XCTFail("got \(String(describing: error))") }
        XCTAssertTrue(failure.description.contains("curl error 60"), failure.description)
        // Permanent: another attempt meets the same certificate.
        XCTAssertEqual(error?.isRetryable, false)
        XCTAssertTrue(error!.description.contains("unable to get local issuer certificate"), error!.description)
        XCTAssertTrue(error!.description.contains("--ca-file"), error!.description)
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0, "nothing reached the sandbox")
    }
}
