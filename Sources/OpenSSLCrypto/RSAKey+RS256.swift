import COpenSSL

/// RS256 (RSASSA-PKCS1-v1_5 with SHA-256, JWS `RS256`) with an ``RSAKey``.
extension RSAKey {
    /// The RS256 signature of `message`; needs the private key. Deterministic.
    public func signRS256(_ message: [UInt8]) throws(OpenSSLError) -> [UInt8] {
        OpenSSLError.clearQueue()
        guard isPrivate else { throw OpenSSLError(reason: "no private key to sign with") }
        guard let context = EVP_MD_CTX_new() else { throw .drain(fallback: "out of memory") }
        defer { EVP_MD_CTX_free(context) }
        var length = 0
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, pkey) == 1,
              EVP_DigestSign(context, nil, &length, message, message.count) == 1 else {
            throw .drain(fallback: "EVP_DigestSign failed")
        }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, message, message.count) == 1 else {
            throw .drain(fallback: "EVP_DigestSign failed")
        }
        return Array(signature.prefix(length))
    }

    /// Whether `signature` is this key's RS256 signature of `message` (any failure is `false`).
    public func verifyRS256(_ message: [UInt8], signature: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            OpenSSLError.clearQueue()
        }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(context, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        return result == 1
    }
}
