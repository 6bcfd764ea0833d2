import XCTest
@testable import MigrationCore

final class PasswordAndTOTPRulesTests: XCTestCase {
    let salted = "$2a$10$qQybX3kAJNT2YqYRVmbfjO5EhgWm6vV4cWmXo2ZATAuBmCyJM2fKu"

    private func invalid(_ message: String) -> PasswordHashFailure {
        PasswordHashFailure(name: "Invalid", reason: "InvalidBcryptHash", message: message)
    }

    func testAcceptsBcryptVariantsAndBcryptSHA512() {
        XCTAssertEqual(salted.utf8.count, 60)
        for prefix in ["$2a$", "$2b$", "$2y$"] {
            XCTAssertNil(PasswordHashRules.check(prefix + salted.dropFirst(4)), prefix)
        }
        XCTAssertNil(PasswordHashRules.check("$2$10$" + salted.dropFirst(7)))
        XCTAssertNil(PasswordHashRules.check("$bcrypt-sha512$" + salted))
        XCTAssertNil(PasswordHashRules.check(String(salted.dropLast())))  // 59 bytes is enough
        XCTAssertNil(PasswordHashRules.check("$2a$04$" + salted.dropFirst(7)))
        XCTAssertNil(PasswordHashRules.check("$2a$31$" + salted.dropFirst(7)))
    }

    func testBcryptMessages() {
        XCTAssertEqual(PasswordHashRules.check("$2a$10$short"),
                       invalid("crypto/bcrypt: hashedSecret too short to be a bcrypted password"))
        XCTAssertEqual(PasswordHashRules.check("$bcrypt-sha512$"),
                       invalid("crypto/bcrypt: hashedSecret too short to be a bcrypted password"))
        XCTAssertEqual(PasswordHashRules.check("$5a$" + salted.dropFirst(4)),
                       invalid("crypto/bcrypt: bcrypt algorithm version '5' requested is newer than current version '2'"))
        XCTAssertEqual(PasswordHashRules.check("$2a$03$" + salted.dropFirst(7)),
                       invalid("crypto/bcrypt: cost 3 is outside allowed inclusive range 4..31"))
        XCTAssertEqual(PasswordHashRules.check("$2a$32$" + salted.dropFirst(7)),
                       invalid("crypto/bcrypt: cost 32 is outside allowed inclusive range 4..31"))
        XCTAssertEqual(PasswordHashRules.check("$2a$-1$" + salted.dropFirst(7)),
                       invalid("crypto/bcrypt: cost -1 is outside allowed inclusive range 4..31"))
        XCTAssertEqual(PasswordHashRules.check("$bcrypt-sha512$#" + salted.dropFirst()),
                       invalid("crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '#'"))
        XCTAssertEqual(PasswordHashRules.check("$argon2$" + salted),
                       invalid("crypto/bcrypt: bcrypt algorithm version 'a' requested is newer than current version '2'"))
    }

    func testUnexpectedErrors() {
        let unexpected = PasswordHashFailure(name: "InternalError", reason: "UnexpectedError", message: "unexpected error occurred")
        XCTAssertEqual(PasswordHashRules.check(String(salted.dropFirst())), unexpected)   // no leading '$'
        XCTAssertEqual(PasswordHashRules.check("$nodollar"), unexpected)                  // no second '$'
        XCTAssertEqual(PasswordHashRules.check(""), unexpected)
        XCTAssertEqual(PasswordHashRules.check("$2a$ab$" + salted.dropFirst(7)), unexpected) // non-numeric cost
        XCTAssertEqual(PasswordHashRules.check("$2a$+9$" + salted.dropFirst(7)), nil)         // Atoi accepts "+9"
    }

    func testTOTPSecrets() {
        XCTAssertEqual(TOTPSecretRules.check("secret"), "illegal base32 data at input byte 0")
        XCTAssertNil(TOTPSecretRules.check("JBSWY3DPEHPK3PXP"))
        XCTAssertEqual(TOTPSecretRules.check("JBSWY3DPEHPK3PX="), "illegal base32 data at input byte 15")
        XCTAssertEqual(TOTPSecretRules.check("JBSW1"), "illegal base32 data at input byte 4")
        XCTAssertNil(TOTPSecretRules.check("JBSW\r\nY3DP"))
        XCTAssertEqual(TOTPSecretRules.check("AB\ncd"), "illegal base32 data at input byte 2")
        XCTAssertNil(TOTPSecretRules.check("A"))
    }
}
