import OpenSSLCrypto

/// The sandbox's name for OpenSSLCrypto's base64url, so `import Sandbox` alone still offers it
/// (the sandbox's tests build tokens with it).
public typealias Base64URL = OpenSSLCrypto.Base64URL
