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

    /// Loads the PEM private key at `path` (PKCS#1, PKCS#8 or encrypted PKCS#8).
    ///
    /// Refuses a file that group or others can read, or that another user (not root) owns,
    /// unless `allowInsecureKeyFile` is set.
    public convenience init(
        keyFile path: String, keyID: String, projectID: String, lifetime: Int = 300,
        passphrase: PassphraseSource = .none, allowInsecureKeyFile: Bool = false
    ) throws(TokenSigningError) {
        var pem = try Self.readKeyFile(path, allowInsecure: allowInsecureKeyFile)
        defer { for i in pem.indices { pem[i] = 0 } }
        try self.init(pem: pem, keyID: keyID, projectID: projectID, lifetime: lifetime,
                      passphrase: passphrase, sourceName: path)
    }

    /// Loads a PEM private key from memory; `sourceName` names it in error messages.
    public init(
        pem: [UInt8], keyID: String, projectID: String, lifetime: Int = 300,
        passphrase: PassphraseSource = .none, sourceName: String = "the key"
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

    /// Reads the key file through one descriptor: the mode checked is the mode of the file read.
    static func readKeyFile(_ path: String, allowInsecure: Bool) throws(TokenSigningError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .keyFileUnreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .keyFileUnreadable(path: path, reason: String(cString: strerror(errno)))
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .keyFileUnreadable(path: path, reason: "not a regular file")
        }
        // Ownership as OpenSSH checks the files it trusts: owned by the user running it or by root
        // (readconf.c: "Bad owner or permissions on %s" when `st_uid != 0 && st_uid != getuid()`;
        // sshd's safe_path: "bad ownership or modes"). Another owner can read, chmod or replace
        // the key whatever its mode. (ssh's own private-key check, sshkey_perm_ok, looks at the
        // mode of keys the user owns only; this tool refuses both.) Compared with the effective uid.
        let user = UInt32(geteuid())
        if info.st_uid != user && info.st_uid != 0 && !allowInsecure {
            throw .keyFileNotOwned(path: path, owner: UInt32(info.st_uid), user: user)
        }
        let mode = UInt32(info.st_mode)
        if mode & 0o077 != 0 && !allowInsecure { throw .insecureKeyFile(path: path, mode: mode) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { for i in chunk.indices { chunk[i] = 0 } }
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .keyFileUnreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 1 << 20 { throw .malformedKey(path: path, reason: "file larger than 1 MiB") }
        }
        return bytes
    }

    /// Parses `pem` into an RSA private key, asking `passphrase` only if it is encrypted.
    static func parsePrivateKey(
        _ pem: [UInt8], passphrase: PassphraseSource, sourceName: String
    ) throws(TokenSigningError) -> RSAKey {
        do {
            return try RSAKey(privateKeyPEM: pem) { passphrase.passphrase(forKeyAt: sourceName) }
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
