import COpenSSL

/// An RSA key held by libcrypto (`EVP_PKEY`), private or public only; freed in `deinit`.
///
/// Loaded once and reused: signing and verifying never parse PEM again.
/// `@unchecked Sendable`: the `EVP_PKEY` is never modified after `init` (OpenSSL documents
/// keys as safe for concurrent read-only use, and each operation uses its own `EVP_MD_CTX`).
public final class RSAKey: @unchecked Sendable {
    /// The owned `EVP_PKEY`.
    let pkey: OpaquePointer
    /// Whether the private half is present (signing needs it).
    public let isPrivate: Bool

    private init(owning pkey: OpaquePointer, isPrivate: Bool) {
        self.pkey = pkey
        self.isPrivate = isPrivate
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Key size in bits (2048 for portal-generated keys).
    public var bits: Int { Int(EVP_PKEY_get_bits(pkey)) }

    /// Generates a fresh RSA key pair (65537 as exponent).
    public static func generate(bits: UInt32 = 2048) throws(RSAKeyError) -> RSAKey {
        OpenSSLError.clearQueue()
        guard let pkey = co_rsa_gen(bits) else {
            throw .openSSL(.drain(fallback: "RSA key generation failed"))
        }
        return RSAKey(owning: pkey, isPrivate: true)
    }

    /// Reads a PEM private key: PKCS#1, PKCS#8 or encrypted PKCS#8.
    ///
    /// `passphrase` is asked at most once, and only when the key is encrypted; `nil` means none
    /// is available. The bytes it returns are wiped once OpenSSL has used them.
    public convenience init(privateKeyPEM pem: [UInt8], passphrase: () -> [UInt8]? = { nil }) throws(RSAKeyError) {
        OpenSSLError.clearQueue()
        let (parsed, request) = withoutActuallyEscaping(passphrase) { ask in
            let request = PassphraseRequest(ask)
            let parsed: OpaquePointer? = pem.withUnsafeBytes { raw in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
                defer { BIO_free(bio) }
                let userdata = Unmanaged.passUnretained(request).toOpaque()
                return withExtendedLifetime(request) {
                    PEM_read_bio_PrivateKey(bio, nil, RSAKey.passphraseCallback, userdata)
                }
            }
            let outcome = (asked: request.asked, answered: request.cached != nil)
            request.wipe()
            return (parsed, outcome)
        }
        let reasons = OpenSSLError.drainQueue()
        guard let parsed else {
            if request.asked { throw request.answered ? .wrongPassphrase : .passphraseRequired }
            let text = String(decoding: pem.prefix(4096), as: UTF8.self)
            if text.contains("PUBLIC KEY-----") && !text.contains("PRIVATE KEY-----") { throw .publicKeyGiven }
            throw .malformed(reason: reasons ?? "no private key found")
        }
        try Self.requireRSA(parsed)
        self.init(owning: parsed, isPrivate: true)
    }

    /// Reads a PEM public key (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo).
    public convenience init(publicKeyPEM pem: [UInt8]) throws(RSAKeyError) {
        OpenSSLError.clearQueue()
        let parsed: OpaquePointer? = pem.withUnsafeBytes { raw in
            guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        let reasons = OpenSSLError.drainQueue()
        guard let parsed else { throw .malformed(reason: reasons ?? "no public key found") }
        try Self.requireRSA(parsed)
        self.init(owning: parsed, isPrivate: false)
    }

    /// The private key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as the portal downloads it.
    public func privateKeyPEM() throws(RSAKeyError) -> String {
        guard isPrivate else { throw .openSSL(OpenSSLError(reason: "no private key to encode")) }
        return try Self.writePEM { bio in PEM_write_bio_PrivateKey(bio, pkey, nil, nil, 0, nil, nil) }
    }

    /// The public key as PEM (`-----BEGIN PUBLIC KEY-----`, SubjectPublicKeyInfo).
    public func publicKeyPEM() throws(RSAKeyError) -> String {
        try Self.writePEM { bio in PEM_write_bio_PUBKEY(bio, pkey) }
    }

    // MARK: - Helpers

    /// Frees `pkey` and throws unless it is an RSA key.
    private static func requireRSA(_ pkey: OpaquePointer) throws(RSAKeyError) {
        guard EVP_PKEY_get_base_id(pkey) == NID_rsaEncryption else {
            let typeName = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "non-RSA"
            EVP_PKEY_free(pkey)
            throw .notRSA(keyType: typeName)
        }
    }

    private static func writePEM(_ write: (OpaquePointer) -> Int32) throws(RSAKeyError) -> String {
        OpenSSLError.clearQueue()
        guard let bio = BIO_new(BIO_s_mem()) else { throw .openSSL(.drain(fallback: "BIO_new failed")) }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw .openSSL(.drain(fallback: "PEM encoding failed")) }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = co_bio_get_mem_data(bio, &pointer)
        guard let pointer, length > 0 else { throw .openSSL(OpenSSLError(reason: "PEM encoding produced nothing")) }
        return String(decoding: UnsafeRawBufferPointer(start: pointer, count: Int(length)), as: UTF8.self)
    }

    /// Hands the passphrase to OpenSSL's callback and remembers whether it was asked for.
    private final class PassphraseRequest {
        let ask: () -> [UInt8]?
        var asked = false
        var cached: [UInt8]?
        init(_ ask: @escaping () -> [UInt8]?) { self.ask = ask }
        /// Overwrites the passphrase bytes.
        func wipe() {
            if cached != nil { for i in cached!.indices { cached![i] = 0 } }
        }
        deinit { wipe() }
    }

    private static let passphraseCallback: @convention(c) (
        UnsafeMutablePointer<CChar>?, Int32, Int32, UnsafeMutableRawPointer?
    ) -> Int32 = { buffer, size, _, userdata in
        guard let buffer, let userdata else { return -1 }
        let request = Unmanaged<PassphraseRequest>.fromOpaque(userdata).takeUnretainedValue()
        if !request.asked {  // OpenSSL may call back once per decoder: ask only once
            request.asked = true
            request.cached = request.ask()
        }
        guard let passphrase = request.cached, passphrase.count <= Int(size) else { return -1 }
        passphrase.withUnsafeBytes { raw in
            UnsafeMutableRawPointer(buffer).copyMemory(from: raw.baseAddress!, byteCount: raw.count)
        }
        return Int32(passphrase.count)
    }
}
