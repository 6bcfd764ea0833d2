import Foundation
import TestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Forwards one request read by a ``CurlTestHTTPServer`` to an HTTP server on 127.0.0.1, the way
/// a forwarding proxy does: absolute-form target rewritten to origin-form, hop-by-hop headers
/// dropped, one connection per request (`Connection: close`), the answer read to EOF.
enum SandboxClientRelay {
    /// Headers a proxy does not forward (either direction).
    static let hopByHop: Set<String> = ["connection", "proxy-connection", "keep-alive", "transfer-encoding",
                                        "content-length", "proxy-authorization", "te", "upgrade"]

    /// The answer of the origin named by the absolute-form target (`http://127.0.0.1:PORT/…`),
    /// or the proxy's own 502 when that origin cannot be reached or is not on 127.0.0.1.
    static func forward(_ request: CurlTestHTTPServer.Received) -> CurlTestHTTPServer.Reply {
        func refuse(_ why: String) -> CurlTestHTTPServer.Reply {
            .respond(status: 502, headers: [("Content-Type", "text/plain")], body: Array("relay: \(why)".utf8))
        }
        guard let scheme = request.path.range(of: "http://") , scheme.lowerBound == request.path.startIndex else {
            return refuse("not a proxy request")
        }
        let rest = request.path[scheme.upperBound...]
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<slash]
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        guard authority.hasPrefix("127.0.0.1:"), let port = UInt16(authority.dropFirst("127.0.0.1:".count)) else {
            return refuse("only 127.0.0.1 origins")
        }
        var head = "\(request.method) \(target) HTTP/1.1\r\n"
        for (name, value) in request.headers where !hopByHop.contains(name.lowercased()) {
            head += "\(name): \(value)\r\n"
        }
        head += "Content-Length: \(request.body.count)\r\nConnection: close\r\n\r\n"
        guard let answer = exchange(Array(head.utf8) + request.body, port: port), let parsed = parse(answer) else {
            return refuse("upstream failed")
        }
        return .respond(status: parsed.status, headers: parsed.headers, body: parsed.body)
    }

    /// Sends `bytes` to 127.0.0.1:`port` and reads until the server closes.
    private static func exchange(_ bytes: [UInt8], port: UInt16) -> [UInt8]? {
        guard let exchanged = Loopback.exchange(bytes, port: port), exchanged.sentAll else { return nil }
        return exchanged.answer.isEmpty ? nil : exchanged.answer
    }

    /// Status, end-to-end headers and the (de-chunked) body of a whole HTTP/1.1 response.
    private static func parse(_ answer: [UInt8]) -> (status: Int, headers: [(String, String)], body: [UInt8])? {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let end = (0...(max(0, answer.count - 4))).first(where: { Array(answer[$0..<min($0 + 4, answer.count)]) == separator })
        else { return nil }
        var lines = String(decoding: answer[0..<end], as: UTF8.self).components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { return nil }
        var headers: [(String, String)] = []
        var chunked = false
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if name.lowercased() == "transfer-encoding", value.lowercased().contains("chunked") { chunked = true }
            if !hopByHop.contains(name.lowercased()) { headers.append((name, value)) }
        }
        let rest = Array(answer[(end + 4)...])
        return (status, headers, chunked ? dechunk(rest) : rest)
    }

    /// Decodes a chunked body (extensions and trailers ignored).
    private static func dechunk(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            guard let lineEnd = (i..<(bytes.count - 1)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 }) else { break }
            let sizeText = String(decoding: bytes[i..<lineEnd], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16), size > 0 else { break }
            let start = lineEnd + 2
            guard start + size <= bytes.count else { break }
            out += bytes[start..<(start + size)]
            i = start + size + 2
        }
        return out
    }
}
