import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import Synchronization
import TestSupport
import XCTest

/// The real client stack in front of a ``SandboxHarness`` (a real sandbox on 127.0.0.1):
/// `ImportClient` + `TokenProvider(AdminTokenSigner(keyFile:))` + `CurlTransport`.
extension SandboxHarness {
    // MARK: - Client stack

    /// A signer over the sandbox's key file (or `keyFile`), kid `test-kid`, project `myapp` by default.
    func signer(keyFile: String? = nil, keyID: String = SandboxInfo.defaultKeyID, projectID: String = SandboxInfo.defaultProjectID,
                lifetime: Int = 300) throws -> AdminTokenSigner {
        try AdminTokenSigner(keyFile: keyFile ?? server.keyFilePath, keyID: keyID, projectID: projectID, lifetime: lifetime)
    }

    /// The real client over `transport` (a new `CurlTransport` by default) at `endpoint`
    /// (the sandbox by default); tokens from `tokens` (a provider over ``signer(keyFile:keyID:projectID:lifetime:)``).
    func client(tokens: TokenProvider? = nil, endpoint: String? = nil, transport: (any HTTPTransport)? = nil,
                clock: (@Sendable () -> Date)? = nil) throws -> ImportClient {
        let clock = clock ?? now
        return ImportClient(endpoint: endpoint ?? server.endpoint, projectID: SandboxInfo.defaultProjectID,
                            tokens: try tokens ?? TokenProvider(minter: signer(), clock: clock),
                            transport: transport ?? CurlTransport(userAgent: "sandbox-client-tests"),
                            userAgent: "sandbox-client-tests", timeout: 15, clock: clock)
    }

    /// Polls `id` until it is completed (at most `seconds`).
    func waitForCompletion(_ client: ImportClient, id: String, seconds: Double = 10,
                           file: StaticString = #filePath, line: UInt = #line) async throws -> ImportJob {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let job = try await client.getJob(id: id)
            if job.status == .completed { return job }
            if Date() > deadline {
                XCTFail("job \(id) still pending after \(seconds) s", file: file, line: line)
                return job
            }
            try await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// A fresh 2048-bit RSA key (PKCS#8, mode 0600) in the test directory, made with the `openssl` CLI.
    func freshKeyFile() throws -> String {
        let path = dir + "/other-key-\(UUID().uuidString.prefix(8)).pem"
        let status = try ExternalTool.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                                                   "-out", path])
        XCTAssertEqual(status, 0, "openssl genpkey")
        chmod(path, 0o600)
        return path
    }

    /// Email records `user<i>@example.com` for `range`.
    static func records(_ range: Range<Int>) -> [JSONValue] {
        range.map { .obj(["email": .string("user\($0)@example.com")]) }
    }
}

/// The error a call throws, or `nil` (and a test failure) when it succeeds.
func sandboxClientFailure<T>(_ call: () async throws(ImportAPIError) -> T,
                             file: StaticString = #filePath, line: UInt = #line) async -> ImportAPIError? {
    do {
        let value = try await call()
        XCTFail("expected an ImportAPIError, got \(value)", file: file, line: line)
        return nil
    } catch {
        return error
    }
}
