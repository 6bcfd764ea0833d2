import Foundation
import MigrationCore
import OpenSSLCrypto

/// Checks an Admin API `Authorization` header the way Authgear does (spec §2.1).
///
/// Any failure is just `false`: the server answers every one with the same `403 Forbidden`.
public struct JWTVerifier: Sendable {
    /// Acceptable clock skew for `exp`/`iat`/`nbf` (5 minutes).
    public static let clockSkew: Double = 300

    public var projectID: String
    /// Public keys by `kid`, parsed once (when the project was configured).
    public var keys: [String: RSAKey]

    /// A verifier accepting tokens for `projectID` signed by one of `keys`.
    public init(projectID: String, keys: [String: RSAKey]) {
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
              let kid = header["kid"]?.stringValue, let key = keys[kid],
              header["alg"]?.stringValue == "RS256"
        else { return false }
        let signingInput = Array(parts[0].utf8) + [UInt8(ascii: ".")] + Array(parts[1].utf8)
        guard key.verifyRS256(signingInput, signature: signature) else { return false }
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
}
