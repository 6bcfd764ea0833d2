import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Plain TCP on 127.0.0.1 for the tests that must own every byte on the wire (raw HTTP requests,
/// a forwarding proxy) or wait for a server to listen. Blocking: call it off the Swift thread pool.
public enum Loopback {
    /// A socket connected to 127.0.0.1:`port`, or nil.
    public static func connect(port: UInt16) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); return nil }
        return fd
    }

    /// Sends `bytes` to 127.0.0.1:`port`, then reads until the server closes. `sentAll` is false when
    /// the server stopped reading first (it may answer, 413 say, and close). Nil when nothing listens.
    public static func exchange(_ bytes: [UInt8], port: UInt16) -> (sentAll: Bool, answer: [UInt8])? {
        guard let fd = connect(port: port) else { return nil }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { break }
            offset += written
        }
        var answer: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            answer += chunk[0..<count]
        }
        return (offset == bytes.count, answer)
    }

    /// Waits until something accepts TCP connections on 127.0.0.1:`port` (at most `seconds`).
    public static func waitUntilListening(port: UInt16, seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let fd = connect(port: port) {
                close(fd)
                return true
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }
}
