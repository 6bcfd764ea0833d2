import Foundation
import XCTest
@testable import AuthgearAPI
import ConnectionSetup

/// A clock the test moves by hand.
final class TokenTestClock: @unchecked Sendable {
    // @unchecked: guarded by `lock`.
    private let lock = NSLock()
    private var current: Date
    init(_ start: Date) { current = start }
    var now: Date { lock.withLock { current } }
    func advance(_ seconds: Double) { lock.withLock { current += seconds } }
}

final class TokenProviderTests: XCTestCase {
    func testCachesUntilSixtySecondsRemainThenReMints() async throws {
        let clock = TokenTestClock(Date(timeIntervalSince1970: 1_000_000))
        let signer = try AdminTokenSigner(keyFile: TokenKeyFixtures.shared.pkcs8, keyID: "k", projectID: "myapp")
        let provider = TokenProvider(minter: signer, clock: { clock.now })
        let first = try await provider.token()
        clock.advance(239)   // 61 s left
        let second = try await provider.token()
        XCTAssertEqual(first, second)
        var count = await provider.mintCount
        XCTAssertEqual(count, 1)
        clock.advance(1)     // 60 s left: still enough
        _ = try await provider.token()
        clock.advance(0.5)   // 59.5 s left: re-mint
        let third = try await provider.token()
        XCTAssertNotEqual(third, first)
        XCTAssertEqual(third.issuedAt, 1_000_240)
        count = await provider.mintCount
        XCTAssertEqual(count, 2)
    }

    func testSixHourRunNeverHandsOutATokenWithLessThanSixtySecondsLeft() async throws {
        let clock = TokenTestClock(Date(timeIntervalSince1970: 2_000_000))
        let signer = try AdminTokenSigner(keyFile: TokenKeyFixtures.shared.pkcs8, keyID: "k", projectID: "myapp")
        let provider = TokenProvider(minter: signer, clock: { clock.now })
        for _ in 0..<(6 * 3600 / 7) {
            let token = try await provider.token()
            XCTAssertGreaterThanOrEqual(Double(token.expiresAt) - clock.now.timeIntervalSince1970, 60)
            clock.advance(7)
        }
        let minted = await provider.mintCount
        XCTAssertEqual(minted, 6 * 3600 / 240 + 1, accuracy: 2)
    }

    func testClockGoingBackwardsAndInvalidateReMint() async throws {
        let clock = TokenTestClock(Date(timeIntervalSince1970: 3_000_000))
        let signer = try AdminTokenSigner(keyFile: TokenKeyFixtures.shared.pkcs8, keyID: "k", projectID: "myapp")
        let provider = TokenProvider(minter: signer, clock: { clock.now })
        _ = try await provider.token()
        clock.advance(-600)
        let back = try await provider.token()
        XCTAssertEqual(back.issuedAt, 2_999_400)
        await provider.invalidate()
        _ = try await provider.authorizationValue()
        let count = await provider.mintCount
        XCTAssertEqual(count, 3)
        let header = try await provider.authorizationValue()
        XCTAssertTrue(header.hasPrefix("Bearer eyJ"))
    }
}
