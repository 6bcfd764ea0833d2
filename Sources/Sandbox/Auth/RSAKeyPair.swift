import Foundation
import MigrationCore
import OpenSSLCrypto

/// The sandbox's Admin API key pair, as the PEM text it writes to disk and hands out.
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
        do {
            let key = try RSAKey.generate(bits: bits)
            return RSAKeyPair(privateKeyPEM: try key.privateKeyPEM(), publicKeyPEM: try key.publicKeyPEM())
        } catch {
            throw KeyError(description: "RSA key generation failed (\(error))")
        }
    }

    /// Reads a private key PEM (PKCS#8 or PKCS#1) and derives its public key.
    public static func fromPrivateKeyPEM(_ pem: String) throws(KeyError) -> RSAKeyPair {
        do {
            let key = try RSAKey(privateKeyPEM: Array(pem.utf8))
            return RSAKeyPair(privateKeyPEM: pem, publicKeyPEM: try key.publicKeyPEM())
        } catch {
            throw KeyError(description: "not a readable private key PEM (\(error))")
        }
    }

    /// Loads `path` if it exists, otherwise generates a key and writes it there with mode 0600.
    public static func loadOrCreate(at path: String) throws -> (pair: RSAKeyPair, created: Bool) {
        if FileManager.default.fileExists(atPath: path) {
            let pem = try String(contentsOfFile: path, encoding: .utf8)
            return (try fromPrivateKeyPEM(pem), false)
        }
        let pair = try generate()
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw KeyError(description: "cannot create \(path): \(SystemError.text())") }
        defer { close(fd) }
        let bytes = Array(pair.privateKeyPEM.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw KeyError(description: "cannot write \(path)") }
        return (pair, true)
    }
}
