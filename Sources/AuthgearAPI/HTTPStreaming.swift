/// Receives a response body piece by piece, in order, as the transport reads it — a download
/// of any size never sits in memory whole.
///
/// Called on the transport's own thread (libcurl's for `CurlTransport`), one call at a time;
/// an implementation keeps its state to itself and is read by the caller after `stream` returns.
public protocol HTTPBodySink: AnyObject, Sendable {
    /// The next bytes of a 2xx response body. Return false to abort the transfer (the sink
    /// keeps why; `stream` then throws `TransportError.cancelled`).
    func receive(_ bytes: UnsafeRawBufferPointer) -> Bool
}

extension HTTPTransport {
    /// Sends `request` and hands a 2xx response's body to `sink` as it arrives; the returned
    /// response then has an empty body. Any other status keeps its (small) body in the response,
    /// for the error message. This default reads the whole body first (test transports); the
    /// libcurl transport streams.
    public func stream(_ request: HTTPRequest, into sink: any HTTPBodySink) async throws(TransportError) -> HTTPResponse {
        var response = try await send(request)
        guard (200..<300).contains(response.status) else { return response }
        let body = response.body
        response.body = []
        let chunk = 64 * 1024
        var start = 0
        while start < body.count {
            let end = min(body.count, start + chunk)
            let accepted = body[start..<end].withUnsafeBytes { sink.receive($0) }
            if !accepted { throw .cancelled }
            start = end
        }
        return response
    }
}

/// Splits a streamed body into lines (`\n`, an optional `\r` before it dropped) and hands each
/// non-empty line to `handler`; a last line without `\n` is handed over by ``finish()``.
/// Holds at most one line in memory. `handler` returns false to stop (the sink then refuses
/// more bytes).
public final class LineSink: HTTPBodySink, @unchecked Sendable {
    private var partial: [UInt8] = []
    private let handler: (UnsafeRawBufferPointer) -> Bool
    private var stopped = false
    /// How many lines were handed over.
    public private(set) var lines = 0
    /// How many body bytes arrived.
    public private(set) var bytes = 0

    /// A sink calling `handler` with every line's bytes (valid only during the call).
    public init(_ handler: @escaping (UnsafeRawBufferPointer) -> Bool) {
        self.handler = handler
    }

    public func receive(_ chunk: UnsafeRawBufferPointer) -> Bool {
        if stopped { return false }
        bytes += chunk.count
        var start = 0
        while start < chunk.count {
            guard let newline = chunk[start...].firstIndex(of: 0x0A) else {
                partial.append(contentsOf: chunk[start...])
                return true
            }
            if partial.isEmpty {
                if !emit(UnsafeRawBufferPointer(rebasing: chunk[start..<newline])) { return false }
            } else {
                partial.append(contentsOf: chunk[start..<newline])
                let line = partial
                partial.removeAll(keepingCapacity: true)
                if !(line.withUnsafeBytes { emit($0) }) { return false }
            }
            start = newline + 1
        }
        return true
    }

    /// Hands over a last line that had no `\n`; returns false when the handler stopped.
    @discardableResult
    public func finish() -> Bool {
        guard !stopped, !partial.isEmpty else { return !stopped }
        let line = partial
        partial.removeAll()
        return line.withUnsafeBytes { emit($0) }
    }

    private func emit(_ line: UnsafeRawBufferPointer) -> Bool {
        var line = line
        if line.last == 0x0D { line = UnsafeRawBufferPointer(rebasing: line.dropLast()) }
        if line.isEmpty { return true }
        lines += 1
        if !handler(line) { stopped = true; return false }
        return true
    }
}
