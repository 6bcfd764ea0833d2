import Foundation
import MigrationEngine

/// The go / no-go after a canary (`import --canary N`): prints the canary's outcomes and warnings,
/// then goes on when the operator says so on a terminal, or with --yes when none of them failed.
enum CanaryGate {
    enum Decision { case go, stop }

    /// `status`: the exit status of the canary pass. Anything but a canary stop (the run finished
    /// because the canary was all there was, or stopped for another reason) ends the command there.
    static func decide(run: RunRecord, journal: Journal, yes: Bool, canAsk: Bool, status: Int32) throws -> Decision {
        guard let now = try journal.run(id: run.id), now.state == .paused, now.pausedReason == "canary" else { return .stop }
        let results = try Canary.results(run: run.id, journal: journal)
        let remaining = try Canary.remaining(run: run.id, journal: journal)
        var lines = ["canary: \(results.count.counted("record")) done:"]
        for r in results {
            var line = "  record \(r.record): \(r.outcome)" + (r.userID.map { " \($0)" } ?? "")
            if !r.outcome.isSuccess { line += " — \(r.errorReason ?? "failed"): \(r.errorMessage ?? "")" }
            lines.append(line)
            for w in r.warnings { lines.append("      warning: \(w)") }
        }
        let failed = results.filter { !$0.outcome.isSuccess }.count
        let short = run.id.prefix(8)
        let later = "the run is paused (canary); `authgear-migrate resume --run \(short)` sends the other \(remaining.counted("record"))"
        err(lines.joined(separator: "\n"))
        if yes {
            if failed == 0 { err("canary passed (no failures): sending the other \(remaining.counted("record"))"); return .go }
            err("canary: \(failed.groupedDigits) of \(results.count.counted("record")) failed: stopped (--yes goes on only after a clean canary); \(later) once you have looked (`authgear-migrate report --run \(short) --outcome failed`)")
            return .stop
        }
        guard canAsk else { err("stopped after the canary: \(later)"); return .stop }
        FileHandle.standardError.write(Data("Send the other \(remaining.counted("record"))? Type yes to continue: ".utf8))
        if readLine(strippingNewline: true)?.trimmingCharacters(in: .whitespaces).lowercased() == "yes" { return .go }
        err("stopped after the canary: \(later)")
        return .stop
    }

    private static func err(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
}
