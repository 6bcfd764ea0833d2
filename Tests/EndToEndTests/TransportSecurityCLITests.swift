import Foundation
import TestSupport
import XCTest

/// The real binary refuses to send the token and password hashes in clear, and stops at once on
/// a certificate it cannot trust.
final class TransportSecurityCLITests: XCTestCase {
    private var dir = ""
    private var keyFile = ""

    override func setUpWithError() throws {
        dir = makeTempDirectory(prefix: "transport-cli").path   // removed after the test
        keyFile = dir + "/key.pem"
        try Self.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", keyFile], in: dir)
        chmod(keyFile, 0o600)
        try #"{"email":"a@example.com"}"#.write(toFile: dir + "/users.ndjson", atomically: true, encoding: .utf8)
    }

    private var environment: [String: String] {
        var env = CLIProcess.environment(["AUTHGEAR_PROJECT_ID": "myapp", "AUTHGEAR_KEY_ID": "kid", "AUTHGEAR_KEY_FILE": keyFile],
                                         stateDir: dir + "/state")
        for name in ["AUTHGEAR_ENDPOINT", "AUTHGEAR_CA_FILE", "AUTHGEAR_PROFILE", "AUTHGEAR_ALLOW_INSECURE_HTTP",
                     "http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
            env[name] = nil
        }
        env["XDG_CONFIG_HOME"] = dir + "/config"
        return env
    }

    private func cli(_ args: [String], _ extra: [String: String] = [:]) throws -> (CLIProcess.Output, seconds: Double) {
        let started = Date()
        let out = try CLIProcess.run(args, env: environment.merging(extra) { $1 }, in: dir)
        return (out, Date().timeIntervalSince(started))
    }

    // MARK: - Plain http://

    func testPlainHTTPToAnotherHostIsRefusedBeforeAnyConnectionByEveryCommand() throws {
        let endpoint = "http://example.com"
        let commands: [[String]] = [
            ["check", "--endpoint", endpoint],
            ["check", "--endpoint", endpoint, "--json"],
            ["import", dir + "/users.ndjson", "--yes", "--endpoint", endpoint, "--journal", dir + "/j.sqlite"],
        ]
        for args in commands {
            let (out, seconds) = try cli(args)
            XCTAssertEqual(out.status, 2, "\(args): \(out.stdout) \(out.stderr)")
            let text = out.stdout + out.stderr
            for needle in ["http://example.com", "https://", "--ca-file", "--allow-insecure-http"] {
                XCTAssertTrue(text.contains(needle), "\(args): \(needle) missing in \(text)")
            }
            XCTAssertLessThan(seconds, 10)
        }
        let env = ["AUTHGEAR_ENDPOINT": "HTTP://example.com"]
        let (viaEnvironment, _) = try cli(["import", dir + "/users.ndjson", "--yes", "--journal", dir + "/j.sqlite"], env)
        XCTAssertEqual(viaEnvironment.status, 2, viaEnvironment.stderr)
        XCTAssertTrue(viaEnvironment.stderr.contains("from $AUTHGEAR_ENDPOINT"), viaEnvironment.stderr)
    }

    /// Whether the binary connects at all is seen by a loopback listener acting as the HTTP proxy of
    /// the remote endpoint: every request to that endpoint would go through it, and nothing ever
    /// leaves the machine (an HTTP proxy is handed the URL; the endpoint's host is never resolved).
    func testNoConnectionIsMadeUnlessInsecureHTTPIsAllowedAndThenItWarns() throws {
        let listener = try ConnectionCounter(address: "127.0.0.1")
        defer { listener.stop() }
        let endpoint = "http://example.com"
        let proxy = ["http_proxy": "http://127.0.0.1:\(listener.port)"]

        let (refused, _) = try cli(["check", "--endpoint", endpoint], proxy)
        XCTAssertEqual(refused.status, 2, refused.stdout + refused.stderr)
        Thread.sleep(forTimeInterval: 0.2)
        XCTAssertEqual(listener.connections, 0, "the binary connected although it refused the endpoint")

        // Allowed: `import` sends (to the loopback proxy, which hangs up; the import would retry, so it is
        // stopped once the connection is seen). `check` is not used here: it resolves the host name.
        let importArgs = { (journal: String) in ["import", self.dir + "/users.ndjson", "--yes", "--endpoint", endpoint, "--journal", self.dir + journal] }
        for (args, extra) in [(importArgs("/flag.sqlite") + ["--allow-insecure-http"], proxy),
                              (importArgs("/env.sqlite"), proxy.merging(["AUTHGEAR_ALLOW_INSECURE_HTTP": "1"]) { $1 })] {
            let before = listener.connections
            let errPath = dir + "/allowed-\(UUID().uuidString).err"
            FileManager.default.createFile(atPath: errPath, contents: nil)
            let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
            let p = try CLIProcess.spawn(args, env: environment.merging(extra) { $1 }, stdout: FileHandle.nullDevice, stderr: err)
            let deadline = Date().addingTimeInterval(20)
            while listener.connections == before, p.isRunning, Date() < deadline { usleep(20_000) }
            if p.isRunning { kill(p.processIdentifier, SIGKILL) }
            p.waitUntilExit()
            let stderr = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
            XCTAssertTrue(stderr.contains("warning:") && stderr.contains("unencrypted"), stderr)
            XCTAssertGreaterThan(listener.connections, before, "allowed: it connects. \(stderr)")
        }
    }

    // MARK: - TLS certificates

    func testUntrustedCertificateStopsTheImportAtOnceWithExit2() throws {
        let tls = try TLSServer(dir: dir)
        defer { tls.stop() }
        let (out, seconds) = try cli(["import", dir + "/users.ndjson", "--yes", "--json", "--journal", dir + "/j.sqlite",
                                      "--endpoint", "https://127.0.0.1:\(tls.port)"])
        XCTAssertEqual(out.status, 2, out.stderr)
        XCTAssertLessThan(seconds, 8, "a certificate problem is not retried")
        let attempts = out.stdout.components(separatedBy: #""event":"batch_sending""#).count - 1
        XCTAssertEqual(attempts, 1, out.stdout)
        XCTAssertFalse(out.stdout.contains(#""event":"retrying""#), out.stdout)
        XCTAssertTrue(out.stderr.contains("certificate"), out.stderr)
        XCTAssertTrue(out.stderr.contains("self-signed certificate") || out.stderr.contains("self signed certificate"), out.stderr)
        XCTAssertTrue(out.stderr.contains("--ca-file"), out.stderr)
        XCTAssertFalse(out.stderr.contains("could not be reached"), out.stderr)

        // The run is journalled: resume meets the same certificate and stops the same way…
        let journal = ["--journal", dir + "/j.sqlite"]
        let (resumed, resumeSeconds) = try cli(["resume", "--json", "--endpoint", "https://127.0.0.1:\(tls.port)"] + journal)
        XCTAssertEqual(resumed.status, 2, resumed.stderr)
        XCTAssertLessThan(resumeSeconds, 8)
        XCTAssertEqual(resumed.stdout.components(separatedBy: #""event":"batch_sending""#).count - 1, 1, resumed.stdout)
        XCTAssertTrue(resumed.stderr.contains("--ca-file"), resumed.stderr)
        // …and resume and retry refuse plain http:// to another host before anything else.
        for args in [["resume"], ["retry", "--failed", "--yes"]] {
            let (refused, _) = try cli(args + ["--endpoint", "http://example.com"] + journal)
            XCTAssertEqual(refused.status, 2, "\(args): \(refused.stderr)")
            XCTAssertTrue(refused.stderr.contains("--allow-insecure-http") && refused.stderr.contains("https://"), "\(args): \(refused.stderr)")
        }

        let (check, _) = try cli(["check", "--endpoint", "https://127.0.0.1:\(tls.port)"])
        XCTAssertEqual(check.status, 1, check.stdout)
        XCTAssertTrue(check.stdout.contains("✗ connection and TLS"), check.stdout)
        XCTAssertTrue(check.stdout.contains("certificate"), check.stdout)
        XCTAssertTrue(check.stdout.contains("--ca-file"), check.stdout)
    }

    // MARK: - Support

    static func run(_ args: [String], in dir: String) throws {
        XCTAssertEqual(try ExternalTool.run(args, in: dir), 0, args.joined(separator: " "))
    }
}

/// Accepts connections on `address` and closes them at once, counting them.
final class ConnectionCounter: @unchecked Sendable {
    // @unchecked: `count` and `stopped` are only touched under `lock`.
    let port: UInt16
    private let fd: Int32
    private let lock = NSLock()
    private var count = 0
    private var stopped = false
    private let done = DispatchSemaphore(value: 0)

    init(address: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = 0
        addr.sin_addr.s_addr = inet_addr(address)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0, listen(fd, 16) == 0 else { close(fd); throw NSError(domain: "ConnectionCounter", code: Int(errno)) }
        _ = withUnsafeMutablePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        self.fd = fd
        port = UInt16(bigEndian: addr.sin_port)
        Thread.detachNewThread { [self] in loop() }
    }

    var connections: Int { lock.withLock { count } }

    private func loop() {
        while !lock.withLock({ stopped }) {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            if poll(&p, 1, 50) > 0 {
                let client = accept(fd, nil, nil)
                if client >= 0 {
                    lock.withLock { count += 1 }
                    close(client)
                }
            }
        }
        done.signal()
    }

    func stop() {
        lock.withLock { stopped = true }
        done.wait()
        close(fd)
    }
}

/// `openssl s_server -www` on 127.0.0.1 with a self-signed or CA-issued certificate.
final class TLSServer {
    let port: UInt16
    private let process: Process

    init(dir: String) throws {
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try TransportSecurityCLITests.run(["openssl", "req", "-x509"] + ec + [
            "-keyout", "tls.key", "-out", "tls.pem", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ], in: dir)
        var probe = sockaddr_in()
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        probe.sin_family = sa_family_t(AF_INET)
        probe.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &probe) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(s, $0, length) } }
        _ = withUnsafeMutablePointer(to: &probe) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(s, $0, &length) } }
        close(s)
        port = UInt16(bigEndian: probe.sin_port)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["openssl", "s_server", "-accept", "127.0.0.1:\(port)", "-cert", "tls.pem", "-key", "tls.key", "-www", "-quiet"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        process = p
        if Loopback.waitUntilListening(port: port, seconds: 5) { return }
        p.terminate()
        throw NSError(domain: "TLSServer", code: 1, userInfo: [NSLocalizedDescriptionKey: "openssl s_server did not start on \(port)"])
    }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}
