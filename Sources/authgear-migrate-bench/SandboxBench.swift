import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore
import Sandbox

/// Load test of the sandbox (a benchmark, not a test): concurrent 1,000-record POSTs over
/// loopback through the real client stack (JWT signing, libcurl), then the worker's
/// processing rate. Prints requests/s, records/s and POST latency percentiles.
enum SandboxBench {
    static func run(requests: Int, concurrency: Int) async throws {
        let dir = NSTemporaryDirectory() + "sandbox-bench-" + UUID().uuidString
        let server = try await SandboxServer.start(dir: dir, recordLatency: 0)
        let signer = try AdminTokenSigner(keyFile: server.keyFilePath, keyID: "test-kid", projectID: "myapp")
        let client = ImportClient(endpoint: server.endpoint, projectID: "myapp", tokens: TokenProvider(minter: signer),
                                  transport: CurlTransport(userAgent: "authgear-migrate-bench"), userAgent: "authgear-migrate-bench")
        let bodies: [[UInt8]] = (0..<requests).map { r in
            var records: [JSONValue] = []
            for i in 0..<1000 {
                records.append(.obj(["email": .string("load\(r)-\(i)@example.com"), "name": .string("Load \(i)"),
                                     "email_verified": .bool(true)]))
            }
            return ImportClient.requestBody(identifier: "email", upsert: false, records: records)
        }
        let start = Date()
        let latencies = try await withThrowingTaskGroup(of: (Double, String).self) { group in
            var next = 0
            var out: [(Double, String)] = []
            func add() {
                let body = bodies[next]
                next += 1
                group.addTask {
                    let t = Date()
                    let job = try await client.createJob(body: body)
                    return (Date().timeIntervalSince(t), job.id)
                }
            }
            for _ in 0..<min(concurrency, requests) { add() }
            while let r = try await group.next() {
                out.append(r)
                if next < requests { add() }
            }
            return out
        }
        let postWall = Date().timeIntervalSince(start)
        // Wait for the worker to finish every job.
        var pending = latencies.map(\.1)
        while !pending.isEmpty {
            try await Task.sleep(nanoseconds: 50_000_000)
            var still: [String] = []
            for id in pending where try await client.getJob(id: id).status != .completed { still.append(id) }
            pending = still
        }
        let total = Date().timeIntervalSince(start)
        let sorted = latencies.map(\.0).sorted()
        func pct(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000 }
        print("| POSTs | records/POST | concurrency | POST requests/s | POST p50 ms | POST p99 ms | records processed/s (to completion) |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        print(String(format: "| %d | 1000 | %d | %.1f | %.1f | %.1f | %.0f |", requests, concurrency, Double(requests) / postWall,
                     pct(0.5), pct(0.99), Double(requests * 1000) / total))
        await server.shutdown()
    }
}
