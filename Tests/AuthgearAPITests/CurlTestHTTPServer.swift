import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A tiny HTTP/1.1 server on 127.0.0.1 built on POSIX sockets, for transport tests.
///
/// `@unchecked Sendable`: the mutable record (`accepts`, `requests`, `connections`) is only
/// touched under `lock`; the listening descriptor is a `let`.
final class CurlTestHTTPServer: @unchecked Sendable {
    /// One request as the server read it.
    struct Received: Sendable {
        var method: String
        var path: String
        var headers: [(name: String, value: String)]
        var body: [UInt8]
        /// Which accepted connection (1-based) carried it.
        var connection: Int

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// What the server does with a request.
    enum Reply: Sendable {
        case respond(status: Int, headers: [(String, String)], body: [UInt8])
        /// Reads the request, then closes the connection without answering.
        case closeWithoutAnswer
        /// Reads the request, then waits this many seconds without answering, then closes.
        case stall(seconds: Double)
    }

    let port: UInt16
    private let listener: Int32
    private let handler: @Sendable (Received) -> Reply
    private let lock = NSLock()
    private var acceptCount = 0
    private var received: [Received] = []
    private var openConnections: [Int32] = []

    /// Starts listening on an ephemeral port; `handler` decides each reply.
    init(handler: @escaping @Sendable (Received) -> Reply) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 128) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        port = UInt16(bigEndian: address.sin_port)
        listener = fd
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    /// A convenience server that answers every request with `status` and the echoed body.
    static func echo(status: Int = 200, headers: [(String, String)] = []) throws -> CurlTestHTTPServer {
        try CurlTestHTTPServer { request in .respond(status: status, headers: headers, body: request.body) }
    }

    var url: String { "http://127.0.0.1:\(port)" }

    var accepts: Int { lock.withLock { acceptCount } }

    var requests: [Received] { lock.withLock { received } }

    /// Stops accepting and closes every open connection.
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        let open = lock.withLock { openConnections }
        for fd in open { shutdown(fd, Int32(SHUT_RDWR)) }
    }

    deinit {
        close(listener)
    }

    private func acceptLoop() {
        while true {
            let fd = accept(listener, nil, nil)
            if fd < 0 {
                if errno == EINTR { continue }
                return
            }
            let number: Int = lock.withLock {
                acceptCount += 1
                openConnections.append(fd)
                return acceptCount
            }
            let thread = Thread { [self] in serve(fd, connection: number) }
            thread.start()
        }
    }

    private func serve(_ fd: Int32, connection: Int) {
        var buffer: [UInt8] = []
        defer {
            close(fd)
            lock.withLock { openConnections.removeAll { $0 == fd } }
        }
        while let request = readRequest(fd, &buffer, connection: connection) {
            lock.withLock { received.append(request) }
            switch handler(request) {
            case .respond(let status, let headers, let body):
                var head = "HTTP/1.1 \(status) Test\r\nContent-Length: \(body.count)\r\n"
                for (name, value) in headers { head += "\(name): \(value)\r\n" }
                head += "\r\n"
                guard writeAll(fd, Array(head.utf8) + body) else { return }
            case .closeWithoutAnswer:
                return
            case .stall(let seconds):
                Thread.sleep(forTimeInterval: seconds)
                return
            }
        }
    }

    private func readRequest(_ fd: Int32, _ buffer: inout [UInt8], connection: Int) -> Received? {
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headerEnd: Int?
        while headerEnd == nil {
            if let range = firstRange(of: terminator, in: buffer) { headerEnd = range; break }
            guard readMore(fd, &buffer) else { return nil }
        }
        guard let end = headerEnd else { return nil }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = headText.components(separatedBy: "\r\n")
        let requestLine = lines.removeFirst().split(separator: " ")
        guard requestLine.count >= 2 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.append((name, value))
        }
        let length = headers.first { $0.name.lowercased() == "content-length" }.flatMap { Int($0.value) } ?? 0
        let bodyStart = end + 4
        while buffer.count < bodyStart + length {
            guard readMore(fd, &buffer) else { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return Received(
            method: String(requestLine[0]), path: String(requestLine[1]), headers: headers, body: body,
            connection: connection)
    }

    private func readMore(_ fd: Int32, _ buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return false }
        buffer.append(contentsOf: chunk[0..<count])
        return true
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written <= 0 { return false }
            offset += written
        }
        return true
    }

    private func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start] == needle[0] {
            if Array(haystack[start..<(start + needle.count)]) == needle { return start }
        }
        return nil
    }

    /// A port on 127.0.0.1 where nothing listens (bound briefly, then released).
    static func closedPort() -> UInt16 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }
}
