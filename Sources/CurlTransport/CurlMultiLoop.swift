import AuthgearAPI
import CCurl
import Foundation

/// One libcurl multi handle and the one thread that drives it.
///
/// `@unchecked Sendable` because other threads reach it only through `submit`, `cancel` and
/// `close`, which touch `incoming`, `cancelling`, `closing` and `multiAlive` under `lock`
/// (and call `curl_multi_wakeup`, which libcurl allows from any thread, only while the
/// multi handle is alive). `multi` and `active` are used only on the loop thread.
final class CurlMultiLoop: @unchecked Sendable {
    /// `curl_global_init` runs once per process, before the first handle (thread-safe lazy init).
    private static let globalInit: CURLcode = curl_global_init(Int(CURL_GLOBAL_DEFAULT))

    private let options: CurlTransport.Options
    private let multi: UnsafeMutableRawPointer?

    private let lock = NSLock()
    private var incoming: [CurlTransfer] = []
    private var cancelling: [CurlTransfer] = []
    private var closing = false
    private var multiAlive = false

    /// Transfers added to the multi handle, by easy handle (loop thread only).
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    init(options: CurlTransport.Options) {
        self.options = options
        _ = Self.globalInit
        multi = curl_multi_init()
        guard multi != nil else { return }
        multiAlive = true
        let thread = Thread { [self] in run() }
        thread.name = "authgear-migrate.curl"
        thread.start()
    }

    /// Queues a transfer for the loop thread.
    func submit(_ transfer: CurlTransfer) {
        let accepted: Bool = lock.withLock {
            guard multiAlive, !closing else { return false }
            incoming.append(transfer)
            curl_multi_wakeup(multi)
            return true
        }
        if !accepted { transfer.finish(.failure(.cancelled)) }
    }

    /// Asks the loop thread to abort a transfer (it was marked cancelled already).
    func cancel(_ transfer: CurlTransfer) {
        lock.withLock {
            guard multiAlive else { return }
            cancelling.append(transfer)
            curl_multi_wakeup(multi)
        }
    }

    /// Asks the loop thread to end every transfer with `.cancelled` and release libcurl.
    func close() {
        lock.withLock {
            guard multiAlive, !closing else { return }
            closing = true
            curl_multi_wakeup(multi)
        }
    }

    // MARK: - Loop thread

    private func run() {
        guard let multi else { return }
        while true {
            let (adds, cancels, stop) = lock.withLock {
                let taken = (incoming, cancelling, closing)
                incoming.removeAll()
                cancelling.removeAll()
                return taken
            }
            for transfer in adds { start(transfer, multi) }
            for transfer in cancels {
                if let easy = transfer.easy, active[easy] != nil { end(transfer, multi, .failure(.cancelled)) }
            }
            if stop { break }
            var running: Int32 = 0
            _ = curl_multi_perform(multi, &running)
            collectFinished(multi)
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
        for transfer in Array(active.values) { end(transfer, multi, .failure(.cancelled)) }
        let late: [CurlTransfer] = lock.withLock {
            multiAlive = false
            let taken = incoming
            incoming.removeAll()
            return taken
        }
        for transfer in late { transfer.finish(.failure(.cancelled)) }
        curl_multi_cleanup(multi)
    }

    private func start(_ transfer: CurlTransfer, _ multi: UnsafeMutableRawPointer) {
        if transfer.isCancelRequested {
            transfer.finish(.failure(.cancelled))
            return
        }
        do {
            try CurlEasyConfiguration.makeHandle(for: transfer, options: options)
        } catch {
            release(transfer)
            transfer.finish(.failure(.notSent("\(error.message) (\(transfer.host))")))
            return
        }
        guard let easy = transfer.easy else { return }
        let added = curl_multi_add_handle(multi, easy)
        if added != CURLM_OK {
            release(transfer)
            let text = String(cString: curl_multi_strerror(added))
            transfer.finish(.failure(.notSent("\(text) (\(transfer.host))")))
            return
        }
        active[easy] = transfer
    }

    private func collectFinished(_ multi: UnsafeMutableRawPointer) {
        var left: Int32 = 0
        while let message = curl_multi_info_read(multi, &left) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle,
                  let transfer = active[easy] else { continue }
            let code = message.pointee.data.result
            end(transfer, multi, outcome(of: transfer, easy, code))
        }
    }

    private func outcome(
        of transfer: CurlTransfer, _ easy: UnsafeMutableRawPointer, _ code: CURLcode
    ) -> Result<HTTPResponse, TransportError> {
        if transfer.sinkStopped { return .failure(.cancelled) }
        if code == CURLE_OK {
            var status = 0
            _ = cc_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            return .success(HTTPResponse(status: status, headers: transfer.responseHeaders, body: transfer.responseBody))
        }
        var requestBytes = 0
        _ = cc_getinfo_long(easy, CURLINFO_REQUEST_SIZE, &requestBytes)
        var uploadBytes: curl_off_t = 0
        _ = cc_getinfo_off(easy, CURLINFO_SIZE_UPLOAD_T, &uploadBytes)
        let failure = CurlFailure(
            code: code.rawValue,
            text: transfer.errorText(code),
            host: transfer.host,
            sendStarted: transfer.sendAttempts > 0,
            bytesSent: requestBytes > 0 || uploadBytes > 0,
            refusedResend: transfer.refusedResend,
            // libcurl read the same environment for this transfer (no proxy option is ever set).
            proxy: CurlFailure.proxyCodes.contains(code.rawValue) ? NetworkPath.proxy(forURL: transfer.request.url) : nil
        )
        return .failure(failure.transportError)
    }

    /// Detaches a transfer from the multi handle, frees libcurl memory and resumes its caller.
    private func end(_ transfer: CurlTransfer, _ multi: UnsafeMutableRawPointer, _ result: Result<HTTPResponse, TransportError>) {
        if let easy = transfer.easy {
            active[easy] = nil
            curl_multi_remove_handle(multi, easy)
        }
        release(transfer)
        transfer.finish(result)
    }

    private func release(_ transfer: CurlTransfer) {
        if let easy = transfer.easy {
            curl_easy_cleanup(easy)
            transfer.easy = nil
        }
        if let list = transfer.headerList {
            curl_slist_free_all(list)
            transfer.headerList = nil
        }
    }
}
