import AuthgearAPI
import CCurl
import Foundation

/// Builds a libcurl easy handle for one transfer (called on the libcurl thread only).
enum CurlEasyConfiguration {
    /// Why a handle could not be set up; the request was not sent.
    struct SetupFailure: Error {
        let message: String
    }

    /// Creates and configures the easy handle for `transfer`, storing it in `transfer.easy`.
    static func makeHandle(for transfer: CurlTransfer, options: CurlTransport.Options) throws(SetupFailure) {
        guard let easy = curl_easy_init() else { throw SetupFailure(message: "curl_easy_init failed") }
        transfer.easy = easy
        let request = transfer.request
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        func check(_ code: CURLcode, _ what: String) throws(SetupFailure) {
            if code != CURLE_OK {
                throw SetupFailure(message: "\(what): \(String(cString: curl_easy_strerror(code)))")
            }
        }
        func long(_ option: CURLoption, _ value: Int) throws(SetupFailure) {
            try check(cc_setopt_long(easy, option, value), "libcurl option \(option.rawValue)")
        }
        func string(_ option: CURLoption, _ value: String) throws(SetupFailure) {
            try check(cc_setopt_string(easy, option, value), "libcurl option \(option.rawValue)")
        }

        try check(cc_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer), "error buffer")
        try string(CURLOPT_URL, request.url)
        try string(CURLOPT_PROTOCOLS_STR, "http,https")
        try long(CURLOPT_NOSIGNAL, 1)
        try long(CURLOPT_SSL_VERIFYPEER, 1)
        try long(CURLOPT_SSL_VERIFYHOST, 2)
        if let caFile = options.caFile { try string(CURLOPT_CAINFO, caFile) }
        try string(CURLOPT_USERAGENT, options.userAgent)
        try long(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1))
        try long(CURLOPT_CONNECTTIMEOUT_MS, milliseconds(options.connectTimeout))
        try long(CURLOPT_TIMEOUT_MS, milliseconds(request.timeout))
        try long(CURLOPT_TCP_KEEPALIVE, 1)

        try setMethodAndBody(easy, request, check)
        try setHeaders(transfer, check)

        try check(cc_setopt_write_callback(easy, CURLOPT_WRITEFUNCTION, bodyCallback), "write callback")
        try check(cc_setopt_pointer(easy, CURLOPT_WRITEDATA, context), "write data")
        try check(cc_setopt_write_callback(easy, CURLOPT_HEADERFUNCTION, headerCallback), "header callback")
        try check(cc_setopt_pointer(easy, CURLOPT_HEADERDATA, context), "header data")
        try check(cc_setopt_prereq_callback(easy, CURLOPT_PREREQFUNCTION, prerequestCallback), "pre-request callback")
        try check(cc_setopt_pointer(easy, CURLOPT_PREREQDATA, context), "pre-request data")
    }

    /// Whole milliseconds, at least 1 (0 would mean "no limit" to libcurl), at most a year.
    static func milliseconds(_ seconds: Double) -> Int {
        guard !seconds.isNaN, seconds > 0 else { return 1 }
        return max(1, Int(min(seconds, 31_536_000) * 1000))
    }

    private static func setMethodAndBody(
        _ easy: UnsafeMutableRawPointer, _ request: HTTPRequest,
        _ check: (CURLcode, String) throws(SetupFailure) -> Void
    ) throws(SetupFailure) {
        let method = request.method.uppercased()
        guard !method.isEmpty, method.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw SetupFailure(message: "invalid HTTP method")
        }
        if method == "GET", request.body == nil {
            try check(cc_setopt_long(easy, CURLOPT_HTTPGET, 1), "GET")
            return
        }
        if method == "HEAD", request.body == nil {
            try check(cc_setopt_long(easy, CURLOPT_NOBODY, 1), "HEAD")
            return
        }
        let body = request.body ?? []
        try check(cc_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "body size")
        let copied: CURLcode = body.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress { return cc_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, base) }
                return cc_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            }
        }
        try check(copied, "body")
        if method != "POST" {
            try check(cc_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method), "method")
        }
    }

    private static func setHeaders(
        _ transfer: CurlTransfer, _ check: (CURLcode, String) throws(SetupFailure) -> Void
    ) throws(SetupFailure) {
        var list: UnsafeMutablePointer<curl_slist>?
        var sawExpect = false
        for header in transfer.request.headers {
            let invalid = header.name.isEmpty || header.name.utf8.contains { $0 <= 0x20 || $0 == 0x3A || $0 == 0x7F }
                || header.value.utf8.contains { $0 == 0x0A || $0 == 0x0D || $0 == 0 }
            if invalid {
                if let list { curl_slist_free_all(list) }
                throw SetupFailure(message: "invalid header field \"\(header.name)\"")
            }
            if header.name.lowercased() == "expect" { sawExpect = true }
            // "Name;" is libcurl's spelling of a header with an empty value.
            let line = header.value.isEmpty ? "\(header.name);" : "\(header.name): \(header.value)"
            guard let appended = curl_slist_append(list, line) else {
                if let list { curl_slist_free_all(list) }
                throw SetupFailure(message: "out of memory building headers")
            }
            list = appended
        }
        if !sawExpect {
            // "Expect:" with nothing after the colon removes libcurl's Expect: 100-continue.
            guard let appended = curl_slist_append(list, "Expect:") else {
                if let list { curl_slist_free_all(list) }
                throw SetupFailure(message: "out of memory building headers")
            }
            list = appended
        }
        transfer.headerList = list
        guard let easy = transfer.easy else { return }
        try check(cc_setopt_slist(easy, CURLOPT_HTTPHEADER, list), "headers")
    }
}

/// `CURLOPT_WRITEFUNCTION`: appends response body bytes.
private let bodyCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if let data, length > 0 {
        // Returning anything but `length` makes libcurl abort with CURLE_WRITE_ERROR.
        if !transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: length)) { return 0 }
    }
    return length
}

/// `CURLOPT_HEADERFUNCTION`: records each response header line.
private let headerCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let context else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    if let data, length > 0 {
        data.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
            transfer.receiveHeaderLine(UnsafeBufferPointer(start: bytes, count: length))
        }
    }
    return length
}

/// `CURLOPT_PREREQFUNCTION`: runs just before libcurl sends the request on a connection.
/// A second call means libcurl is re-sending after a reused connection died without an
/// answer; for methods that are not safe to repeat, refuse it.
private let prerequestCallback: @convention(c) (
    UnsafeMutableRawPointer?, UnsafeMutablePointer<CChar>?, UnsafeMutablePointer<CChar>?, Int32, Int32
) -> Int32 = { context, _, _, _, _ in
    guard let context else { return Int32(CURL_PREREQFUNC_OK) }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(context).takeUnretainedValue()
    transfer.sendAttempts += 1
    if transfer.sendAttempts > 1, !transfer.allowsResend {
        transfer.refusedResend = true
        return Int32(CURL_PREREQFUNC_ABORT)
    }
    return Int32(CURL_PREREQFUNC_OK)
}
