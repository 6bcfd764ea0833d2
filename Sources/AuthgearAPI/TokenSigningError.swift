import MigrationCore
/// Why an Admin API key could not be loaded or a token could not be signed.
///
/// Messages name the file and the fix; they never contain the key, a token or a passphrase.
public enum TokenSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key file could not be read (missing, a directory, no permission).
    case keyFileUnreadable(path: String, reason: String)
    /// The key file can be read by group or others (`mode & 0o077 != 0`).
    case insecureKeyFile(path: String, mode: UInt32)
    /// The key file belongs to another user (`owner`), neither the user running the tool (`user`) nor root.
    case keyFileNotOwned(path: String, owner: UInt32, user: UInt32)
    /// The key is encrypted and no passphrase was available.
    case passphraseRequired(path: String)
    /// The key is encrypted and the passphrase did not decrypt it.
    case wrongPassphrase(path: String)
    /// The file holds no private key OpenSSL can read; `reason` is OpenSSL's.
    case malformedKey(path: String, reason: String)
    /// The file holds a public key, not the private key.
    case publicKeyGiven(path: String)
    /// The key is not an RSA key (e.g. EC); the Admin API only accepts RS256.
    case notRSA(path: String, keyType: String)
    /// libcrypto refused to sign; `reason` is OpenSSL's.
    case signingFailed(reason: String)

    public var description: String {
        switch self {
        case .keyFileUnreadable(let path, let reason):
            return "cannot read the Admin API key file \(path): \(reason). Check the path given by --key-file / AUTHGEAR_KEY_FILE."
        case .insecureKeyFile(let path, let mode):
            let octal = String(mode & 0o777, radix: 8)
            return "the Admin API key file \(path) is readable by other users (mode \(octal)). "
                + "Run `chmod 600 \(path)`, or pass --allow-insecure-key-file to use it anyway."
        case .keyFileNotOwned(let path, let owner, let user):
            return "the Admin API key file \(path) is owned by another user (uid \(owner); authgear-migrate runs as uid \(user)), "
                + "who can read or replace the key at will. Keep the key in a file of your own "
                + "(`install -m 600 \(path) ~/authgear-admin-key.pem`), or pass --allow-insecure-key-file to use it anyway."
        case .passphraseRequired(let path):
            return "the Admin API key file \(path) is encrypted. Set AUTHGEAR_KEY_PASSPHRASE "
                + "or run in a terminal to be asked for the passphrase."
        case .wrongPassphrase(let path):
            return "the passphrase does not decrypt the Admin API key file \(path). "
                + "Check AUTHGEAR_KEY_PASSPHRASE or the passphrase you typed."
        case .malformedKey(let path, let reason):
            return "\(path) does not hold a PEM private key OpenSSL can read (\(reason)). "
                + "Use the private key downloaded from the portal (Advanced → Admin API), "
                + "a PEM file starting with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----."
        case .publicKeyGiven(let path):
            return "\(path) holds a public key. The Admin API needs the private key downloaded "
                + "from the portal (Advanced → Admin API)."
        case .notRSA(let path, let keyType):
            return "\(path) holds a \(keyType) key; Admin API keys are RSA keys signed with RS256. "
                + "Use the private key downloaded from the portal (Advanced → Admin API)."
        case .signingFailed(let reason):
            return "could not sign the Admin API token (\(reason))."
        }
    }
}

extension TokenSigningError: CommandFailure {}
