/// Why an RSA key could not be read, made or written.
///
/// Names no file: the caller knows where the key came from and words the message with it.
public enum RSAKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key is encrypted and no passphrase was given.
    case passphraseRequired
    /// The key is encrypted and the passphrase did not decrypt it.
    case wrongPassphrase
    /// A private key was expected; the PEM holds a public key.
    case publicKeyGiven
    /// No key OpenSSL can read; `reason` is OpenSSL's.
    case malformed(reason: String)
    /// The key is not an RSA key; `keyType` is OpenSSL's name for it (e.g. `EC`).
    case notRSA(keyType: String)
    /// libcrypto failed to generate or encode a key.
    case openSSL(OpenSSLError)

    public var description: String {
        switch self {
        case .passphraseRequired: return "the key is encrypted and no passphrase was given"
        case .wrongPassphrase: return "the passphrase does not decrypt the key"
        case .publicKeyGiven: return "a public key was given where a private key is needed"
        case .malformed(let reason): return "not a PEM key OpenSSL can read (\(reason))"
        case .notRSA(let keyType): return "a \(keyType) key, not an RSA key"
        case .openSSL(let error): return error.description
        }
    }
}
