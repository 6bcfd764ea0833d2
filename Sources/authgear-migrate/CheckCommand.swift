import Synchronization
import ArgumentParser
import AuthgearAPI
import CurlTransport
import Foundation
import MigrationCore

/// `authgear-migrate check`: proves a connection works before anything is imported.
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Verify the connection settings: endpoint, TLS, key, token, and one harmless authenticated request.",
        discussion: """
        Steps: resolve the settings (flags > AUTHGEAR_* environment > profile), resolve the endpoint's \
        host, sign an Admin API token with the key, and GET an import job that cannot exist: 404 \
        TaskNotFound proves the credentials work, 403 proves they do not. Also reports the server's clock \
        skew (tokens tolerate 5 minutes). Nothing is imported. Exit 0 only when every step passes, 1 when \
        a step fails, 2 when the settings cannot be resolved or are refused (e.g. plain http:// to another host) \
        or the server refuses the credentials (403).
        """
    )

    @OptionGroup var connection: ConnectionOptions
    @Flag(help: "Machine-readable output: one JSON object with every step.") var json = false

    func run() throws {
        try runReportingErrors {
            let (steps, status) = ConnectionCheck.checked(connection)
            report(steps)
            return status
        }
    }

    private func report(_ steps: [ConnectionCheck.Step]) {
        if json {
            let doc = JSONValue.obj([
                "ok": .bool(!steps.isEmpty && steps.allSatisfy(\.ok)),
                "steps": .array(steps.map { s in
                    var m = [JSONMember("step", .string(s.name)), JSONMember("ok", .bool(s.ok)), JSONMember("detail", .string(s.detail))]
                    if let fix = s.fix { m.append(JSONMember("fix", .string(fix))) }
                    return .object(m)
                }),
            ])
            print(doc.jsonText)
            return
        }
        for s in steps {
            print("\(s.ok ? "✓" : "✗") \(s.name): \(s.detail)")
            if let fix = s.fix { print("    fix: \(fix)") }
        }
    }
}
