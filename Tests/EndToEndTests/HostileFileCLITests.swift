import Foundation
import TestSupport
import XCTest

/// The real binary on hostile source files: a hash on a broken line, a FIFO, a file truncated
/// while it is read. Every run has a time limit, so a regression fails instead of hanging.
final class HostileFileCLITests: XCTestCase {
    struct Run { var status: Int32; var signalled: Bool; var stdout: String; var stderr: String }

    private var dir = ""

    override func setUp() {
        dir = makeTempDirectory(prefix: "cli-hostile").path   // removed after the test
    }

    /// Starts the binary; output goes to files so that it never blocks on a pipe.
    private func start(_ args: [String]) throws -> (Process, String, String) {
        let p = Process()
        p.executableURL = CLIProcess.binary
        p.arguments = args
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = dir + "/state"
        p.environment = env
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = dir + "/out-" + UUID().uuidString, err = dir + "/err-" + UUID().uuidString
        FileManager.default.createFile(atPath: out, contents: nil)
        FileManager.default.createFile(atPath: err, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        p.standardInput = FileHandle.nullDevice
        try p.run()
        return (p, out, err)
    }

    /// Waits for `p` at most `seconds`; on timeout calls `unblock`, kills it and fails.
    private func finish(_ started: (Process, String, String), within seconds: Double, unblock: () -> Void = {}) -> Run {
        let (p, out, err) = started
        let deadline = Date().addingTimeInterval(seconds)
        while p.isRunning, Date() < deadline { usleep(20_000) }
        if p.isRunning {
            XCTFail("\(p.arguments ?? []) still running after \(seconds) s")
            unblock()
            p.terminate()
            p.waitUntilExit()
        }
        p.waitUntilExit()
        let o = FileManager.default.contents(atPath: out) ?? Data()
        let e = FileManager.default.contents(atPath: err) ?? Data()
        return Run(status: p.terminationStatus, signalled: p.terminationReason == .uncaughtSignal,
                   stdout: String(decoding: o, as: UTF8.self), stderr: String(decoding: e, as: UTF8.self))
    }

    private func write(_ name: String, _ text: String) -> String {
        let path = dir + "/" + name
        FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }

    // MARK: - Item: secrets in excerpts

    func testValidateOfASyntaxErrorNextToAHashDoesNotPrintTheHash() throws {
        let hash = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"
        let totp = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
        let path = write("users.json", "[\n"
            + #"{"email":"a@example.com","password":{"type":"bcrypt","password_hash":"\#(hash)"},"mfa":{"totp":{"secret":"\#(totp)"}}} {"email":"b@example.com"}"#
            + "\n]\n")
        let r = finish(try start(["validate", path]), within: 60)
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("users.json:2:"), r.stderr)
        XCTAssertTrue(r.stderr.contains("••••"), r.stderr)
        XCTAssertFalse(r.stderr.contains("R9h/cIPz0gi"), r.stderr)
        XCTAssertFalse(r.stderr.contains("jWMUW"), r.stderr)
        XCTAssertFalse(r.stderr.contains("GEZDGNBV"), r.stderr)
        XCTAssertFalse(r.stdout.contains("R9h/cIPz0gi"), r.stdout)
    }

    // MARK: - Item: special files

    func testValidateOfAFIFOExitsTwoAtOnce() throws {
        let fifo = dir + "/users.json"
        XCTAssertEqual(mkfifo(fifo, 0o600), 0)
        let r = finish(try start(["validate", fifo]), within: 20, unblock: {
            let fd = open(fifo, O_WRONLY | O_NONBLOCK)
            if fd >= 0 { close(fd) }
        })
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains(fifo), r.stderr)
        XCTAssertTrue(r.stderr.contains("FIFO"), r.stderr)
    }

    // MARK: - Item: a source truncated while it is read

    /// Runs `args` (which read `source`) and truncates `source` to `size` between its mapping
    /// and the end of its reading: as soon as the source shows in the binary's memory map, the
    /// binary is stopped (SIGSTOP), the file is cut, and it goes on (SIGCONT). The source is
    /// large enough that indexing and validating it takes far longer than noticing the mapping.
    private func runTruncatingSource(_ source: String, to size: off_t, args: [String]) throws -> Run {
        let started = try start(args)
        let pid = started.0.processIdentifier
        let mappedPath = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
        let deadline = Date().addingTimeInterval(60)
        var mapped = false
        while !mapped, started.0.isRunning, Date() < deadline {
            if let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8), maps.contains(mappedPath) { mapped = true } else { usleep(200) }
        }
        XCTAssertTrue(mapped, "the binary never mapped \(mappedPath)")
        guard mapped else { return finish(started, within: 60) }
        kill(pid, SIGSTOP)
        while let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")"), !stat[close...].hasPrefix(") T") { usleep(200) }
        XCTAssertEqual(truncate(source, size), 0)
        kill(pid, SIGCONT)
        return finish(started, within: 120)
    }

    private func bigSource() -> (path: String, text: String) {
        var text = ""
        text.reserveCapacity(12 << 20)
        for i in 0..<200_000 { text += #"{"email":"user\#(i)@example.com","name":"User \#(i)"}"# + "\n" }
        return (write("users.ndjson", text), text)
    }

    func testValidateOfASourceTruncatedWhileReadExitsTwoAndWorksOnceRestored() throws {
        let (source, text) = bigSource()
        let r = try runTruncatingSource(source, to: 100_000, args: ["validate", source])
        XCTAssertFalse(r.signalled, "killed by signal \(r.status): \(r.stderr.prefix(2000))")
        XCTAssertEqual(r.status, 2, String(r.stderr.prefix(2000)))
        XCTAssertTrue(r.stderr.contains(source), r.stderr)
        XCTAssertTrue(r.stderr.contains("changed while being read"), r.stderr)
        XCTAssertFalse(r.stderr.contains("Backtrace"), r.stderr)
        // Restored, the same command works.
        FileManager.default.createFile(atPath: source, contents: Data(text.utf8))
        let again = finish(try start(["validate", source]), within: 120)
        XCTAssertEqual(again.status, 0, again.stderr)
    }

    func testASIGBUSThatIsNotAFaultInTheSourceStillKillsTheProcess() throws {
        // The fault guard handles only faults inside a source mapping; anything else, such as
        // `kill -BUS`, goes to the action installed before it: the Swift runtime's crash
        // reporter, or the default action (the process dies).
        let (source, _) = bigSource()
        let started = try start(["validate", source])
        let pid = started.0.processIdentifier
        let mappedPath = URL(fileURLWithPath: source).resolvingSymlinksInPath().path
        let deadline = Date().addingTimeInterval(60)
        var mapped = false
        while !mapped, started.0.isRunning, Date() < deadline {
            if let maps = try? String(contentsOfFile: "/proc/\(pid)/maps", encoding: .utf8), maps.contains(mappedPath) { mapped = true } else { usleep(200) }
        }
        XCTAssertTrue(mapped)
        kill(pid, SIGBUS)
        let r = finish(started, within: 120)
        XCTAssertTrue(r.signalled || r.stderr.contains("Program crashed: Bus error"), "status \(r.status): \(r.stderr.prefix(500))")
        XCTAssertFalse(r.stderr.contains("changed while being read"), r.stderr)
    }

    func testExportOfASourceTruncatedWhileReadWritesNothing() throws {
        let (source, _) = bigSource()
        let out = dir + "/import.json"
        let r = try runTruncatingSource(source, to: 100_000, args: ["export", source, "-o", out])
        XCTAssertFalse(r.signalled, "killed by signal \(r.status): \(r.stderr.prefix(2000))")
        XCTAssertEqual(r.status, 2, String(r.stderr.prefix(2000)))
        XCTAssertTrue(r.stderr.contains("changed while being read"), r.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out))
    }
}

