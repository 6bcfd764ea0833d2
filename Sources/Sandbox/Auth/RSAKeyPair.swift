import COpenSSL
import Foundation

/// An RSA key pair for the sandbox's Admin API key, held as PEM text.
public struct RSAKeyPair: Sendable, Equatable {
    /// Unencrypted PKCS#8 `-----BEGIN PRIVATE KEY-----` block, as the Authgear portal downloads it.
    public var privateKeyPEM: String
    /// `-----BEGIN PUBLIC KEY-----` (SubjectPublicKeyInfo) block.
    public var publicKeyPEM: String

    /// A failure to generate, read or write a key.
    public struct KeyError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    /// Generates a fresh 2048-bit RSA key pair.
    public static func generate(bits: UInt32 = 2048) throws(KeyError) -> RSAKeyPair {
        guard let pkey = co_rsa_gen(bits) else { throw KeyError(description: "RSA key generation failed") }
        defer { EVP_PKEY_free(pkey) }
        let privatePEM = try writePEM { bio in PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) }
        let publicPEM = try writePEM { bio in PEM_write_bio_PUBKEY(bio, pkey) }
        return RSAKeyPair(privateKeyPEM: privatePEM, publicKeyPEM: publicPEM)
    }

    /// Reads a private key PEM (PKCS#8 or PKCS#1) and derives its public key.
    public static func fromPrivateKeyPEM(_ pem: String) throws(KeyError) -> RSAKeyPair {
        guard let pkey = readPrivateKey(pem) else { throw KeyError(description: "not a readable private key PEM") }
        defer { EVP_PKEY_free(pkey) }
        let publicPEM = try writePEM { bio in PEM_write_bio_PUBKEY(bio, pkey) }
        return RSAKeyPair(privateKeyPEM: pem, publicKeyPEM: publicPEM)
    }

    /// Loads `path` if it exists, otherwise generates a key and writes it there with mode 0600.
    public static func loadOrCreate(at path: String) throws -> (pair: RSAKeyPair, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            return (try fromPrivateKeyPEM(pem), false)
        }
        let pair = try generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw KeyError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let bytes = Array(pair.privateKeyPEM.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw KeyError(description: "cannot write \(path)") }
        return (pair, true)
    }

    /// RSASSA-PKCS1-v1_5 + SHA-256 signature of `message` with the private key (JWS `RS256`).
    public func signRS256(_ message: [UInt8]) throws(KeyError) -> [UInt8] {
        guard let pkey = Self.readPrivateKey(privateKeyPEM) else { throw KeyError(description: "not a readable private key PEM") }
        defer { EVP_PKEY_free(pkey) }
        guard let ctx = EVP_MD_CTX_new() else { throw KeyError(description: "EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(ctx) }
        var length = 0
        guard EVP_DigestSignInit(ctx, nil, EVP_sha256(), nil, pkey) == 1,
              EVP_DigestSign(ctx, nil, &length, message, message.count) == 1 else {
            throw KeyError(description: "RS256 signing failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(ctx, &signature, &length, message, message.count) == 1 else {
            throw KeyError(description: "RS256 signing failed")
        }
        return Array(signature[0..<length])
    }

    /// Parses a private key PEM into an `EVP_PKEY` the caller must free.
    static func readPrivateKey(_ pem: String) -> OpaquePointer? {
        withMemoryBIO(pem) { bio in PEM_read_bio_PrivateKey(bio, nil, nil, nil) }
    }

    /// Parses a public key PEM into an `EVP_PKEY` the caller must free.
    static func readPublicKey(_ pem: String) -> OpaquePointer? {
        withMemoryBIO(pem) { bio in PEM_read_bio_PUBKEY(bio, nil, nil, nil) }
    }

    private static func withMemoryBIO(_ text: String, _ body: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> OpaquePointer? in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }

    private static func writePEM(_ write: (OpaquePointer) -> Int32) throws(KeyError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw KeyError(description: "BIO_new failed") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw KeyError(description: "PEM encoding failed") }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = co_bio_get_mem_data(bio, &pointer)
        guard let pointer, length > 0 else { throw KeyError(description: "PEM encoding produced nothing") }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(length)), as: UTF8.self)
    }
}
