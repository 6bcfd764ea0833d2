import Foundation
import MigrationCore
import MigrationEngine

/// Shows engine events: a live bar on a terminal, a plain line every few seconds otherwise,
/// or NDJSON events on stdout with --json.
final class RunReporter: @unchecked Sendable {
    // @unchecked Sendable: all mutable state is behind `lock`.
    private let lock = NSLock()
    private let json: Bool
    private let tty = isatty(STDERR_FILENO) == 1
    private var lastLine = Date.distantPast
    private var snapshot: ProgressSnapshot?

    init(json: Bool) {
        self.json = json
    }

    func handle(_ event: EngineEvent) {
        lock.lock(); defer { lock.unlock() }
        if json { emitJSON(event); return }
        switch event {
        case .progress(let p):
            snapshot = p
            let now = Date()
            if tty {
                guard now.timeIntervalSince(lastLine) > 0.1 || p.done == p.toSend else { return }
                lastLine = now
                let fraction = p.toSend == 0 ? 1 : Double(p.done) / Double(p.toSend)
                let width = 24
                let filled = min(width, Int(fraction * Double(width)))
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                err("\r\u{1B}[2K\(bar) \(p.done)/\(p.toSend)  ins \(p.counts.inserted) upd \(p.counts.updated) skip \(p.counts.skipped) fail \(p.counts.failed)  \(Int(p.recordsPerSecond)) rec/s" + (p.eta.map { "  ETA \(Int($0))s" } ?? ""))
            } else if now.timeIntervalSince(lastLine) > 5 || p.done == p.toSend {
                lastLine = now
                err("progress: \(p.done)/\(p.toSend) records, inserted \(p.counts.inserted), updated \(p.counts.updated), skipped \(p.counts.skipped), failed \(p.counts.failed), \(Int(p.recordsPerSecond)) records/s\n")
            }
        case .retrying(let batch, let after, let reason):
            clearBar()
            err("batch \(batch): \(reason); retrying in \(String(format: "%.1f", after)) s\n")
        case .recoveryPlanned(let batch, let records, let reason):
            clearBar()
            err("batch \(batch): \(reason); \(records) record(s) will be sent again to confirm their users\n")
        case .paused(let reason):
            clearBar()
            err("paused: \(reason)\n")
        case .finished:
            clearBar()
        default:
            break
        }
    }

    private func clearBar() { if tty { err("\r\u{1B}[2K") } }

    private func err(_ s: String) { FileHandle.standardError.write(Data(s.utf8)) }

    private func emitJSON(_ event: EngineEvent) {
        var m: [JSONMember] = []
        func counts(_ c: OutcomeCounts) -> JSONValue {
            .obj(["inserted": .number(String(c.inserted)), "updated": .number(String(c.updated)),
                  "skipped": .number(String(c.skipped)), "failed": .number(String(c.failed))])
        }
        switch event {
        case .batchSending(let b, let n, let a): m = [.init("event", .string("batch_sending")), .init("batch", .number(String(b))), .init("records", .number(String(n))), .init("attempt", .number(String(a)))]
        case .batchSent(let b, let id): m = [.init("event", .string("batch_sent")), .init("batch", .number(String(b))), .init("job_id", .string(id))]
        case .jobPending: return
        case .batchCompleted(let b, let c, let failures):
            m = [.init("event", .string("batch_completed")), .init("batch", .number(String(b))), .init("counts", counts(c)),
                 .init("failures", .array(failures.map { .obj(["record": .number(String($0.record)), "reason": .string($0.errorReason ?? ""), "message": .string($0.errorMessage ?? "")]) }))]
        case .recoveryPlanned(let b, let n, let r): m = [.init("event", .string("recovery_planned")), .init("batch", .number(String(b))), .init("records", .number(String(n))), .init("reason", .string(r))]
        case .retrying(let b, let after, let r): m = [.init("event", .string("retrying")), .init("batch", .number(String(b))), .init("after_seconds", .number(String(format: "%.3f", after))), .init("reason", .string(r))]
        case .paused(let r): m = [.init("event", .string("paused")), .init("reason", .string(r))]
        case .progress(let p):
            m = [.init("event", .string("progress")), .init("done", .number(String(p.done))), .init("to_send", .number(String(p.toSend))),
                 .init("counts", counts(p.counts)), .init("records_per_second", .number(String(format: "%.1f", p.recordsPerSecond)))]
        case .finished(let c): m = [.init("event", .string("finished")), .init("counts", counts(c))]
        }
        FileHandle.standardOutput.write(Data((JSONValue.object(m).jsonText + "\n").utf8))
    }
}
