/// Why the server rejects an imported password hash: the `errors[0]` name/reason/message.
public struct PasswordHashFailure: Error, Sendable, Equatable {
    public let name: String
    public let reason: String
    public let message: String

    /// `Invalid`/`InvalidBcryptHash` (HTTP 400 inside the detail) with the bcrypt library text.
    static func invalidBcrypt(_ message: String) -> PasswordHashFailure {
        PasswordHashFailure(name: "Invalid", reason: "InvalidBcryptHash", message: message)
    }

    /// `InternalError`/`UnexpectedError` (500 inside the detail): a non-API error on the server.
    static let unexpected = PasswordHashFailure(name: "InternalError", reason: "UnexpectedError",
                                                message: "unexpected error occurred")
}

/// The server's check of imported password hashes: `password.CheckHash` in `pkg/util/password`
/// (format dispatch) and `bcrypt.Cost` of `golang.org/x/crypto/bcrypt`, translated by
/// `TranslateBcryptError` (bcrypt errors → `InvalidBcryptHash`, anything else → `UnexpectedError`).
public enum PasswordHashRules {
    /// The failure the server reports for `hash`, or nil when it accepts it.
    ///
    /// `$<id>$…` is required (else `UnexpectedError`); `$bcrypt-sha512$<bcrypt>` checks the inner
    /// bcrypt hash; any other id checks the whole string as bcrypt (`$2a$`, `$2b$`, `$2y$`, `$2$`).
    public static func check(_ hash: String) -> PasswordHashFailure? {
        let bytes = Array(hash.utf8)
        // parsePasswordFormat: the first '$' must be at index 0 and a second '$' must follow.
        guard bytes.first == UInt8(ascii: "$"),
              let second = bytes[1...].firstIndex(of: UInt8(ascii: "$")) else { return .unexpected }
        let id = String(decoding: bytes[1..<second], as: UTF8.self)
        let bcryptHash = id == "bcrypt-sha512" ? Array(bytes[(second + 1)...]) : bytes
        return bcryptCost(bcryptHash)
    }

    /// x/crypto's `bcrypt.Cost` → `newFromHash` (`decodeVersion`, `decodeCost`).
    static func bcryptCost(_ b: [UInt8]) -> PasswordHashFailure? {
        guard b.count >= minHashSize else { return .invalidBcrypt(hashTooShort) }
        guard b[0] == UInt8(ascii: "$") else {
            return .invalidBcrypt("crypto/bcrypt: bcrypt hashes must start with '$', but hashedSecret started with '\(latin1(b[0]))'")
        }
        guard b[1] <= majorVersion else {
            return .invalidBcrypt("crypto/bcrypt: bcrypt algorithm version '\(latin1(b[1]))' requested is newer than current version '2'")
        }
        let costStart = b[2] == UInt8(ascii: "$") ? 3 : 4
        // strconv.Atoi of two bytes: an optional sign and digits; anything else is a *NumError.
        guard let cost = goAtoi(Array(b[costStart..<(costStart + 2)])) else { return .unexpected }
        guard (minCost...maxCost).contains(cost) else { return .invalidBcrypt(invalidCost(cost)) }
        return nil
    }

    /// Why a hash the server accepts can still never let the user sign in, or nil: a bcrypt hash
    /// is 60 bytes; at 59 (a character lost in a copy) Go parses it but no password matches, and
    /// bytes after the 60th (a CSV's `\r`, a space) are ignored by Go but mean the copy is damaged.
    public static func neverVerifies(_ hash: String) -> String? {
        let b = Array(hash.utf8)
        guard b.first == UInt8(ascii: "$"), b.count > 1, b[1] == UInt8(ascii: "2"), !hash.hasPrefix("$bcrypt-sha512$") else { return nil }
        if b.count == 59 {
            return "the bcrypt hash is 59 bytes, one short of 60: the server accepts it, but no password will ever match (a character was lost in the copy)"
        }
        if b.count > 60 {
            let tail = b[60...].allSatisfy { $0 == 0x0D || $0 == 0x0A || $0 == 0x20 || $0 == 0x09 } ? "white space or a carriage return (\\r)" : "extra characters"
            return "the bcrypt hash is \(b.count) bytes: 60 are a hash, the rest is \(tail); remove it (the copy may be damaged)"
        }
        return nil
    }

    /// Why a `$2x$` hash is risky, or nil: crypt_blowfish marks hashes of its old, buggy
    /// handling of 8-bit characters `$2x$`; Go's bcrypt accepts the prefix and computes the
    /// correct algorithm, so such a user's password matches only when it is plain ASCII.
    public static func onlyASCIIVerifies(_ hash: String) -> String? {
        guard hash.hasPrefix("$2x$") else { return nil }
        return "a $2x$ hash (crypt_blowfish's marker for its old handling of non-ASCII characters): the server verifies it as correct bcrypt, so the password matches only if it is plain ASCII; users with other characters in their password will have to reset it"
    }

    static let minHashSize = 59
    static let minCost = 4
    static let maxCost = 31
    private static let majorVersion = UInt8(ascii: "2")

    /// `bcrypt.ErrHashTooShort`.
    public static let hashTooShort = "crypto/bcrypt: hashedSecret too short to be a bcrypted password"

    /// `bcrypt.InvalidCostError` as current x/crypto words it (pinned by the server's
    /// `TestTranslateBcryptError`); x/crypto before 2023 said `… outside allowed range (4,31)`.
    public static func invalidCost(_ cost: Int) -> String {
        "crypto/bcrypt: cost \(cost) is outside allowed inclusive range \(minCost)..\(maxCost)"
    }

    /// Go's `%c` of a byte: the rune with that value (Latin-1).
    private static func latin1(_ b: UInt8) -> String { String(Character(Unicode.Scalar(b))) }

    private static func goAtoi(_ s: [UInt8]) -> Int? {
        var digits = s[...]
        var negative = false
        if let first = digits.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ (0x30...0x39).contains($0) }) else { return nil }
        let value = digits.reduce(0) { $0 * 10 + Int($1 - 0x30) }
        return negative ? -value : value
    }
}
