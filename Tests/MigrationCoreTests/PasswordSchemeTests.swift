import XCTest
@testable import MigrationCore

/// Which legacy hashes Authgear can import, and the mapping-file extension that carries them.
final class PasswordSchemeTests: XCTestCase {
    let tail = String(repeating: "a", count: 53)

    func testBcryptIsCarriedAndDjangoPrefixRemoved() {
        for prefix in ["$2a$10$", "$2b$12$", "$2y$10$"] {
            XCTAssertEqual(PasswordScheme.classify(prefix + tail), .bcrypt(prefix + tail))
        }
        XCTAssertEqual(PasswordScheme.classify("bcrypt$$2b$12$" + tail), .bcrypt("$2b$12$" + tail))
        XCTAssertEqual(PasswordScheme.classify("$2b$10$" + tail + "\r"), .bcrypt("$2b$10$" + tail), "a CSV line end is trimmed")
    }

    func testEveryOtherSchemeIsNamedNotImportable() {
        let cases: [(String, String)] = [
            ("$wp$2y$10$" + String(repeating: "a", count: 53), "$wp$2y$"),
            ("$P$B" + String(repeating: "a", count: 30), "phpass"),
            ("bcrypt_sha256$$2b$12$" + String(repeating: "a", count: 53), "bcrypt_sha256"),
            ("pbkdf2_sha256$600000$salt$aGFzaA==", "PBKDF2-SHA256"),
            ("argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdA$aGFzaA", "Django Argon2"),
            ("$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA", "Argon2id"),
            ("5f4dcc3b5aa765d61d8327deb882cf99", "unsalted MD5"),
            ("$fbscrypt$v=1,n=14,r=8,p=1,ss=Bw==,sk=abc$salt$hash", "Firebase scrypt"),
        ]
        for (hash, name) in cases {
            guard case .notImportable(let scheme) = PasswordScheme.classify(hash) else { XCTFail(hash); continue }
            XCTAssertTrue(scheme.contains(name), "\(hash): \(scheme)")
        }
        XCTAssertEqual(PasswordScheme.classify("c2NyeXB0", fixed: "Firebase scrypt"), .notImportable("Firebase scrypt"))
        XCTAssertEqual(PasswordScheme.classify("$2b$10$" + tail, hasher: "bcrypt"), .bcrypt("$2b$10$" + tail))
        XCTAssertEqual(PasswordScheme.classify("$2b$10$" + tail, hasher: "awscognito"), .notImportable("awscognito"))
        for none in ["", "!unusable", "*"] { XCTAssertEqual(PasswordScheme.classify(none), PasswordScheme.none) }
        let issue = PasswordScheme.notImportableIssue("Argon2id")
        XCTAssertEqual(issue.rule, "password.not_importable")
        XCTAssertTrue(issue.message.contains("imported without a password"))
    }

    func testBcryptThatCanNeverVerifyIsFlagged() {
        let validator = RecordValidator(settings: ValidationSettings(identifier: .email, upsert: false))
        func rules(_ hash: String) -> [String] {
            validator.validate(.obj(["email": .string("a@example.com"), "password": .obj(["type": .string("bcrypt"), "password_hash": .string(hash)])]))
                .issues.map(\.rule)
        }
        XCTAssertEqual(rules("$2b$10$" + tail), [])
        XCTAssertEqual(rules("$2b$10$" + tail.dropLast()), ["bcrypt_hash.never_verifies"])
        XCTAssertEqual(rules("$2b$10$" + tail + "\r"), ["bcrypt_hash.never_verifies"])
        // The fast path steps aside for them, so the pass agrees with the validator.
        let fast = RecordFastPath(settings: ValidationSettings(identifier: .email, upsert: false))
        let bytes = Array(#"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"$2b$10$\#(tail.dropLast())"}}"#.utf8)
        XCTAssertNil(bytes.withUnsafeBytes { fast.check($0) })
        // $2x$ (crypt_blowfish's old 8-bit handling): sent, but only ASCII passwords will match.
        XCTAssertEqual(rules("$2x$10$" + tail), ["bcrypt_hash.2x_ascii_only"])
        let x = Array(#"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"$2x$10$\#(tail)"}}"#.utf8)
        XCTAssertNil(x.withUnsafeBytes { fast.check($0) }, "the full validator words it")
    }

    func testExtendedMappingFileReplacesThePreset() throws {
        let path = TestFiles.write("{\"uid\":\"7\",\"mail\":\"A@Example.com\",\"state\":\"off\",\"tags\":\"a|b\",\"since\":\"1700000000\",\"otp\":\"Hello\"}\n")
        let mapping = try JSONParser.parse(#"""
            {"format": "ndjson", "key": "/uid",
             "map": {"/mail": {"field": "email", "transform": "lowercase"},
                     "/state": {"field": "disabled", "values": {"off": true}},
                     "/tags": {"field": "groups", "type": "list", "separator": "|", "drop": ["b"]},
                     "/since": {"field": "account_valid_from", "transform": "rfc3339"},
                     "/otp": {"field": "mfa.totp.secret", "transform": "base32"}},
             "not_imported": {"/since": "original timestamps"}}
            """#)
        let index = try RecordIndex.open(path: path, mapping: mapping)
        try index.waitUntilComplete()
        var out: [UInt8] = []
        index.recordBytes(span: index.span(0), into: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       #"{"email":"a@example.com","disabled":true,"groups":["a"],"account_valid_from":"2023-11-14T22:13:20Z","mfa":{"totp":{"secret":"JBSWY3DP"}}}"#)
        XCTAssertEqual(index.legacyKey(span: index.span(0)), "7")
        XCTAssertThrowsError(try RecordIndex.open(path: path, mapping: try JSONParser.parse(#"{"map": {"/mail": "e_mail"}}"#))) { error in
            XCTAssertTrue("\(error)".contains("not a record field"), "\(error)")
        }
    }
}
