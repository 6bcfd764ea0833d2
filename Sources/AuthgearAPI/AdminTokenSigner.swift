import COpenSSL
import Foundation
import MigrationCore

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
/// `@unchecked Sendable`: the only mutable-looking state is the `EVP_PKEY`, which is never
/// modified after `init` (OpenSSL documents keys as safe for concurrent read-only use, and each
/// signature uses its own `EVP_MD_CTX`); it is freed once, in `deinit`.
public final class AdminTokenSigner: AdminTokenMinting, @unchecked Sendable {
    /// The `kid` header value (the key ID shown in the portal).
    public let keyID: String
    /// The project ID, used as `aud`.
    public let projectID: String
    /// Seconds between `iat` and `exp`.
    public let lifetime: Int
    private let key: OpaquePointer

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

    deinit { EVP_PKEY_free(key) }

    /// Key size in bits (2048 for portal-generated keys).
    public var keyBits: Int { Int(EVP_PKEY_get_bits(key)) }

    /// A token with `iat` = `now` (whole seconds) and `exp` = `iat + lifetime`.
    public func mint(at now: Date) throws(TokenSigningError) -> MintedToken {
        let issuedAt = Int(now.timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt + lifetime
        let input = signingInput(issuedAt: issuedAt, expiresAt: expiresAt)
        let signature = try sign(Array(input.utf8))
        return MintedToken(value: input + "." + OpenSSLSupport.base64URL(signature),
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
        return OpenSSLSupport.base64URL(header) + "." + OpenSSLSupport.base64URL(claims)
    }

    private func sign(_ message: [UInt8]) throws(TokenSigningError) -> [UInt8] {
        ERR_clear_error()
        guard let context = EVP_MD_CTX_new() else {
            throw .signingFailed(reason: OpenSSLSupport.drainErrors() ?? "out of memory")
        }
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1,
              EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw .signingFailed(reason: OpenSSLSupport.drainErrors() ?? "EVP_DigestSign failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw .signingFailed(reason: OpenSSLSupport.drainErrors() ?? "EVP_DigestSign failed")
        }
        return Array(signature.prefix(length))
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

    /// Hands the passphrase to OpenSSL's callback and remembers whether it was asked for.
    private final class PassphraseRequest {
        let source: PassphraseSource
        let path: String
        var asked = false
        var cached: [UInt8]?
        init(source: PassphraseSource, path: String) {
            self.source = source
            self.path = path
        }
        deinit { if cached != nil { for i in cached!.indices { cached![i] = 0 } } }
    }

    private static let passphraseCallback: @convention(c) (
        UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?
    ) -> Int32 = { buffer, size, _, userdata in
        guard let buffer, let userdata else { return -1 }
        let request = Unmanaged<PassphraseRequest>.fromOpaque(userdata).takeUnretainedValue()
        if !request.asked {  // OpenSSL may call back once per decoder: ask the source only once
            request.asked = true
            request.cached = request.source.passphrase(forKeyAt: request.path)
        }
        guard let passphrase = request.cached, passphrase.count <= Int(size) else { return -1 }
        passphrase.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
        }
        return Int32(passphrase.count)
    }

    static func parsePrivateKey(
        _ pem: [UInt8], passphrase: PassphraseSource, sourceName: String
    ) throws(TokenSigningError) -> OpaquePointer {
        ERR_clear_error()
        let request = PassphraseRequest(source: passphrase, path: sourceName)
        let parsed: OpaquePointer? = pem.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            let userdata = Unmanaged.passUnretained(request).toOpaque()
            return withExtendedLifetime(request) {
                PEM_read_bio_PrivateKey(bio, nil, passphraseCallback, userdata)
            }
        }
        let reasons = OpenSSLSupport.drainErrors()
        guard let key = parsed else {
            if request.asked {
                if request.cached == nil { throw .passphraseRequired(path: sourceName) }
                throw .wrongPassphrase(path: sourceName)
            }
            let text = String(decoding: pem.prefix(4096), as: UTF8.self)
            if text.contains("PUBLIC KEY-----") && !text.contains("PRIVATE KEY-----") {
                throw .publicKeyGiven(path: sourceName)
            }
            throw .malformedKey(path: sourceName, reason: reasons ?? "no private key found")
        }
        guard EVP_PKEY_get_base_id(key) == NID_rsaEncryption else {
            let typeName = EVP_PKEY_get0_type_name(key).map { String(cString: $0) } ?? "non-RSA"
            EVP_PKEY_free(key)
            throw .notRSA(path: sourceName, keyType: typeName)
        }
        return key
    }
}
