import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import AuthgearAPI
import MigrationCore

/// `--sandbox-memory USERS [BINARY]`: the memory of a real `authgear-migrate sandbox` process
/// (BINARY, default the one next to this benchmark) holding USERS users, answering the users
/// listing page by page (a sandbox without pages answers them all at once), exporting them all
/// (`POST /_api/admin/users/export` NDJSON until completed, then the download), and after a reset.
/// Figures from `/proc/PID/status`: VmRSS now, VmHWM the peak since the previous phase (reset
/// through `/proc/PID/clear_refs`).
enum SandboxMemoryBench {
    static func run(users: Int, binary: String?) async throws {
        let work = NSTemporaryDirectory() + "bench-sandbox-memory-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let sandbox = try BenchSandbox(work: work, binary: binary)
        defer { sandbox.stop() }
        let pid = sandbox.pid
        let endpoint = try BenchSandbox.require(sandbox.env, "AUTHGEAR_ENDPOINT")
        // URLSession, not the importer's transport: this only drives the control API.
        func control(_ method: String, _ path: String, _ body: [UInt8]? = nil) async throws -> [UInt8] {
            var request = URLRequest(url: URL(string: endpoint + path)!, timeoutInterval: 1800)
            request.httpMethod = method
            if let body {
                request.httpBody = Data(body)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            let (data, response) = try await URLSession.shared.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            guard (200..<300).contains(status) else {
                throw BenchError("\(method) \(path): \(status) \(String(decoding: data.prefix(300), as: UTF8.self))")
            }
            return [UInt8](data)
        }
        print("sandbox \(sandbox.binary) pid \(pid); \(users) users")
        let idle = memory(pid)

        // Seed in chunks of 10,000 users (one email login ID and a name each).
        clearPeak(pid)
        let seedStart = Date()
        var seeded = 0
        while seeded < users {
            let n = min(10_000, users - seeded)
            var body = Array(#"{"users":["#.utf8)
            for i in seeded..<seeded + n {
                if i > seeded { body.append(UInt8(ascii: ",")) }
                body += Array(#"{"ref":"b\#(i)","identities":[{"type":"login_id","key":"email","value":"bench\#(i)@example.com"}],"standard_attributes":{"given_name":"User \#(i)"}}"#.utf8)
            }
            body += Array("]}".utf8)
            _ = try await control("POST", "/_sandbox/users", body)
            seeded += n
        }
        let seedSeconds = Date().timeIntervalSince(seedStart)
        let afterSeed = memory(pid)

        // The listing, every page (the cursor is the previous page's next).
        clearPeak(pid)
        let listStart = Date()
        var after: String?
        var listed = 0, pages = 0, bytes = 0
        repeat {
            let page = try await control("GET", "/_sandbox/users?limit=10000" + (after.map { "&after=" + $0 } ?? ""))
            bytes += page.count
            pages += 1
            // Counted without building a tree of the users here too: `is_disabled` is once per
            // user (its last member); the page ends with `],"next":…,"total":N}`.
            listed += count(Array(#""is_disabled":"#.utf8), in: page)
            after = nextCursor(page)
        } while after != nil
        let listSeconds = Date().timeIntervalSince(listStart)
        let afterList = memory(pid)
        guard listed == users else { throw BenchError("listed \(listed) users of \(users)") }

        let export = try await exportPhases(endpoint: endpoint, env: sandbox.env, pid: pid, users: users, work: work)

        clearPeak(pid)
        _ = try await control("POST", "/_sandbox/reset", Array("{}".utf8))
        try await Task.sleep(nanoseconds: 500_000_000)
        let afterReset = memory(pid)

        print("| phase | seconds | VmRSS MB | peak (VmHWM) MB |")
        print("|---|---:|---:|---:|")
        print("| started | — | \(idle.rss) | \(idle.hwm) |")
        print("| seeded \(users) users | \(String(format: "%.1f", seedSeconds)) | \(afterSeed.rss) | \(afterSeed.hwm) |")
        print("| listed them (\(pages) page\(pages == 1 ? "" : "s"), \(bytes / 1_000_000) MB) | \(String(format: "%.1f", listSeconds)) | \(afterList.rss) | \(afterList.hwm) |")
        print("| exported them (NDJSON file written, \(export.bytes / 1_000_000) MB) | \(String(format: "%.1f", export.seconds)) | \(export.afterExport.rss) | \(export.afterExport.hwm) |")
        print("| downloaded the file | \(String(format: "%.1f", export.downloadSeconds)) | \(export.afterDownload.rss) | \(export.afterDownload.hwm) |")
        print("| after POST /_sandbox/reset | — | \(afterReset.rss) | \(afterReset.hwm) |")
    }

    /// One NDJSON export of every user: from the POST until the GET says completed, then the
    /// download to a file; the sandbox's memory after each.
    static func exportPhases(endpoint: String, env: [String: String], pid: Int32, users: Int, work: String) async throws
        -> (seconds: Double, afterExport: (rss: Int, hwm: Int), downloadSeconds: Double, afterDownload: (rss: Int, hwm: Int), bytes: Int) {
        let pem = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try BenchSandbox.require(env, "AUTHGEAR_KEY_FILE"))))
        let signer = try AdminTokenSigner(pem: pem, keyID: try BenchSandbox.require(env, "AUTHGEAR_KEY_ID"),
                                          projectID: try BenchSandbox.require(env, "AUTHGEAR_PROJECT_ID"))
        func request(_ method: String, _ url: String, _ body: String? = nil) throws -> URLRequest {
            var request = URLRequest(url: URL(string: url)!, timeoutInterval: 1800)
            request.httpMethod = method
            request.setValue("Bearer " + (try signer.mint(at: Date())).value, forHTTPHeaderField: "Authorization")
            if let body {
                request.httpBody = Data(body.utf8)
                request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            }
            return request
        }
        clearPeak(pid)
        let start = Date()
        let (created, _) = try await URLSession.shared.data(for: try request("POST", endpoint + "/_api/admin/users/export", #"{"format":"ndjson"}"#))
        guard let id = (try? JSONParser.parse([UInt8](created)))?["result"]?["id"]?.stringValue else {
            throw BenchError("export POST: \(String(decoding: created.prefix(300), as: UTF8.self))")
        }
        var result: JSONValue = .null
        while true {
            let (data, _) = try await URLSession.shared.data(for: try request("GET", endpoint + "/_api/admin/users/export/" + id))
            result = (try? JSONParser.parse([UInt8](data)))?["result"] ?? .null
            if result["status"]?.stringValue == "completed" { break }
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        let seconds = Date().timeIntervalSince(start)
        let afterExport = memory(pid)
        guard let url = result["download_url"]?.stringValue else { throw BenchError("export failed: \(JSONWriter().string(result))") }
        clearPeak(pid)
        let downloadStart = Date()
        let (file, _) = try await URLSession.shared.download(for: URLRequest(url: URL(string: url)!, timeoutInterval: 1800))
        let downloadSeconds = Date().timeIntervalSince(downloadStart)
        let afterDownload = memory(pid)
        defer { try? FileManager.default.removeItem(at: file) }
        // Lines counted a megabyte at a time (the file is never held whole).
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var lines = 0, bytes = 0
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            bytes += chunk.count
            lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        guard lines == users else { throw BenchError("the export has \(lines) lines for \(users) users") }
        return (seconds, afterExport, downloadSeconds, afterDownload, bytes)
    }

    /// The `next` member at the end of a page; nil when null or absent (a sandbox without pages).
    /// After the users array's closing bracket (the last `]`) come only `,"next":…,"total":N}`.
    static func nextCursor(_ page: [UInt8]) -> String? {
        guard let close = page.lastIndex(of: UInt8(ascii: "]")), close + 1 < page.count, page[close + 1] == UInt8(ascii: ",") else { return nil }
        guard let rest = try? JSONParser.parse(Array("{".utf8) + page[(close + 2)...]) else { return nil }
        return rest["next"]?.stringValue
    }

    /// Occurrences of `needle` in `bytes`.
    static func count(_ needle: [UInt8], in bytes: [UInt8]) -> Int {
        var n = 0, i = 0
        bytes.withUnsafeBufferPointer { b in
            needle.withUnsafeBufferPointer { p in
                while i + p.count <= b.count {
                    if memcmp(b.baseAddress! + i, p.baseAddress!, p.count) == 0 { n += 1; i += p.count } else { i += 1 }
                }
            }
        }
        return n
    }

    /// VmRSS and VmHWM of `pid` in MB.
    static func memory(_ pid: Int32) -> (rss: Int, hwm: Int) {
        let text = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        func field(_ name: String) -> Int {
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return -1 }
            return (Int(line.split(separator: " ").dropFirst().first { Int($0) != nil } ?? "") ?? -1) / 1024
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// Resets VmHWM to the current RSS (Linux ≥ 4.0), so the next reading is that phase's peak.
    static func clearPeak(_ pid: Int32) {
        try? "5".write(toFile: "/proc/\(pid)/clear_refs", atomically: false, encoding: .utf8)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
