import Foundation
import OpenSSLCrypto
import XCTest

/// Known answers and round trips for OpenSSLCrypto: SHA-256, base64url, RSA keys and RS256.
final class OpenSSLCryptoTests: XCTestCase {
    /// One generated key for the whole class (2048-bit generation takes a while).
    static let key = try! RSAKey.generate()

    func testSHA256KnownAnswers() {
        // FIPS 180-2 examples.
        XCTAssertEqual(SHA256.hex([]), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        XCTAssertEqual(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        let digest = SHA256.digest(Array("abc".utf8))
        XCTAssertEqual(digest.count, 32)
        XCTAssertEqual(Array(digest.prefix(4)), [0xba, 0x78, 0x16, 0xbf])
        let bytes = Array("abc".utf8)
        XCTAssertEqual(bytes.withUnsafeBytes { SHA256.hex($0) }, SHA256.hex(bytes))
    }

    func testBase64URLVectors() {
        // RFC 4648 §10, without padding.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            XCTAssertEqual(Base64URL.encode(Array(plain.utf8)), encoded, plain)
            XCTAssertEqual(Base64URL.decode(encoded), Array(plain.utf8), encoded)
        }
        // The URL-safe alphabet: standard "+/8=" is "-_8".
        XCTAssertEqual(Base64URL.encode([0xfb, 0xff]), "-_8")
        XCTAssertEqual(Base64URL.decode("-_8"), [0xfb, 0xff])
        XCTAssertEqual(Base64URL.decode("Zg=="), Array("f".utf8))
        XCTAssertNil(Base64URL.decode("+/8"))
        XCTAssertNil(Base64URL.decode("Zm9v!"))
        XCTAssertNil(Base64URL.decode("Z"))
        let all = (0...255).map(UInt8.init)
        XCTAssertEqual(Base64URL.decode(Base64URL.encode(all)), all)
        XCTAssertEqual(Base64URL.encode(all[1...]), Base64URL.encode(Array(all[1...])))
    }

    func testRS256SignVerifyRoundTrip() throws {
        let key = Self.key
        XCTAssertEqual(key.bits, 2048)
        let message = Array("header.payload".utf8)
        let signature = try key.signRS256(message)
        XCTAssertEqual(signature.count, 256)
        XCTAssertEqual(try key.signRS256(message), signature, "PKCS#1 v1.5 is deterministic")
        let publicKey = try RSAKey(publicKeyPEM: Array(try key.publicKeyPEM().utf8))
        XCTAssertFalse(publicKey.isPrivate)
        XCTAssertTrue(publicKey.verifyRS256(message, signature: signature))
        XCTAssertThrowsError(try publicKey.signRS256(message))
    }

    func testVerifyRejectsAChangedByte() throws {
        let message = Array("header.payload".utf8)
        let signature = try Self.key.signRS256(message)
        var otherMessage = message
        otherMessage[3] ^= 0x01
        XCTAssertFalse(Self.key.verifyRS256(otherMessage, signature: signature))
        var otherSignature = signature
        otherSignature[100] ^= 0x80
        XCTAssertFalse(Self.key.verifyRS256(message, signature: otherSignature))
        XCTAssertFalse(Self.key.verifyRS256(message, signature: Array(signature.dropLast())))
        let stranger = try RSAKey.generate()
        XCTAssertFalse(stranger.verifyRS256(message, signature: signature))
    }

    func testPEMRoundTripAndRefusals() throws {
        let pem = try Self.key.privateKeyPEM()
        XCTAssertTrue(pem.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        let reloaded = try RSAKey(privateKeyPEM: Array(pem.utf8))
        let message = Array("m".utf8)
        XCTAssertEqual(try reloaded.signRS256(message), try Self.key.signRS256(message))
        let publicPEM = try Self.key.publicKeyPEM()
        XCTAssertTrue(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----"))
        XCTAssertThrowsError(try RSAKey(privateKeyPEM: Array(publicPEM.utf8))) { error in
            XCTAssertEqual(error as? RSAKeyError, .publicKeyGiven)
        }
        XCTAssertThrowsError(try RSAKey(privateKeyPEM: Array("hello".utf8))) { error in
            guard case .malformed? = error as? RSAKeyError else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try RSAKey(publicKeyPEM: Array(pem.utf8)))
    }

    func testEncryptedPKCS8NeedsTheRightPassphrase() throws {
        let pem = try Self.key.privateKeyPEM()
        let passphrase = "test-only ✓"
        let encrypted = try Self.openssl(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-passout", "pass:" + passphrase],
                                         stdin: Array(pem.utf8))
        XCTAssertTrue(String(decoding: encrypted, as: UTF8.self).contains("ENCRYPTED PRIVATE KEY"))

        var asked = 0
        XCTAssertThrowsError(try RSAKey(privateKeyPEM: encrypted) { asked += 1; return Array("wrong".utf8) }) { error in
            XCTAssertEqual(error as? RSAKeyError, .wrongPassphrase)
            XCTAssertEqual("\(error)", "the passphrase does not decrypt the key")
        }
        XCTAssertEqual(asked, 1, "asked once, however many decoders OpenSSL tries")
        XCTAssertThrowsError(try RSAKey(privateKeyPEM: encrypted)) { error in
            XCTAssertEqual(error as? RSAKeyError, .passphraseRequired)
        }
        let key = try RSAKey(privateKeyPEM: encrypted) { Array(passphrase.utf8) }
        XCTAssertEqual(try key.signRS256(Array("m".utf8)), try Self.key.signRS256(Array("m".utf8)))
        asked = 0
        _ = try RSAKey(privateKeyPEM: Array(pem.utf8)) { asked += 1; return nil }
        XCTAssertEqual(asked, 0, "an unencrypted key never asks")
    }

    /// Runs the `openssl` CLI with `stdin`; its stdout, or a thrown failure on a non-zero exit.
    private static func openssl(_ arguments: [String], stdin: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let out = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try process.run()
        input.fileHandleForWriting.write(Data(stdin))
        try input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CocoaError(.fileReadUnknown) }
        return Array(data)
    }
}
