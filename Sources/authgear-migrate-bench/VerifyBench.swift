import AuthgearAPI
import CurlTransport
import Foundation
import Synchronization

/// Client-side cost of `verify` over one user export (a benchmark, not a test): the real
/// `authgear-migrate import` of `records` users into a real `authgear-migrate sandbox`, then
/// the download alone through the same client stack (UserExportClient + libcurl + LineSink,
/// lines counted, nothing parsed) in this process, then the real
/// `authgear-migrate verify --lookup-limit 0` (one export, streamed) in its own process.
/// Prints the download's wall time and CPU, verify's wall time, CPU (user + sys, from wait4),
/// its CPU beyond the download (verify's CPU minus the download's) and its peak memory.
enum VerifyBench {
    static func run(records: Int, dir: String) throws {
        let bin = BenchSandbox.binary
        let source = try BenchData.file(count: records, format: "ndjson", dir: dir)
        let work = NSTemporaryDirectory() + "verify-bench-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let sandbox = try BenchSandbox(work: work)
        defer { sandbox.stop() }
        var env = ProcessInfo.processInfo.environment.merging(sandbox.env) { $1 }
        env["XDG_STATE_HOME"] = work + "/state"
        let journal = work + "/journal.sqlite"
        let importStart = Date()
        let (importStatus, _) = try EngineBench.spawnAndWait([bin, "import", source, "--yes", "--skip-invalid", "--journal", journal,
                                                               "--concurrency", "4"], env: env)
        let importWall = Date().timeIntervalSince(importStart)
        print("import of \(records) records: exit \(importStatus), \(String(format: "%.1f", importWall)) s")

        let download = try downloadAlone(env: sandbox.env)
        print(String(format: "export on the server (POST until completed): %.1f s; download alone: %d lines, %d MB, wall %.2f s, client CPU %.2f s",
                     download.exportSeconds, download.lines, download.bytes / 1_000_000, download.wall, download.cpu))

        let out = work + "/verify.out"
        let start = Date()
        let (status, usage) = try EngineBench.spawnAndWait(["/bin/sh", "-c", "exec \"$0\" verify --journal \"$1\" --json --lookup-limit 0 > \"$2\"",
                                                            bin, journal, out], env: env)
        let wall = Date().timeIntervalSince(start)
        let cpu = seconds(usage.ru_utime) + seconds(usage.ru_stime)
        let summary = (try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: "\n").last.map(String.init) ?? "(no output)"
        print("| users | verify exit | verify wall s | download wall s | client CPU s | download CPU s | client CPU beyond the download s | client peak MB |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        print(String(format: "| %d | %d | %.1f | %.1f | %.2f | %.2f | %.2f | %.0f |", records, status, wall, download.wall, cpu, download.cpu,
                     cpu - download.cpu, Double(usage.ru_maxrss) / 1024))
        print("summary: \(summary)")
    }

    static func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }

    static func selfCPU() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// One export created and downloaded with verify's own client stack, its lines counted only.
    static func downloadAlone(env: [String: String]) throws -> (exportSeconds: Double, wall: Double, cpu: Double, lines: Int, bytes: Int) {
        let pem = try [UInt8](Data(contentsOf: URL(fileURLWithPath: try BenchSandbox.require(env, "AUTHGEAR_KEY_FILE"))))
        let signer = try AdminTokenSigner(pem: pem, keyID: try BenchSandbox.require(env, "AUTHGEAR_KEY_ID"),
                                          projectID: try BenchSandbox.require(env, "AUTHGEAR_PROJECT_ID"))
        let connection = AdminAPIConnection(endpoint: try BenchSandbox.require(env, "AUTHGEAR_ENDPOINT"), tokens: TokenProvider(minter: signer),
                                            transport: CurlTransport(userAgent: "verify-bench"), userAgent: "verify-bench")
        let client = UserExportClient(connection: connection)
        let result = Mutex<Result<(Double, Double, Double, Int, Int), Error>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task {
            do {
                let start = Date()
                let task = try await client.create()
                let url = try await client.waitForDownloadURL(id: task.id)
                let exportSeconds = Date().timeIntervalSince(start)
                let cpuBefore = selfCPU()
                let downloadStart = Date()
                let (lines, bytes) = try await client.download(url: url) { _ in true }
                result.withLock { $0 = .success((exportSeconds, Date().timeIntervalSince(downloadStart), selfCPU() - cpuBefore, lines, bytes)) }
            } catch {
                result.withLock { $0 = .failure(error) }
            }
            done.signal()
        }
        done.wait()
        let (exportSeconds, wall, cpu, lines, bytes) = try result.withLock { $0! }.get()
        return (exportSeconds, wall, cpu, lines, bytes)
    }
}
