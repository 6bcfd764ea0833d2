import Foundation

/// Hands out Admin API tokens, re-minting before they get old.
///
/// Caches one token and mints a new one when less than `refreshMargin` seconds of its
/// lifetime remain (or when the clock moved backwards past its `iat`), so a run of any length
/// never sends a stale token. The clock is injectable for tests.
public actor TokenProvider {
    /// Minimum remaining lifetime, in seconds, of a token handed out.
    public let refreshMargin: Double
    private let minter: any AdminTokenMinting
    private let clock: @Sendable () -> Date
    private var cached: MintedToken?
    /// How many tokens were minted so far (for diagnostics and tests).
    public private(set) var mintCount = 0

    /// A provider minting with `minter`, reading the time from `clock`.
    public init(
        minter: any AdminTokenMinting, refreshMargin: Double = 60,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.minter = minter
        self.refreshMargin = refreshMargin
        self.clock = clock
    }

    /// A token with at least `refreshMargin` seconds of lifetime left.
    public func token() throws(TokenSigningError) -> MintedToken {
        let now = clock()
        let seconds = now.timeIntervalSince1970
        if let cached, Double(cached.expiresAt) - seconds >= refreshMargin,
           seconds >= Double(cached.issuedAt) - refreshMargin {
            return cached
        }
        let fresh = try minter.mint(at: now)
        cached = fresh
        mintCount += 1
        return fresh
    }

    /// The `Authorization` header value: `Bearer <token>`.
    public func authorizationValue() throws(TokenSigningError) -> String {
        "Bearer " + (try token().value)
    }

    /// Drops the cached token so the next request mints a new one (e.g. after a 403).
    public func invalidate() { cached = nil }
}
