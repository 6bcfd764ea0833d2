import Foundation
import MigrationCore
import MigrationEngine
import TestSupport
import XCTest

/// A run whose records carry bcrypt hashes and TOTP secrets leaves none of them in the journal
/// (database and WAL), the reports, or anything the CLI prints.
final class SecretsTests: SandboxTestCase {
    static let bcryptAlphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
    static let base32Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")


    func testNoHashOrSecretAppearsInJournalReportsOrOutput() async throws {
        let sandbox = try XCTUnwrap(self.sandbox)
        // Re-sent batches and retries put every code path that stores server answers to work.
        try await sandbox.setFaults(#"{"seed": 9, "http": [{"kind": "status", "status": 500, "processed": true, "share": 0.3, "methods": ["POST"]}]}"#)

        var generator = SplitMix64(seed: 42)
        var secrets: [String] = []
        let count = 80
        var text = ""
        for i in 0..<count {
            let hash = "$2a$10$" + String((0..<53).map { _ in Self.bcryptAlphabet.randomElement(using: &generator)! })
            let mfaHash = "$2b$12$" + String((0..<53).map { _ in Self.bcryptAlphabet.randomElement(using: &generator)! })
            let totp = String((0..<32).map { _ in Self.base32Alphabet.randomElement(using: &generator)! })
            // Record 0 uses the well-known example secret.
            let secret = i == 0 ? "JBSWY3DPEHPK3PXP" : totp
            secrets += [hash, String(hash.dropFirst(7)), mfaHash, String(mfaHash.dropFirst(7)), secret]
            text += #"{"email":"\#(SandboxHarness.email(i))","password":{"type":"bcrypt","password_hash":"\#(hash)"},"#
                + #""mfa":{"password":{"type":"bcrypt","password_hash":"\#(mfaHash)"},"totp":{"secret":"\#(secret)"}}}"# + "\n"
        }
        let source = sandbox.dir + "/secrets.ndjson"
        _ = FileManager.default.createFile(atPath: source, contents: Data(text.utf8))

        let journalPath = sandbox.dir + "/journal.sqlite"
        let env = sandbox.cliEnvironment
        var outputs: [CLIProcess.Output] = []
        func cli(_ args: [String]) throws -> CLIProcess.Output {
            let out = try CLIProcess.run(args, env: env, in: sandbox.dir)
            outputs.append(out)
            return out
        }

        let first = try cli(["import", source, "--yes", "--journal", journalPath, "--max-records", "10", "--json"])
        XCTAssertEqual(first.status, 0, first.stderr)
        // A second run of every record (--all: by default a delta launch would send none): every user
        // exists, the server answers `skipped` with its warnings.
        let second = try cli(["import", source, "--yes", "--all", "--journal", journalPath, "--max-records", "10"])
        XCTAssertEqual(second.status, 0, second.stderr)
        let runs = try Journal(path: journalPath).runs()
        XCTAssertEqual(runs.count, 2)
        for run in runs {
            for args in [["status"], ["status", "--json"], ["report", "--format", "ndjson"], ["report", "--format", "csv"],
                         ["report", "--user-map"], ["runs"]] {
                let out = try cli(args + ["--journal", journalPath] + (args == ["runs"] ? [] : ["--run", run.id]))
                XCTAssertEqual(out.status, 0, "\(args): \(out.stderr)")
            }
            let latest = try Journal(path: journalPath).latestResults(run: run.id)
            XCTAssertEqual(latest.count, count)
        }
        let reportFile = sandbox.dir + "/report.ndjson"
        XCTAssertEqual(try cli(["report", "--journal", journalPath, "--format", "ndjson", "-o", reportFile]).status, 0)
        let retry = try cli(["retry", "--skipped", "--yes", "--journal", journalPath, "--run", runs[0].id])
        XCTAssertEqual(retry.status, 0, retry.stderr)

        // The import really carried the secrets: the sandbox stored them (it lists TOTP authenticators).
        let listing = try await sandbox.control("GET", "/_sandbox/users")
        XCTAssertEqual(listing["users"]?.arrayValue?.count, count)
        XCTAssertTrue(listing.jsonText.contains(#""type":"totp""#))

        var haystacks: [(String, Data)] = []
        for suffix in ["", "-wal", "-shm"] {
            if let data = FileManager.default.contents(atPath: journalPath + suffix) { haystacks.append(("journal" + suffix, data)) }
        }
        XCTAssertTrue(haystacks.contains { $0.0 == "journal" && $0.1.count > 0 })
        haystacks.append(("report file", try XCTUnwrap(FileManager.default.contents(atPath: reportFile))))
        for (i, out) in outputs.enumerated() { haystacks.append(("command \(i) output", out.bytes)) }
        // Anything else the CLI left in its state directory (edits, logs).
        if let files = FileManager.default.enumerator(atPath: sandbox.dir + "/state") {
            for case let f as String in files {
                if let data = FileManager.default.contents(atPath: sandbox.dir + "/state/" + f) { haystacks.append(("state/" + f, data)) }
            }
        }
        for (name, data) in haystacks {
            for secret in secrets where data.range(of: Data(secret.utf8)) != nil {
                XCTFail("\(name) contains \(secret)")
            }
        }
        // The grep itself works: it finds the secrets in the source.
        let sourceBytes = try XCTUnwrap(FileManager.default.contents(atPath: source))
        XCTAssertTrue(secrets.allSatisfy { sourceBytes.range(of: Data($0.utf8)) != nil })
    }
}
