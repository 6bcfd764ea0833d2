import Foundation
import MigrationEngine
import TestSupport
import XCTest

/// Every command that confirms asks the same way: `retry --failed` like `import`; without a
/// terminal and without --yes nothing is sent; any answer but yes ends with "nothing sent: …".
/// The terminal is a real pty (`script`), so the binary sees `isatty(0)`.
final class CLIConfirmTests: SandboxTestCase {
    private var journal: String { sandbox.dir + "/journal.sqlite" }

    private func cli(_ args: [String]) throws -> CLIProcess.Output {
        try CLIProcess.run(args + ["--journal", journal], env: sandbox.cliEnvironment, in: sandbox.dir)
    }

    /// Runs the binary on a pseudo-terminal and types `answer` (then end of input).
    private func onTerminal(_ args: [String], answer: String) throws -> (status: Int32, output: String) {
        let quoted = ([CLIProcess.binary.path] + args + ["--journal", journal]).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }
        let outPath = sandbox.dir + "/pty-" + UUID().uuidString
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        let input = Pipe()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-qec", quoted.joined(separator: " "), "/dev/null"]
        p.environment = sandbox.cliEnvironment
        p.currentDirectoryURL = URL(fileURLWithPath: sandbox.dir)
        p.standardInput = input
        p.standardOutput = out
        p.standardError = out
        try p.run()
        input.fileHandleForWriting.write(Data((answer + "\n").utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        try out.close()
        return (p.terminationStatus, String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self))
    }

    /// A run of three records whose second fails on the server (its phone belongs to another user).
    private func runWithOneFailure() async throws -> RunRecord {
        try await sandbox.control("POST", "/_sandbox/users",
                                  #"{"users":[{"ref":"P","identities":[{"type":"login_id","key":"phone","value":"+6591234567"}]}]}"#)
        let csv = sandbox.dir + "/legacy.csv"
        try Data("email,phone_number\nu1@example.com,\nclash@example.com,+6591234567\nu3@example.com,\n".utf8)
            .write(to: URL(fileURLWithPath: csv))
        let imported = try CLIProcess.run(["import", csv, "--yes", "--journal", journal], env: sandbox.cliEnvironment, in: sandbox.dir)
        XCTAssertEqual(imported.status, 1, imported.stderr)
        return try XCTUnwrap(try Journal(path: journal).runs().first)
    }

    private func batchCount(_ run: RunRecord) throws -> Int { try Journal(path: journal).batches(run: run.id).count }

    func testRetryFailedAsksFirstAndSendsNothingUnlessConfirmed() async throws {
        let run = try await runWithOneFailure()
        let before = try batchCount(run)

        let headless = try cli(["retry", "--failed"])
        XCTAssertEqual(headless.status, 2, headless.stderr)
        XCTAssertTrue(headless.stderr.contains("Will re-send 1 failed record of run \(run.id.prefix(8))"), headless.stderr)
        XCTAssertTrue(headless.stderr.contains("nothing sent: no terminal to confirm on; pass --yes"), headless.stderr)
        XCTAssertEqual(try batchCount(run), before, "a refused retry plans nothing")

        let declined = try onTerminal(["retry", "--failed"], answer: "no")
        XCTAssertEqual(declined.status, 2, declined.output)
        XCTAssertTrue(declined.output.contains("Type yes to continue"), declined.output)
        XCTAssertTrue(declined.output.contains(#"nothing sent: the answer was "no", not yes"#), declined.output)
        XCTAssertEqual(try batchCount(run), before, "a declined retry plans nothing")

        let confirmed = try onTerminal(["retry", "--failed"], answer: "yes")
        XCTAssertEqual(confirmed.status, 1, "the record still clashes: \(confirmed.output)")
        XCTAssertEqual(try batchCount(run), before + 1)

        let scripted = try cli(["retry", "--failed", "--yes"])
        XCTAssertEqual(scripted.status, 1, scripted.stderr)
        XCTAssertEqual(try batchCount(run), before + 2)

        // One row, said as one.
        let report = try cli(["report", "--outcome", "failed", "-o", sandbox.dir + "/failed.csv"])
        XCTAssertEqual(report.status, 0, report.stderr)
        XCTAssertTrue(report.stderr.contains("wrote 1 row to "), report.stderr)
    }

    func testImportAnsweredWithAnythingButYesSaysNothingWasSent() async throws {
        let source = sandbox.writeSource("a.ndjson", count: 3)
        let declined = try onTerminal(["import", source], answer: "y")
        XCTAssertEqual(declined.status, 2, declined.output)
        XCTAssertTrue(declined.output.contains("Will send 3 records"), declined.output)
        XCTAssertTrue(declined.output.contains(#"nothing sent: the answer was "y", not yes"#), declined.output)
        XCTAssertTrue(try Journal(path: journal).runs().isEmpty, "no run was started")
        let users = try await sandbox.users()
        XCTAssertTrue(users.isEmpty)
    }
}
