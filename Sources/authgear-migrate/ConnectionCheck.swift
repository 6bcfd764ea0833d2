import Synchronization
import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation
import MigrationCore

/// The steps of `check` (settings, endpoint, token, connection/TLS, authentication, clock), shared
/// by the `check` command and the TUI's import settings screen.
enum ConnectionCheck {
    struct Step: Sendable { var name: String; var ok: Bool; var detail: String; var fix: String? }

    /// Runs every step, stopping at the first that makes the rest meaningless.
    /// `warn` receives an insecure-http override's warning (also in the settings step's detail).
    static func steps(_ connection: ConnectionOptions,
                      passphrase: PassphraseSource = .standard(environment: ProcessInfo.processInfo.environment),
                      warn: (String) -> Void = ConnectionOptions.warnOnStandardError) -> [Step] {
        checked(connection, passphrase: passphrase, warn: warn).steps
    }

    /// The steps and the exit status README's table gives them: 0 every step passed, 2 the check
    /// could not run (bad or refused settings) or the server refused the credentials (403), else 1.
    static func checked(_ connection: ConnectionOptions,
                        passphrase: PassphraseSource = .standard(environment: ProcessInfo.processInfo.environment),
                        warn: (String) -> Void = ConnectionOptions.warnOnStandardError) -> (steps: [Step], status: Int32) {
        var steps: [Step] = []
        let status = run(connection, passphrase: passphrase, warn: warn, into: &steps)
        return (steps, steps.isEmpty ? 2 : status)
    }

    private static func run(_ connection: ConnectionOptions, passphrase: PassphraseSource, warn: (String) -> Void,
                            into steps: inout [Step]) -> Int32 {
        do {
            let settings: ConnectionSettings
            do { settings = try connection.resolveSettings() } catch {
                // Refusals (plain http://, a bad endpoint) say what to do themselves.
                let fix: String? = if case .missing = error { "give the missing values as flags, AUTHGEAR_* variables or a profile" } else { nil }
                steps.append(Step(name: "settings", ok: false, detail: error.description, fix: fix))
                return 2
            }
            if let warning = settings.insecureHTTPWarning { warn(warning) }
            steps.append(Step(name: "settings", ok: true, detail: settings.report.joined(separator: "; "), fix: nil))

            let host = URLComponents(string: settings.endpoint.value)?.host ?? ""
            // Through a proxy the proxy resolves the host: this machine may not be able to.
            let proxy = NetworkPath.proxy(forURL: settings.endpoint.value)
            var info: UnsafeMutablePointer<addrinfo>?
            if let proxy {
                steps.append(Step(name: "endpoint", ok: true, detail: "\(host) is reached through the proxy \(proxy), which resolves it", fix: nil))
            } else if getaddrinfo(host, nil, nil, &info) == 0 {
                freeaddrinfo(info)
                steps.append(Step(name: "endpoint", ok: true, detail: "\(host) resolves", fix: nil))
            } else {
                steps.append(Step(name: "endpoint", ok: false, detail: "\(host) does not resolve", fix: "check --endpoint (e.g. https://<project-id>.authgear.cloud) and DNS"))
                return 1
            }

            let signer: AdminTokenSigner
            do {
                signer = try AdminTokenSigner(keyFile: settings.keyFile.value, keyID: settings.keyID.value, projectID: settings.projectID.value,
                                              passphrase: passphrase,
                                              allowInsecureKeyFile: connection.allowInsecureKeyFile)
                let token = try signer.mint(at: Date())
                steps.append(Step(name: "token", ok: true, detail: "RS256, kid \(settings.keyID.value), aud \(settings.projectID.value), \(signer.keyBits)-bit key, valid until \(Date(timeIntervalSince1970: Double(token.expiresAt)))", fix: nil))
            } catch {
                steps.append(Step(name: "token", ok: false, detail: "\(error)", fix: nil))
                return 1
            }

            let transport = CurlTransport(userAgent: "authgear-migrate/\(AuthgearMigrate.version)", caFile: settings.caFile?.value)
            let client = ImportClient(endpoint: settings.endpoint.value, projectID: settings.projectID.value,
                                      tokens: TokenProvider(minter: signer), transport: transport,
                                      userAgent: "authgear-migrate/\(AuthgearMigrate.version)", timeout: 30)
            let tls = settings.endpoint.value.lowercased().hasPrefix("https://")
            let connection = tls ? "connection and TLS" : "connection"
            let answer: ProbeAnswer
            var refused = false
            switch blockingProbe(client) {
            case .unreachable(let error):
                var fix: String? = proxy.map { "the connection goes through the proxy \($0): check it, or connect directly (unset \($0.variable), or list \(host) in no_proxy)" }
                    ?? "check the endpoint's host and port" + (tls ? " (https:// needs the port that serves TLS)" : "; is the server running?")
                if case .certificate = error { fix = nil }  // the message names the certificate problem and what to do
                steps.append(Step(name: connection, ok: false, detail: error.description, fix: fix))
                return 1
            case .tokenFailed(let error):
                steps.append(Step(name: "token", ok: false, detail: "\(error)", fix: nil))
                return 1
            case .authenticated(let reply):
                answer = reply
                steps.append(connected(reply, name: connection, tls: tls))
                steps.append(Step(name: "authentication", ok: true, detail: "the server accepted the token (404 TaskNotFound for a job that cannot exist)", fix: nil))
            case .forbidden(let reply, let error):
                answer = reply
                refused = true
                steps.append(connected(reply, name: connection, tls: tls))
                steps.append(Step(name: "authentication", ok: false, detail: error.description, fix: nil))
            case .notAuthgear(let reply, let error):
                answer = reply
                steps.append(connected(reply, name: connection, tls: tls))
                steps.append(notAuthgear(reply, error))
            }
            if let serverDate = answer.serverDate {
                let skew = Date().timeIntervalSince(serverDate)
                let ok = abs(skew) < 240
                steps.append(Step(name: "clock", ok: ok, detail: String(format: "local clock %+.0f s from the server's", skew),
                                  fix: ok ? nil : "synchronise this machine's clock (NTP): tokens are refused beyond 5 minutes of skew"))
            }
            if refused { return 2 }
            return steps.allSatisfy(\.ok) ? 0 : 1
        }
    }

    /// The step for an answer that is not Authgear's to a job that cannot exist (404 TaskNotFound).
    static func notAuthgear(_ answer: ProbeAnswer, _ error: ImportAPIError) -> Step {
        let origin = "give the project's origin as --endpoint / AUTHGEAR_ENDPOINT, e.g. https://<project-id>.authgear.cloud "
            + "(no path: the tool adds /_api/admin/… itself), and check any proxy in between"
        guard answer.status == 404 else { return Step(name: "Authgear API", ok: false, detail: error.description, fix: origin) }
        return Step(name: "Authgear API", ok: false,
                    detail: "HTTP 404 without Authgear's TaskNotFound: this endpoint is not an Authgear server, "
                        + "or its host or port is wrong (nothing was imported, the credentials were not checked)",
                    fix: origin)
    }

    /// The step for a server that answered at all (its status belongs to the next step: a 404
    /// is a success only as Authgear's TaskNotFound).
    private static func connected(_ answer: ProbeAnswer, name: String, tls: Bool) -> Step {
        Step(name: name, ok: true, detail: "reached the server" + (tls ? " (certificate verified)" : ""), fix: nil)
    }

    /// Runs ``ImportClient/probe()`` to its end from synchronous code.
    private static func blockingProbe(_ client: ImportClient) -> ImportProbe {
        let box = Mutex<ImportProbe?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let probe = await client.probe()
            box.withLock { $0 = probe }
            done.signal()
        }
        done.wait()
        return box.withLock { $0! }
    }
}
