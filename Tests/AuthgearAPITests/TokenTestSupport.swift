import Foundation
import XCTest

/// TEST-ONLY RSA/EC keys made with the `openssl` CLI in a temporary directory, once per run.
final class TokenKeyFixtures: Sendable {
    static let shared = TokenKeyFixtures()

    let directory: String
    let pkcs8: String           // -----BEGIN PRIVATE KEY----- (the portal's format)
    let pkcs1: String           // -----BEGIN RSA PRIVATE KEY-----
    let encryptedPKCS8: String  // -----BEGIN ENCRYPTED PRIVATE KEY----- (aes-256-cbc)
    let encryptedPKCS1: String  // legacy Proc-Type: 4,ENCRYPTED
    let publicKey: String
    let ecKey: String
    let passphrase = "test-only passphrase ✓"

    private init() {
        directory = NSTemporaryDirectory() + "authgear-api-tests-\(getpid())-\(UUID().uuidString.prefix(8))"
        try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        pkcs8 = directory + "/pkcs8.pem"
        pkcs1 = directory + "/pkcs1.pem"
        encryptedPKCS8 = directory + "/encrypted-pkcs8.pem"
        encryptedPKCS1 = directory + "/encrypted-pkcs1.pem"
        publicKey = directory + "/public.pem"
        ecKey = directory + "/ec.pem"
        Self.openssl(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", pkcs8])
        Self.openssl(["rsa", "-in", pkcs8, "-traditional", "-out", pkcs1])
        Self.openssl(["pkcs8", "-topk8", "-v2", "aes-256-cbc", "-in", pkcs8, "-out", encryptedPKCS8,
                      "-passout", "pass:" + passphrase])
        Self.openssl(["rsa", "-in", pkcs8, "-traditional", "-aes256", "-out", encryptedPKCS1,
                      "-passout", "pass:" + passphrase])
        Self.openssl(["pkey", "-in", pkcs8, "-pubout", "-out", publicKey])
        Self.openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", ecKey])
        for path in [pkcs8, pkcs1, encryptedPKCS8, encryptedPKCS1, publicKey, ecKey] {
            chmod(path, 0o600)
        }
    }

    /// Runs the `openssl` CLI; returns stdout, fails the process on a non-zero exit.
    @discardableResult
    static func openssl(_ arguments: [String], stdin: [UInt8]? = nil) -> (status: Int32, output: [UInt8]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        let out = Pipe()
        let input = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        process.standardInput = input
        try! process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin)) }
        try? input.fileHandleForWriting.close()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, Array(data))
    }

    /// A copy of `path` with `mode`, in the fixtures directory.
    func copy(_ path: String, mode: mode_t) -> String {
        let target = directory + "/copy-\(UUID().uuidString.prefix(8)).pem"
        try! FileManager.default.copyItem(atPath: path, toPath: target)
        chmod(target, mode)
        return target
    }
}

/// Decodes base64url without padding.
func tokenTestBase64URLDecode(_ text: Substring) -> [UInt8]? {
    var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
    while s.count % 4 != 0 { s += "=" }
    return Data(base64Encoded: s).map(Array.init)
}
