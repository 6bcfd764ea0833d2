import Foundation
import AuthgearAPI
import ConnectionSetup
import MigratorLive
import MigratorUI

/// The TUI's target for the live handler: from the connection flags, environment and profile,
/// with what the operator changed in the form applied as flags; the connection check is this
/// executable's (ConnectionCheck), injected here.
extension LiveTarget {
    init(_ connection: ConnectionOptions) {
        let loaded = Self.loadSettings(connection)
        /// The connection options with what the operator changed in the form as flags (the rest keeps its source).
        let options: @Sendable (ImportSettings) -> ConnectionOptions = { s in
            var o = connection
            if s.endpoint != loaded.endpoint { o.endpoint = s.endpoint }
            if s.projectID != loaded.projectID { o.projectID = s.projectID }
            if s.keyID != loaded.keyID { o.keyID = s.keyID }
            if s.keyFile != loaded.keyFile { o.keyFile = s.keyFile }
            return o
        }
        self.init(
            loaded: loaded,
            connect: { s, warn in
                let o = options(s)
                let settings = try o.resolve(warn: warn)
                return Connection(endpoint: settings.endpoint.value, projectID: settings.projectID.value,
                                  makeClient: { try o.client(settings, passphrase: Self.passphrase) })
            },
            check: { s, warn in
                ConnectionCheck.steps(options(s), passphrase: Self.passphrase, warn: warn).map {
                    CheckStep(name: $0.name, ok: $0.ok, detail: $0.detail + ($0.fix.map { " — fix: \($0)" } ?? ""))
                }
            },
            protection: Self.protection)
    }

    /// Why rollback refuses `endpoint` and `projectID`: a profile in profiles.json marks them
    /// `"protected": true` (as `rollback` checks); an unreadable profiles file refuses too.
    @Sendable static func protection(endpoint: String, projectID: String) -> String? {
        guard let path = ProfileFile.defaultPath(environment: ProcessInfo.processInfo.environment) else { return nil }
        do {
            guard let name = try ProfileFile.load(path: path)?.protectedProfile(endpoint: endpoint, projectID: projectID) else { return nil }
            return "its target is protected: profile \"\(name)\" in \(path) has \"protected\": true"
        } catch {
            return "\(path) cannot be read (\(error)): rollback refuses until it can tell whether the target is protected"
        }
    }

    /// The TUI owns the terminal: an encrypted key's passphrase comes from AUTHGEAR_KEY_PASSPHRASE, never a prompt.
    static var passphrase: PassphraseSource { .environment(ProcessInfo.processInfo.environment) }

    /// Target settings as far as flags, environment and profile give them (the form fills the rest).
    static func loadSettings(_ connection: ConnectionOptions) -> ImportSettings {
        var s = ImportSettings()
        let env = ProcessInfo.processInfo.environment
        if let resolved = try? connection.resolve(warn: { _ in }) {
            s.endpoint = resolved.endpoint.value
            s.projectID = resolved.projectID.value
            s.keyID = resolved.keyID.value
            s.keyFile = resolved.keyFile.value
        } else {
            s.endpoint = connection.endpoint ?? env["AUTHGEAR_ENDPOINT"] ?? ""
            s.projectID = connection.projectID ?? env["AUTHGEAR_PROJECT_ID"] ?? ""
            s.keyID = connection.keyID ?? env["AUTHGEAR_KEY_ID"] ?? ""
            s.keyFile = connection.keyFile ?? env["AUTHGEAR_KEY_FILE"] ?? ""
        }
        return s
    }
}
