import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore
import MigrationEngine
import MigratorUI
import Synchronization
import TerminalKit

/// Responsiveness of the TUI on a large source (a benchmark, not a test):
///  - first frame of the real binary in tmux (spawn → the first record on screen);
///  - key → frame latency (update + render + diff) while validation runs and after;
///  - time until a filter over all records shows its first matches;
///  - frames per second and key latency during a live import into a real sandbox.
enum TUIBench {
    static func run(records: Int, dir: String) throws {
        let source = try BenchData.file(count: records, format: "authgear", dir: dir)
        let mb = Double((try FileManager.default.attributesOfItem(atPath: source)[.size] as? Int) ?? 0) / 1e6
        emit("source: \(records) records, \(String(format: "%.0f", mb)) MB (\(source)); machine: \(ProcessInfo.processInfo.activeProcessorCount) cores")
        emit("| measurement | result | target |")
        emit("|---|---|---|")
        firstFrameInTmux(source)
        try keysAndFilters(source)
        try liveImport(records: min(records, 100_000), dir: dir)
    }

    /// Prints a line at once (stdout to a file is block-buffered; a long run should show its rows as they come).
    static func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func ms(_ seconds: Double) -> String { String(format: "%.1f ms", seconds * 1000) }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        return sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p))]
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    // MARK: - First frame of the real binary

    static func firstFrameInTmux(_ source: String) {
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("authgear-migrate").path
        var times: [Double] = []
        var sawIndexing = false
        for attempt in 0..<3 {
            let socket = "agm-bench-\(getpid())-\(attempt)"
            let state = NSTemporaryDirectory() + "tui-bench-state-\(UUID().uuidString)"
            let start = now()
            _ = tmux(socket, ["new-session", "-d", "-s", "b", "-x", "120", "-y", "36",
                              "env XDG_STATE_HOME='\(state)' LANG=C.UTF-8 TERM=screen '\(bin)' tui '\(source)'"])
            var first: Double?
            while now() - start < 10 {
                let screen = tmux(socket, ["capture-pane", "-p", "-t", "b"])
                if screen.contains("0 ok") || screen.contains("0 err") || screen.contains("0 warn") {
                    first = now() - start
                    if screen.contains("indexing") || screen.contains("validating") { sawIndexing = true }
                    break
                }
                usleep(2_000)
            }
            _ = tmux(socket, ["kill-server"])
            try? FileManager.default.removeItem(atPath: state)
            if let first { times.append(first) }
        }
        let median = percentile(times, 0.5)
        emit("| first frame with records, real binary in tmux (median of \(times.count)) | \(ms(median))\(sawIndexing ? ", while indexing/validation continue" : "") | < 300 ms |")
    }

    static func tmux(_ socket: String, _ args: [String]) -> String {
        let out = NSTemporaryDirectory() + "tmux-bench-" + UUID().uuidString
        defer { unlink(out) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = ["tmux", "-u", "-L", socket] + args
        var cargs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { for a in cargs { free(a) } }
        var pid: pid_t = 0
        guard posix_spawnp(&pid, "tmux", &actions, nil, &cargs, environ) == 0 else { return "" }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return String(decoding: FileManager.default.contents(atPath: out) ?? Data(), as: UTF8.self)
    }

    // MARK: - Keys and filters, in process

    /// One key through update, render and the frame diff; seconds.
    static func keyToFrame(_ runtime: UIRuntime, _ key: Key) -> Double {
        let t = now()
        runtime.dispatch(.key(key))
        runtime.renderIfDue(force: true)
        return now() - t
    }

    static func keysAndFilters(_ source: String) throws {
        let t0 = now()
        guard case .opened(let session) = try SourceOpening.open(path: source, format: nil, mappingPath: nil) else { return }
        var state = AppState()
        state.size = (120, 40)
        let terminal = MemoryTerminal(width: 120, height: 40)
        final class NoEffects: EffectHandler { func perform(_ effect: Effect, state: AppState, mailbox: Mailbox) {} }
        let runtime = UIRuntime(terminal: terminal, state: state, handler: NoEffects())
        runtime.dispatch(.sourceOpened(SessionBox(session)))
        runtime.renderIfDue(force: true)
        emit("| first frame in process (open → rendered, index still scanning: \(session.index.isComplete ? "no" : "yes")) | \(ms(now() - t0)) | < 300 ms |")

        // Keys while the whole-file validation pass runs on the other cores.
        let pass = session.workspace.pass
        let finished = Mutex<ValidationReport?>(nil)
        let validating = Thread {
            let report = pass.run()
            finished.withLock { $0 = report }
        }
        validating.start()
        let script: [Key] = Array(repeating: .char("j"), count: 400) + Array(repeating: .pageDown, count: 200) + [.char("G")]
            + Array(repeating: .pageUp, count: 100) + Array(repeating: .char("k"), count: 300) + [.char("g")]
        var during: [Double] = []
        for key in script where finished.withLock({ $0 == nil }) { during.append(keyToFrame(runtime, key)) }
        while finished.withLock({ $0 == nil }) { usleep(10_000) }
        let validationSeconds = now() - t0
        runtime.dispatch(.validationFinished(ValidationReportBox(report: finished.withLock { $0! }, edits: pass.edits)))
        var after: [Double] = []
        for key in script { after.append(keyToFrame(runtime, key)) }
        // Jumps across the file.
        for k in 0..<50 {
            runtime.dispatch(.key(.char(":")))
            for c in String((k * 19_997) % session.count) { runtime.dispatch(.key(.char(c))) }
            after.append(keyToFrame(runtime, .enter))
        }
        emit("| key → frame while validating (\(during.count) keys; validation took \(String(format: "%.1f", validationSeconds)) s) | p50 \(ms(percentile(during, 0.5))), p99 \(ms(percentile(during, 0.99))), max \(ms(during.max() ?? 0)) | p99 < 16 ms |")
        emit("| key → frame after validation (\(after.count) keys: scroll, page, jump) | p50 \(ms(percentile(after, 0.5))), p99 \(ms(percentile(after, 0.99))), max \(ms(after.max() ?? 0)) | p99 < 16 ms |")

        let report = session.report
        for (label, filter) in [("text \"gold\" (1 in 3 records)", RecordFilter.text("gold")), ("text \"bronze\" (1 in 500)", .text("bronze")),
                                ("errors (from the report)", .errors), ("text that only the last record has", .text(".\(session.count - 1)@example.com"))] {
            let start = now()
            var firstMatch: Double?
            var total = 0
            RecordScan.filter(filter, index: session.index, edits: session.workspace.edits, report: report) { rows, _ in
                if firstMatch == nil, !rows.isEmpty { firstMatch = now() - start }
                total += rows.count
            }
            let all = now() - start
            emit("| filter \(label): first matches / all \(total) rows | \(ms(firstMatch ?? all)) / \(ms(all)) | first < 100 ms |")
        }
    }

    // MARK: - Live import

    /// A terminal that delivers a key every 50 ms and records when frames are shown.
    final class PacedTerminal: Terminal {
        let size = (width: 120, height: 40)
        var presents: [Double] = []
        var keyLatencies: [Double] = []
        private var nextKey = TUIBench.now() + 0.05
        private var pendingKey: Double?
        let done: () -> Bool
        private var quitSent = false

        init(done: @escaping () -> Bool) { self.done = done }

        func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
            if done() {
                // Once the engine has ended: Esc (closes a quit confirmation asked while the end was
                // still in the mailbox), then q, until the runtime stops.
                usleep(UInt32(max(1, timeoutMilliseconds)) * 1000)
                quitSent.toggle()
                return .key(quitSent ? .escape : .char("q"))
            }
            let wait = max(0, min(Double(timeoutMilliseconds) / 1000, nextKey - TUIBench.now()))
            usleep(UInt32(wait * 1e6))
            guard TUIBench.now() >= nextKey else { return nil }
            nextKey += 0.05
            pendingKey = TUIBench.now()
            return .key(.char(Bool.random() ? "j" : "k"))
        }

        func present(_ frame: ScreenBuffer) {
            let t = TUIBench.now()
            presents.append(t)
            if let k = pendingKey { keyLatencies.append(t - k); pendingKey = nil }
        }

        func restore() {}
    }

    static func liveImport(records: Int, dir: String) throws {
        let source = try BenchData.file(count: records, format: "ndjson", dir: dir)
        let work = NSTemporaryDirectory() + "tui-bench-" + UUID().uuidString
        let sandbox = try BenchSandbox(work: work)
        defer { sandbox.stop(); try? FileManager.default.removeItem(atPath: work) }
        let env = sandbox.env
        guard case .opened(let session) = try SourceOpening.open(path: source, format: nil, mappingPath: nil) else { return }
        try session.index.waitUntilComplete()
        session.workspace.validate()
        let journal = try Journal(path: work + "/journal.sqlite")
        let run = try RunCoordinator.startRun(workspace: session.workspace, journal: journal, endpoint: env["AUTHGEAR_ENDPOINT"]!,
                                              projectID: env["AUTHGEAR_PROJECT_ID"]!, mappingPath: nil, editsPath: work + "/edits.json")
        let signer = try AdminTokenSigner(keyFile: env["AUTHGEAR_KEY_FILE"]!, keyID: env["AUTHGEAR_KEY_ID"]!, projectID: env["AUTHGEAR_PROJECT_ID"]!,
                                          passphrase: .standard(environment: [:]), allowInsecureKeyFile: false)
        let client = ImportClient(endpoint: env["AUTHGEAR_ENDPOINT"]!, projectID: env["AUTHGEAR_PROJECT_ID"]!, tokens: TokenProvider(minter: signer),
                                  transport: CurlTransport(userAgent: "authgear-migrate-bench", caFile: nil), userAgent: "authgear-migrate-bench")
        var state = AppState()
        state.session = session
        state.screen = .progress
        final class Flag: Sendable { let value = Atomic<Bool>(false) }
        let ended = Flag()
        let terminal = PacedTerminal(done: { ended.value.load(ordering: .relaxed) })
        final class NoEffects: EffectHandler { func perform(_ effect: Effect, state: AppState, mailbox: Mailbox) {} }
        let runtime = UIRuntime(terminal: terminal, state: state, handler: NoEffects())
        let mailbox = runtime.mailbox
        mailbox.post(.runStarted(runID: run.id, batches: [], base: OutcomeCounts()))
        var options = MigrationRunner.Options()
        options.concurrency = 4
        let runner = MigrationRunner(journal: journal, runID: run.id, bodies: RequestBodies(workspace: session.workspace),
                                     service: ClientImportService(client: client), options: options, emit: { mailbox.post(.engine($0)) })
        let start = now()
        Task.detached {
            let result: Result<OutcomeCounts, RunStop>
            do throws(RunStop) { result = .success(try await runner.run()) } catch { result = .failure(error) }
            mailbox.post(.runEnded(result))
            ended.value.store(true, ordering: .relaxed)
        }
        runtime.run()
        let wall = now() - start
        // Frames per second in each whole second of the run.
        var perSecond = [Int](repeating: 0, count: max(1, Int(wall)))
        for t in terminal.presents where t - start < Double(perSecond.count) { perSecond[Int(t - start)] += 1 }
        let counts = runtime.state.run.counts
        emit("| live import of \(records) records into the sandbox (\(String(format: "%.1f", wall)) s, \(counts.total) results) | frames/s min \(perSecond.min() ?? 0), median \(percentile(perSecond.map(Double.init), 0.5)); key → frame p99 \(ms(percentile(terminal.keyLatencies, 0.99))) (\(terminal.keyLatencies.count) keys) | ≥ 2 frames/s, keys responsive |")
    }
}
