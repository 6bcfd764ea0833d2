import Foundation
import MigrationCore
import OpenSSLCrypto

/// A signed Admin API token and the validity it claims.
public struct MintedToken: Sendable, Equatable, CustomStringConvertible {
    /// The compact JWS (`header.payload.signature`); secret: never log it.
    public let value: String
    /// The `iat` claim (Unix seconds).
    public let issuedAt: Int
    /// The `exp` claim (Unix seconds).
    public let expiresAt: Int

    public init(value: String, issuedAt: Int, expiresAt: Int) {
        self.value = value
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
    }

    /// Says when the token is valid, without the token itself.
    public var description: String { "Admin API token (iat \(issuedAt), exp \(expiresAt), value redacted)" }
}

/// Something that mints Admin API tokens; ``AdminTokenSigner`` is the real one.
public protocol AdminTokenMinting: Sendable {
    /// A fresh token issued at `now`.
    func mint(at now: Date) throws(TokenSigningError) -> MintedToken
}

/// Signs Admin API JWTs (RS256) with a project's Admin API private key (spec §2.2).
///
/// Header `{"alg":"RS256","typ":"JWT","kid":…}`, claims `{"aud":<project id>,"iat":…,"exp":…}`.
/// RSASSA-PKCS1-v1_5 is deterministic: the same key, ids and time give the same token.
///
/// The key is parsed once, in `init`, and held as an ``RSAKey`` (OpenSSLCrypto).
public final class AdminTokenSigner: AdminTokenMinting, Sendable {
    /// The `kid` header value (the key ID shown in the portal).
    public let keyID: String
    /// The project ID, used as `aud`.
    public let projectID: String
    /// Seconds between `iat` and `exp`.
    public let lifetime: Int
    private let key: RSAKey

    /// Loads a PEM private key (PKCS#1, PKCS#8 or encrypted PKCS#8) from memory; `sourceName`
    /// names it in error messages. `passphrase` is asked at most once, only for an encrypted key.
    public init(
        pem: [UInt8], keyID: String, projectID: String, lifetime: Int = 300,
        passphrase: () -> [UInt8]? = { nil }, sourceName: String = "the key"
    ) throws(TokenSigningError) {
        self.keyID = keyID
        self.projectID = projectID
        self.lifetime = lifetime
        self.key = try Self.parsePrivateKey(pem, passphrase: passphrase, sourceName: sourceName)
    }

    /// Signs with an already loaded private key.
    public init(key: RSAKey, keyID: String, projectID: String, lifetime: Int = 300) {
        self.keyID = keyID
        self.projectID = projectID
        self.lifetime = lifetime
        self.key = key
    }

    /// Key size in bits (2048 for portal-generated keys).
    public var keyBits: Int { key.bits }

    /// A token with `iat` = `now` (whole seconds) and `exp` = `iat + lifetime`.
    public func mint(at now: Date) throws(TokenSigningError) -> MintedToken {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt + lifetime
        let input = signingInput(issuedAt: issuedAt, expiresAt: expiresAt)
        let signature = try sign(Array(input.utf8))
        return MintedToken(value: input + "." + Base64URL.encode(signature),
                           issuedAt: issuedAt, expiresAt: expiresAt)
    }

    /// `base64url(header) + "." + base64url(claims)`, the bytes that get signed.
    func signingInput(issuedAt: Int, expiresAt: Int) -> String {
        let writer = JSONWriter()
        var header = Array(#"{"alg":"RS256","typ":"JWT","kid":"#.utf8)
        writer.writeString(keyID, to: &header)
        header.append(UInt8(ascii: "}"))
        var claims = Array(#"{"aud":"#.utf8)
        writer.writeString(projectID, to: &claims)
        claims.append(contentsOf: Array(#","iat":\#(issuedAt),"exp":\#(expiresAt)}"#.utf8))
        return Base64URL.encode(header) + "." + Base64URL.encode(claims)
    }

    private func sign(_ message: [UInt8]) throws(TokenSigningError) -> [UInt8] {
        do { return try key.signRS256(message) } catch { throw .signingFailed(reason: error.reason) }
    }

    // MARK: - Loading

    /// Parses `pem` into an RSA private key, asking `passphrase` only if it is encrypted.
    static func parsePrivateKey(
        _ pem: [UInt8], passphrase: () -> [UInt8]?, sourceName: String
    ) throws(TokenSigningError) -> RSAKey {
        do {
            return try RSAKey(privateKeyPEM: pem, passphrase: passphrase)
        } catch {
            switch error {
            case .passphraseRequired: throw .passphraseRequired(path: sourceName)
            case .wrongPassphrase: throw .wrongPassphrase(path: sourceName)
            case .publicKeyGiven: throw .publicKeyGiven(path: sourceName)
            case .malformed(let reason): throw .malformedKey(path: sourceName, reason: reason)
            case .notRSA(let keyType): throw .notRSA(path: sourceName, keyType: keyType)
            case .openSSL(let failure): throw .malformedKey(path: sourceName, reason: failure.reason)
            }
        }
    }
}
