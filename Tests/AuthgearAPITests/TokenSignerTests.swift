import Foundation
import XCTest
@testable import AuthgearAPI
import ConnectionSetup

final class TokenSignerTests: XCTestCase {
    private let keys = TokenKeyFixtures.shared
    private let fixedTime = Date(timeIntervalSince1970: 1_767_225_600)

    private func signer(_ path: String, passphrase: PassphraseSource = .none) throws -> AdminTokenSigner {
        try AdminTokenSigner(keyFile: path, keyID: "test-kid", projectID: "myapp", passphrase: passphrase)
    }

    func testHeaderAndClaimsAreExact() throws {
        let token = try signer(keys.pkcs8).mint(at: fixedTime.addingTimeInterval(0.9))
        let parts = token.value.split(separator: ".", omittingEmptySubsequences: false)
        XCTAssertEqual(parts.count, 3)
        XCTAssertFalse(token.value.contains("="), "base64url must have no padding")
        XCTAssertFalse(token.value.contains("+") || token.value.contains("/"))
        XCTAssertEqual(String(decoding: tokenTestBase64URLDecode(parts[0])!, as: UTF8.self),
                       #"{"alg":"RS256","typ":"JWT","kid":"test-kid"}"#)
        XCTAssertEqual(String(decoding: tokenTestBase64URLDecode(parts[1])!, as: UTF8.self),
                       #"{"aud":"myapp","iat":1767225600,"exp":1767225900}"#)
        XCTAssertEqual(token.issuedAt, 1_767_225_600)
        XCTAssertEqual(token.expiresAt, 1_767_225_900)
        XCTAssertEqual(tokenTestBase64URLDecode(parts[2])?.count, 256)
    }

    func testKeyIDAndProjectAreJSONEscaped() throws {
        let s = try AdminTokenSigner(keyFile: keys.pkcs8, keyID: "a\"b", projectID: "p\\q", lifetime: 60)
        let input = s.signingInput(issuedAt: 1, expiresAt: 61)
        let parts = input.split(separator: ".")
        XCTAssertEqual(String(decoding: tokenTestBase64URLDecode(parts[0])!, as: UTF8.self), #"{"alg":"RS256","typ":"JWT","kid":"a\"b"}"#)
        XCTAssertEqual(String(decoding: tokenTestBase64URLDecode(parts[1])!, as: UTF8.self), #"{"aud":"p\\q","iat":1,"exp":61}"#)
    }

    /// Known answer: the OpenSSL CLI signs the same input independently; PKCS#1 v1.5 is
    /// deterministic, so the signatures must be identical, and the CLI must verify ours.
    func testSignatureMatchesOpenSSLCLIAndVerifies() throws {
        let token = try signer(keys.pkcs8).mint(at: fixedTime)
        let parts = token.value.split(separator: ".")
        let input = Array("\(parts[0]).\(parts[1])".utf8)
        let expected = TokenKeyFixtures.openssl(["dgst", "-sha256", "-sign", keys.pkcs8], stdin: input)
        XCTAssertEqual(expected.status, 0)
        XCTAssertEqual(tokenTestBase64URLDecode(parts[2]), expected.output)

        let signaturePath = keys.directory + "/sig-\(UUID().uuidString).bin"
        try Data(tokenTestBase64URLDecode(parts[2])!).write(to: URL(fileURLWithPath: signaturePath))
        let verified = TokenKeyFixtures.openssl(["dgst", "-sha256", "-verify", keys.publicKey,
                                                 "-signature", signaturePath], stdin: input)
        XCTAssertEqual(verified.status, 0)
        XCTAssertEqual(String(decoding: verified.output, as: UTF8.self), "Verified OK\n")
        var tampered = input
        tampered[tampered.count - 2] ^= 1
        let refused = TokenKeyFixtures.openssl(["dgst", "-sha256", "-verify", keys.publicKey,
                                                "-signature", signaturePath], stdin: tampered)
        XCTAssertNotEqual(refused.status, 0)
    }

    func testSameInputGivesSameTokenAcrossKeyFormats() throws {
        let a = try signer(keys.pkcs8).mint(at: fixedTime)
        let b = try signer(keys.pkcs8).mint(at: fixedTime)
        let c = try signer(keys.pkcs1).mint(at: fixedTime)
        let d = try signer(keys.encryptedPKCS8, passphrase: .fixed(keys.passphrase)).mint(at: fixedTime)
        let e = try signer(keys.encryptedPKCS1, passphrase: .fixed(keys.passphrase)).mint(at: fixedTime)
        XCTAssertEqual(a, b)
        XCTAssertEqual(a, c)
        XCTAssertEqual(a, d)
        XCTAssertEqual(a, e)
        XCTAssertNotEqual(a, try signer(keys.pkcs8).mint(at: fixedTime.addingTimeInterval(1)))
        XCTAssertEqual(try signer(keys.pkcs1).keyBits, 2048)
        XCTAssertTrue(try String(contentsOfFile: keys.pkcs1, encoding: .utf8).contains("BEGIN RSA PRIVATE KEY"))
    }

    func testEncryptedKeyPassphraseFromEnvironment() throws {
        let env = [PassphraseSource.environmentVariable: keys.passphrase]
        XCTAssertNoThrow(try signer(keys.encryptedPKCS8, passphrase: .environment(env)))
        XCTAssertNoThrow(try signer(keys.encryptedPKCS8, passphrase: .standard(environment: env)))
    }

    func testEncryptedKeyWithoutPassphraseIsRefused() {
        XCTAssertThrowsError(try signer(keys.encryptedPKCS8, passphrase: .environment([:]))) { error in
            XCTAssertEqual(error as? TokenSigningError, .passphraseRequired(path: keys.encryptedPKCS8))
            XCTAssertTrue("\(error)".contains("AUTHGEAR_KEY_PASSPHRASE"))
        }
    }

    /// OpenSSL calls the passphrase callback once per decoder; the user must be asked once.
    func testPassphraseSourceIsAskedOnceAndOnlyForEncryptedKeys() throws {
        let counter = TokenTestClock(Date(timeIntervalSince1970: 0))
        let counting = PassphraseSource { _ in counter.advance(1); return nil }
        XCTAssertThrowsError(try signer(keys.encryptedPKCS8, passphrase: counting))
        XCTAssertEqual(counter.now.timeIntervalSince1970, 1)
        XCTAssertThrowsError(try signer(keys.encryptedPKCS1, passphrase: counting))
        XCTAssertEqual(counter.now.timeIntervalSince1970, 2)
        _ = try signer(keys.pkcs8, passphrase: counting)
        XCTAssertEqual(counter.now.timeIntervalSince1970, 2)
    }

    func testWrongPassphraseIsRefusedWithoutEchoingIt() {
        XCTAssertThrowsError(try signer(keys.encryptedPKCS8, passphrase: .fixed("wrong-secret-123"))) { error in
            XCTAssertEqual(error as? TokenSigningError, .wrongPassphrase(path: keys.encryptedPKCS8))
            XCTAssertFalse("\(error)".contains("wrong-secret-123"))
        }
    }

    func testGroupOrWorldReadableKeyIsRefusedUnlessAllowed() throws {
        for mode: mode_t in [0o644, 0o640, 0o604] {
            let path = keys.copy(keys.pkcs8, mode: mode)
            XCTAssertThrowsError(try signer(path)) { error in
                guard case .insecureKeyFile(let p, let m)? = error as? TokenSigningError else {
                    return XCTFail("\(error)")
                }
                XCTAssertEqual(p, path)
                XCTAssertEqual(m & 0o777, UInt32(mode))
                XCTAssertTrue("\(error)".contains("chmod 600"))
                XCTAssertTrue("\(error)".contains("--allow-insecure-key-file"))
            }
            XCTAssertNoThrow(try AdminTokenSigner(keyFile: path, keyID: "k", projectID: "p", allowInsecureKeyFile: true))
        }
        XCTAssertNoThrow(try signer(keys.copy(keys.pkcs8, mode: 0o400)))
    }

    /// OpenSSH's ownership rule (readconf.c, sshd's safe_path): the file must belong to the user
    /// running the tool or to root; another user could read or replace it at will.
    func testKeyFileOwnedByAnotherUserIsRefusedUnlessAllowed() throws {
        guard geteuid() == 0 else { throw XCTSkip("chown to another user needs root") }
        let path = keys.copy(keys.pkcs8, mode: 0o600)
        XCTAssertEqual(chown(path, 65534, 65534), 0)
        XCTAssertThrowsError(try signer(path)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains(path), text)
            XCTAssertTrue(text.contains("owned by"), text)
            XCTAssertTrue(text.contains("uid 65534"), text)
            XCTAssertTrue(text.contains("--allow-insecure-key-file"), text)
        }
        XCTAssertNoThrow(try AdminTokenSigner(keyFile: path, keyID: "k", projectID: "p", allowInsecureKeyFile: true))
        // Owned by the user running the tool (root here): accepted.
        XCTAssertEqual(chown(path, geteuid(), getegid()), 0)
        XCTAssertNoThrow(try signer(path))
    }

    func testECKeyIsRefused() {
        XCTAssertThrowsError(try signer(keys.ecKey)) { error in
            XCTAssertEqual(error as? TokenSigningError, .notRSA(path: keys.ecKey, keyType: "EC"))
            XCTAssertTrue("\(error)".contains("RS256"))
        }
    }

    func testMalformedKeyCarriesOpenSSLReasonButNotTheKey() throws {
        let garbage = "-----BEGIN PRIVATE KEY-----\nTUlJQ2Zvb2Jhcg==\n-----END PRIVATE KEY-----\n"
        XCTAssertThrowsError(try AdminTokenSigner(pem: Array(garbage.utf8), keyID: "k", projectID: "p",
                                                  sourceName: "bad.pem")) { error in
            guard case .malformedKey(let path, let reason)? = error as? TokenSigningError else { return XCTFail("\(error)") }
            XCTAssertEqual(path, "bad.pem")
            XCTAssertTrue(reason.hasPrefix("error:"), reason)
            XCTAssertFalse("\(error)".contains("TUlJQ2Zvb2Jhcg"))
        }
        XCTAssertThrowsError(try AdminTokenSigner(pem: Array("hello".utf8), keyID: "k", projectID: "p")) { error in
            guard case .malformedKey(_, let reason)? = error as? TokenSigningError else { return XCTFail("\(error)") }
            XCTAssertFalse(reason.isEmpty)
        }
    }

    func testPublicKeyAndMissingFileAreExplained() {
        XCTAssertThrowsError(try signer(keys.publicKey)) { error in
            XCTAssertEqual(error as? TokenSigningError, .publicKeyGiven(path: keys.publicKey))
        }
        XCTAssertThrowsError(try signer(keys.directory + "/absent.pem")) { error in
            guard case .keyFileUnreadable(_, let reason)? = error as? TokenSigningError else { return XCTFail("\(error)") }
            XCTAssertTrue(reason.contains("No such file"), reason)
        }
        XCTAssertThrowsError(try signer(keys.directory)) { error in
            XCTAssertEqual(error as? TokenSigningError, .keyFileUnreadable(path: keys.directory, reason: "not a regular file"))
        }
    }

    func testMintedTokenDescriptionHidesTheToken() throws {
        let token = try signer(keys.pkcs8).mint(at: fixedTime)
        XCTAssertFalse("\(token)".contains(token.value.prefix(20)))
    }
}
