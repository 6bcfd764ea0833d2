import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore
import Sandbox
import TestSupport
import XCTest

/// Tokens against the real sandbox (spec §2): accepted, each 403 cause, re-minting over a long run.
final class SandboxClientAuthTests: XCTestCase {
    private var sandbox: SandboxHarness!

    override func setUp() async throws {
        sandbox = try await SandboxHarness.start()
    }

    override func tearDown() async throws {
        await sandbox.shutdown()
    }

    func testAcceptedTokenCreatesPendingJobThatCompletesWithDetails() async throws {
        let client = try sandbox.client()
        try await sandbox.setWorkerPaused(true)  // the POST then certainly answers `pending`
        let records: [JSONValue] = [
            .obj(["email": .string("ada@example.com"), "name": .string("Ada Lovelace")]),
            .obj(["email": .string("not-an-email")]),
        ]
        let created = try await client.createJob(identifier: "email", upsert: false, records: records)
        XCTAssertEqual(created.status, .pending)
        XCTAssertTrue(created.id.hasPrefix("userimport_"), created.id)
        let suffix = created.id.dropFirst("userimport_".count)
        XCTAssertEqual(suffix.count, 32, created.id)
        XCTAssertTrue(suffix.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) }, created.id)
        XCTAssertNil(created.summary)
        XCTAssertEqual(created.details, [])
        XCTAssertFalse(created.createdAt.isEmpty)
        let serverDate = try XCTUnwrap(created.serverDate, "the Date header is exposed")
        XCTAssertLessThan(abs(serverDate.timeIntervalSinceNow), 5)

        let pending = try await client.getJob(id: created.id)
        XCTAssertEqual(pending.status, .pending)
        XCTAssertNil(pending.completedAt)
        try await sandbox.setWorkerPaused(false)

        let job = try await sandbox.waitForCompletion(client, id: created.id)
        XCTAssertEqual(job.id, created.id)
        XCTAssertEqual(job.createdAt, created.createdAt)
        XCTAssertNotNil(job.completedAt)
        XCTAssertNotNil(job.serverDate)
        XCTAssertNil(job.error)
        XCTAssertEqual(job.summary, ImportJob.Summary(total: 2, inserted: 1, updated: 0, skipped: 0, failed: 1))
        XCTAssertEqual(job.details.map(\.index), [0, 1])

        let inserted = job.details[0]
        XCTAssertEqual(inserted.outcome, .inserted)
        XCTAssertEqual(inserted.record?["email"]?.stringValue, "ada@example.com")
        XCTAssertEqual(inserted.record?["name"]?.stringValue, "Ada Lovelace")
        XCTAssertEqual(inserted.errors, [])
        let users = try await sandbox.control("GET", "/_sandbox/users")["users"]?.arrayValue ?? []
        XCTAssertEqual(users.count, 1)
        XCTAssertEqual(inserted.userID, users.first?["id"]?.stringValue, "user_id maps back to the sandbox user")

        let failed = job.details[1]
        XCTAssertEqual(failed.outcome, .failed)
        XCTAssertNil(failed.userID, "failed records carry no user_id")
        XCTAssertEqual(failed.record?["email"]?.stringValue, "not-an-email")
        XCTAssertEqual(failed.errors.count, 1)
        XCTAssertEqual(failed.errors.first?.name, "Invalid")
        XCTAssertEqual(failed.errors.first?.code, 400)
    }

    /// Every refusal is the same 403 `Forbidden` text; the client maps each to `.forbidden` with
    /// the measured clock skew, and the next call mints a new token.
    func testEachTokenRefusalIsForbidden() async throws {
        let otherKey = try sandbox.freshKeyFile()
        let past: @Sendable () -> Date = { Date().addingTimeInterval(-600) }
        let cases: [(String, TokenProvider)] = [
            ("wrong kid", TokenProvider(minter: try sandbox.signer(keyID: "other"))),
            ("wrong aud", TokenProvider(minter: try sandbox.signer(projectID: "otherapp"))),
            ("aud is a URL", TokenProvider(minter: try sandbox.signer(projectID: sandbox.server.endpoint))),
            ("expired: clock 10 minutes behind", TokenProvider(minter: try sandbox.signer(), clock: past)),
            ("wrong key", TokenProvider(minter: try sandbox.signer(keyFile: otherKey))),
        ]
        for (name, tokens) in cases {
            let client = try sandbox.client(tokens: tokens)
            let error = await sandboxClientFailure { () async throws(ImportAPIError) in
                try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
            }
            guard case .forbidden(let skew)? = error else {
                XCTFail("\(name): got \(String(describing: error))")
                continue
            }
            let measured = try XCTUnwrap(skew, "\(name): skew measured from the Date header")
            XCTAssertLessThan(abs(measured), 5, name)
            XCTAssertTrue(error!.description.contains("HTTP 403"), name)
            XCTAssertFalse(error!.isRetryable, name)

            let getError = await sandboxClientFailure { () async throws(ImportAPIError) in
                try await client.getJob(id: "userimport_00000000000000000000000000000000")
            }
            guard case .forbidden? = getError else {
                XCTFail("\(name): the token check comes before the job lookup, got \(String(describing: getError))")
                continue
            }
            let minted = await tokens.mintCount
            XCTAssertEqual(minted, 2, "\(name): the refused token was dropped and a new one minted")
        }
        let jobCount = try await sandbox.jobCount()
        XCTAssertEqual(jobCount, 0)
    }

    /// The server allows 5 minutes of skew after `exp` (spec §2.1): a token that expired 4 minutes
    /// ago still works, one that expired 5 minutes and 10 seconds ago does not.
    func testExpiryHonoursFiveMinutesOfSkew() async throws {
        let shortLived = try sandbox.signer(lifetime: 1)
        let client = try sandbox.client(tokens: TokenProvider(minter: shortLived, refreshMargin: 0,
                                                              clock: { Date().addingTimeInterval(-241) }))
        let job = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<1))
        XCTAssertEqual(job.status, .pending)

        let stale = try sandbox.client(tokens: TokenProvider(minter: shortLived, refreshMargin: 0,
                                                             clock: { Date().addingTimeInterval(-311) }))
        let error = await sandboxClientFailure { () async throws(ImportAPIError) in try await stale.getJob(id: job.id) }
        guard case .forbidden? = error else { return XCTFail("got \(String(describing: error))") }
    }

    /// A run longer than a token's 5-minute lifetime: after 6 minutes the provider mints a new
    /// token (iat at the new time) and the call succeeds against the advanced sandbox clock.
    func testSixMinutesLaterANewTokenIsMinted() async throws {
        let tokens = TokenProvider(minter: try sandbox.signer(), clock: sandbox.now)
        let client = try sandbox.client(tokens: tokens)
        let created = try await client.createJob(identifier: "email", upsert: false, records: SandboxHarness.records(0..<3))
        let first = try await tokens.token()
        _ = try await sandbox.waitForCompletion(client, id: created.id)
        var minted = await tokens.mintCount
        XCTAssertEqual(minted, 1, "one token serves calls within its lifetime")
        XCTAssertEqual(first.expiresAt - first.issuedAt, 300)

        try await sandbox.advanceClock(360)
        let clockNow = try await sandbox.control("GET", "/_sandbox/clock")["now_unix"]?.doubleValue ?? 0
        let job = try await client.getJob(id: created.id)
        XCTAssertEqual(job.status, .completed)
        XCTAssertEqual(job.summary?.inserted, 3)
        minted = await tokens.mintCount
        XCTAssertEqual(minted, 2, "a token older than its lifetime minus the margin is replaced")
        let second = try await tokens.token()
        XCTAssertGreaterThanOrEqual(second.issuedAt, first.issuedAt + 359)
        XCTAssertLessThan(abs(Double(second.issuedAt) - clockNow), 5, "the new token is issued at the advanced clock")
        XCTAssertNotNil(job.serverDate)

        // A further call within the new token's lifetime reuses it.
        _ = try await client.getJob(id: created.id)
        minted = await tokens.mintCount
        XCTAssertEqual(minted, 2)
    }
}
