/// The server's check of an imported TOTP secret: `secretcode.NewTOTPFromSecret` decodes it with
/// Go's `base32.StdEncoding.WithPadding(base32.NoPadding).DecodeString`; a `CorruptInputError`
/// becomes `Invalid`/`InvalidTOTPSecret` with the error text as message.
public enum TOTPSecretRules {
    /// Go's error text (`illegal base32 data at input byte N`), or nil when the secret decodes.
    ///
    /// Alphabet `A–Z2–7` only (no lower case, no `=`); `\r`/`\n` are removed before decoding and
    /// N counts bytes of what remains; any length is accepted (Go does not reject 1, 3 or 6
    /// trailing characters without padding).
    public static func check(_ secret: String) -> String? {
        var offset = 0
        for b in secret.utf8 where b != 0x0D && b != 0x0A {
            let valid = (0x41...0x5A).contains(b) || (0x32...0x37).contains(b)
            if !valid { return "illegal base32 data at input byte \(offset)" }
            offset += 1
        }
        return nil
    }

    /// The `errors[0]` reason the server uses for a rejected secret.
    public static let reason = "InvalidTOTPSecret"
}
