import Foundation
import MigrationCore

/// Calls the User Export API (export spec Part A): create a task, poll it, download its NDJSON
/// file line by line.
///
/// The download goes to the object store's presigned URL without the Admin API token (the URL
/// is its own credential; the token must never reach a bucket host).
public struct UserExportClient: Sendable {
    public let connection: AdminAPIConnection
    /// Whole-download time limit in seconds.
    public var downloadTimeout: Double = 3600

    public init(connection: AdminAPIConnection) {
        self.connection = connection
    }

    static let path = "/_api/admin/users/export"

    /// `POST /_api/admin/users/export` with `{"format":"ndjson"}`: always answered `pending`.
    /// Consumes one unit of the project's `user_export` quota.
    public func create() async throws(UserExportError) -> UserExportTask {
        try await call(method: "POST", path: Self.path, body: Array(#"{"format":"ndjson"}"#.utf8), id: nil)
    }

    /// `GET /_api/admin/users/export/{id}`: a succeeded task carries a fresh download URL.
    public func get(id: String) async throws(UserExportError) -> UserExportTask {
        try await call(method: "GET", path: Self.path + "/" + id, body: nil, id: id)
    }

    /// Polls `id` until it is completed (fast at first, then every `maxInterval` seconds);
    /// returns the download URL of a succeeded export. `sleep` is injectable for tests.
    public func waitForDownloadURL(
        id: String, maxInterval: Double = 5,
        sleep: @Sendable (Double) async throws -> Void = { try await Task.sleep(nanoseconds: UInt64($0 * 1e9)) },
        onPoll: (Int) -> Void = { _ in }
    ) async throws -> String {
        var interval = 0.2
        var polls = 0
        while true {
            let task = try await get(id: id)
            polls += 1
            onPoll(polls)
            switch task.state {
            case .succeeded(let url): return url
            case .failed(let error): throw UserExportError.exportFailed(id: id, error: error)
            case .completedWithoutResult: throw UserExportError.exportFailed(id: id, error: nil)
            case .pending:
                try await sleep(interval)
                interval = min(maxInterval, interval * 2)
            }
        }
    }

    /// Downloads `url` and calls `line` with every NDJSON line's bytes (valid only during the
    /// call), in file order, as the body arrives; `line` returns false to stop. Returns the
    /// number of lines and bytes.
    public func download(url: String, line: @escaping (UnsafeRawBufferPointer) -> Bool) async throws(UserExportError) -> (lines: Int, bytes: Int) {
        let sink = LineSink(line)
        let request = HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("User-Agent", connection.userAgent)],
                                  timeout: downloadTimeout)
        let response: HTTPResponse
        do { response = try await connection.transport.stream(request, into: sink) } catch {
            throw .api(.transport(error))
        }
        guard (200..<300).contains(response.status) else {
            throw .downloadRefused(status: response.status, snippet: ResponseClassifier.snippet(response.body))
        }
        sink.finish()
        return (sink.lines, sink.bytes)
    }

    private func call(method: String, path: String, body: [UInt8]?, id: String?) async throws(UserExportError) -> UserExportTask {
        let (response, token): (HTTPResponse, String)
        do { (response, token) = try await connection.send(method: method, path: path, body: body) } catch { throw .api(error) }
        let now = connection.clock()
        if response.status == 200, let json = ResponseClassifier.parseObject(response.body) {
            if let result = json["result"], let task = UserExportTask(json: result) { return task }
        }
        let error = response.status == 200
            ? ImportAPIError.unexpectedResponse(status: 200, snippet: ResponseClassifier.snippet(response.body, secrets: [token]))
            : ResponseClassifier.error(for: response, jobID: id, now: now, secrets: [token])
        switch error {
        case .server(_, let body?, _, _) where body.reason == "UserExportDisabled": throw .disabled
        case .usageLimitExceeded(let period, let resetsAt): throw .usageLimitExceeded(period: period, resetsAt: resetsAt)
        case .jobNotFound: throw .taskNotFound(id: id ?? "")
        default: throw .api(error)
        }
    }
}
