import AuthgearAPI
import CCurl
import Foundation

/// One request's journey through libcurl: its waiting caller and the response being collected.
///
/// `@unchecked Sendable` because it is shared between the calling task and the libcurl
/// thread: `continuation` and `cancelRequested` are only touched under `lock`; every other
/// mutable field (`easy`, `headerList`, the response being collected, the counters) is
/// touched only on the libcurl thread, by `CurlMultiLoop` and the callbacks it drives.
final class CurlTransfer: @unchecked Sendable {
    let request: HTTPRequest
    /// Where a 2xx body goes instead of `responseBody` (a streamed download), or nil.
    let sink: (any HTTPBodySink)?
    /// Set when the sink refused bytes: the transfer was aborted on purpose.
    var sinkStopped = false
    /// The URL's host, for error messages (never the headers or the body).
    let host: String

    private let lock = NSLock()
    private var continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>?
    private var cancelRequested = false
    private var finished = false

    // libcurl thread only.
    var easy: UnsafeMutableRawPointer?
    var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer: UnsafeMutablePointer<CChar>
    var responseBody: [UInt8] = []
    var responseHeaders: [HTTPHeader] = []
    /// How many times libcurl was about to send the request (pre-request callback calls).
    var sendAttempts = 0
    /// True when this transport refused libcurl's automatic re-send on a fresh connection.
    var refusedResend = false

    /// A non-2xx body of a streamed transfer is kept up to this many bytes (for the error message).
    static let errorBodyLimit = 1 << 20

    init(request: HTTPRequest, sink: (any HTTPBodySink)? = nil) {
        self.request = request
        self.sink = sink
        self.host = URLComponents(string: request.url)?.host ?? "?"
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let headerList { curl_slist_free_all(headerList) }
        errorBuffer.deallocate()
    }

    /// Whether libcurl may send this request again after a reused connection died silently.
    var allowsResend: Bool {
        let method = request.method.uppercased()
        return method == "GET" || method == "HEAD"
    }

    var isCancelRequested: Bool {
        lock.withLock { cancelRequested }
    }

    /// Stores the caller's continuation; false (and resumed with `.cancelled`) if already cancelled.
    func install(_ continuation: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>) -> Bool {
        let alreadyCancelled: Bool = lock.withLock {
            if cancelRequested || finished { return true }
            self.continuation = continuation
            return false
        }
        if alreadyCancelled {
            continuation.resume(returning: .failure(.cancelled))
            return false
        }
        return true
    }

    /// Marks the transfer cancelled; true if the libcurl thread must be told.
    func requestCancel() -> Bool {
        lock.withLock {
            if cancelRequested || finished { return false }
            cancelRequested = true
            return continuation != nil
        }
    }

    /// Resumes the caller exactly once.
    func finish(_ result: Result<HTTPResponse, TransportError>) {
        let waiting: CheckedContinuation<Result<HTTPResponse, TransportError>, Never>? = lock.withLock {
            if finished { return nil }
            finished = true
            let c = continuation
            continuation = nil
            return c
        }
        waiting?.resume(returning: result)
    }

    /// Records one response header line; a new status line (after a 1xx) starts afresh.
    func receiveHeaderLine(_ bytes: UnsafeBufferPointer<UInt8>) {
        var end = bytes.count
        while end > 0, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        if end == 0 { return }
        let line = UnsafeBufferPointer(rebasing: bytes[0..<end])
        if line.starts(with: Array("HTTP/".utf8)) {
            responseHeaders.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line.firstIndex(of: 0x3A) else { return }
        let name = String(decoding: line[0..<colon], as: UTF8.self)
        var valueStart = colon + 1
        while valueStart < end, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        var valueEnd = end
        while valueEnd > valueStart, line[valueEnd - 1] == 0x20 || line[valueEnd - 1] == 0x09 { valueEnd -= 1 }
        let value = String(decoding: line[valueStart..<valueEnd], as: UTF8.self)
        responseHeaders.append(HTTPHeader(name, value))
    }

    /// Body bytes from libcurl: to the sink while the status is 2xx, else collected (capped when
    /// streaming). False aborts the transfer.
    func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Bool {
        guard let sink else {
            responseBody.append(contentsOf: bytes)
            return true
        }
        var status = 0
        if let easy { _ = cc_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status) }
        if (200..<300).contains(status) {
            if sink.receive(bytes) { return true }
            sinkStopped = true
            return false
        }
        if responseBody.count < Self.errorBodyLimit {
            responseBody.append(contentsOf: bytes.prefix(Self.errorBodyLimit - responseBody.count))
        }
        return true
    }

    /// The text libcurl wrote into the error buffer, or its generic text for `code`.
    func errorText(_ code: CURLcode) -> String {
        let written = String(cString: errorBuffer)
        if !written.isEmpty { return written }
        return String(cString: curl_easy_strerror(code))
    }
}
