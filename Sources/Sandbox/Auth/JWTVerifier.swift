import COpenSSL
import Foundation
import MigrationCore

/// Checks an Admin API `Authorization` header the way Authgear does (spec §2.1).
///
/// Any failure is just `false`: the server answers every one with the same `403 Forbidden`.
public struct JWTVerifier: Sendable {
    /// Acceptable clock skew for `exp`/`iat`/`nbf` (5 minutes).
    public static let clockSkew: Double = 300

    public var projectID: String
    /// Public keys by `kid`, as PEM.
    public var keys: [String: String]

    public init(projectID: String, keys: [String: String]) {
        self.projectID = projectID
        self.keys = keys
    }

    /// Whether the `Authorization` header value authorises a request at `now` (Unix seconds).
    public func authorizes(header: String?, now: Double) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let token = header.dropFirst(7)
        // Go's `^Bearer (.*)$`: `.` does not match a newline.
        guard !token.contains(where: { $0 == "\n" }) else { return false }
        return verify(token: String(token), now: now)
    }

    /// Verifies a compact JWS: header (kid, alg RS256), RS256 signature, then the claims.
    public func verify(token: String, now: Double) -> Bool {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerBytes = Base64URL.decode(parts[0]), let payloadBytes = Base64URL.decode(parts[1]),
              let signature = Base64URL.decode(parts[2]),
              let header = try? JSONParser.parse(headerBytes), let claims = try? JSONParser.parse(payloadBytes),
              case .object = header, case .object = claims,
              let kid = header["kid"]?.stringValue, let pem = keys[kid],
              header["alg"]?.stringValue == "RS256"
        else { return false }
        let signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        guard Self.verifyRS256(publicKeyPEM: pem, message: signingInput, signature: signature) else { return false }
        return claimsAreValid(claims, now: now)
    }

    func claimsAreValid(_ claims: JSONValue, now: Double) -> Bool {
        let current = now.rounded(.down)
        switch claims["aud"] {
        case .string(let aud)?: guard aud == projectID else { return false }
        case .array(let list)?: guard list.contains(.string(projectID)) else { return false }
        default: return false
        }
        for name in ["exp", "iat", "nbf"] {
            guard let value = claims[name], !value.isNull else { continue }
            guard let seconds = value.doubleValue?.rounded(.down) else { return false }
            switch name {
            case "exp": if current >= seconds + Self.clockSkew { return false }
            default: if seconds > current + Self.clockSkew { return false }
            }
        }
        return true
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    static func verifyRS256(publicKeyPEM: String, message: [UInt8], signature: [UInt8]) -> Bool {
        guard let pkey = RSAKeyPair.readPublicKey(publicKeyPEM) else { return false }
        defer { EVP_PKEY_free(pkey) }
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA, let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, EVP_sha256(), nil, pkey) == 1 else { return false }
        let result = signature.withUnsafeBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestVerify(ctx, sig.baseAddress, sig.count, msg.baseAddress, msg.count)
            }
        }
        ERR_clear_error()
        return result == 1
    }
}

/// Unpadded base64url (RFC 4648 §5), as JWS uses.
public enum Base64URL {
    /// Encodes without padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// Decodes unpadded (or padded) base64url; nil on any other character.
    public static func decode<S: StringProtocol>(_ text: S) -> [UInt8]? {
        guard !text.contains("+"), !text.contains("/") else { return nil }
        var s = String(text).replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s.append("=") }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
