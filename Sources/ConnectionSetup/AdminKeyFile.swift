import AuthgearAPI
import MigrationCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads an Admin API key file, refusing one that others could read or replace.
///
/// The file checks live here, where the file is read; AuthgearAPI only sees the key's bytes.
public enum AdminKeyFile {
    /// Reads the key file through one descriptor: the mode checked is the mode of the file read.
    ///
    /// Refuses a file that group or others can read, or that another user (not root) owns,
    /// unless `allowInsecure` is set; refuses anything but a regular file and files over 1 MiB.
    public static func contents(_ path: String, allowInsecure: Bool) throws(TokenSigningError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .keyFileUnreadable(path: path, reason: SystemError.text()) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw .keyFileUnreadable(path: path, reason: SystemError.text())
        }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .keyFileUnreadable(path: path, reason: "not a regular file")
        }
        // Ownership as OpenSSH checks the files it trusts: owned by the user running it or by root
        // (readconf.c: "Bad owner or permissions on %s" when `st_uid != 0 && st_uid != getuid()`;
        // sshd's safe_path: "bad ownership or modes"). Another owner can read, chmod or replace
        // the key whatever its mode. (ssh's own private-key check, sshkey_perm_ok, looks at the
        // mode of keys the user owns only; this tool refuses both.) Compared with the effective uid.
        let user = UInt32(geteuid())
        if info.st_uid != user && info.st_uid != 0 && !allowInsecure {
            throw .keyFileNotOwned(path: path, owner: UInt32(info.st_uid), user: user)
        }
        let mode = UInt32(info.st_mode)
        if mode & 0o077 != 0 && !allowInsecure { throw .insecureKeyFile(path: path, mode: mode) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        defer { for i in chunk.indices { chunk[i] = 0 } }
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n < 0 {
                if errno == EINTR { continue }
                throw .keyFileUnreadable(path: path, reason: SystemError.text())
            }
            if n == 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 1 << 20 { throw .malformedKey(path: path, reason: "file larger than 1 MiB") }
        }
        return bytes
    }
}

extension AdminTokenSigner {
    /// Loads the PEM private key at `path` (PKCS#1, PKCS#8 or encrypted PKCS#8).
    ///
    /// Refuses a file that group or others can read, or that another user (not root) owns,
    /// unless `allowInsecureKeyFile` is set. The file's bytes are wiped once the key is parsed.
    public convenience init(
        keyFile path: String, keyID: String, projectID: String, lifetime: Int = 300,
        passphrase: PassphraseSource = .none, allowInsecureKeyFile: Bool = false
    ) throws(TokenSigningError) {
        var pem = try AdminKeyFile.contents(path, allowInsecure: allowInsecureKeyFile)
        defer { for i in pem.indices { pem[i] = 0 } }
        try self.init(pem: pem, keyID: keyID, projectID: projectID, lifetime: lifetime,
                      passphrase: { passphrase.passphrase(forKeyAt: path) }, sourceName: path)
    }
}
