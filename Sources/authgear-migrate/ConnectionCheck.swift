import Synchronization
import AuthgearAPI
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
        var steps: [Step] = []
        _ = run(connection, passphrase: passphrase, warn: warn, into: &steps)
        return steps
    }

    /// Whether the steps stopped at the settings: the check could not run at all (exit 2).
    static func settingsFailed(_ steps: [Step]) -> Bool {
        steps.first.map { $0.name == "settings" && !$0.ok } ?? true
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
            var info: UnsafeMutablePointer<addrinfo>?
            if getaddrinfo(host, nil, nil, &info) == 0 {
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

            let tokens = TokenProvider(minter: signer)
            let transport = CurlTransport(userAgent: "authgear-migrate/\(AuthgearMigrate.version)", caFile: settings.caFile?.value)
            let url = settings.endpoint.value + "/_api/admin/users/import/userimport_00000000000000000000000000000000"
            let result = blockingSend(transport: transport, tokens: tokens, url: url)
            switch result {
            case .failure(let error):
                let tls = settings.endpoint.value.lowercased().hasPrefix("https://")
                var fix: String? = tls ? "for a private CA pass --ca-file; check the host and port" : "check the host and port; is the server running?"
                if case .certificate = error { fix = nil }  // the message names the certificate problem and what to do
                steps.append(Step(name: tls ? "connection and TLS" : "connection", ok: false, detail: error.description, fix: fix))
                return 1
            case .success(let response):
                let tls = settings.endpoint.value.lowercased().hasPrefix("https://")
                steps.append(Step(name: tls ? "connection and TLS" : "connection", ok: true, detail: "HTTP \(response.status) from the server" + (tls ? " (certificate verified)" : ""), fix: nil))
                let serverDate = response.header("Date").flatMap(HTTPDate.parse)
                let skew = serverDate.map { Date().timeIntervalSince($0) }
                let body = String(decoding: response.body, as: UTF8.self)
                if response.status == 404, body.contains("TaskNotFound") {
                    steps.append(Step(name: "authentication", ok: true, detail: "the server accepted the token (404 TaskNotFound for a job that cannot exist)", fix: nil))
                } else {
                    let error = ResponseClassifier.error(for: response, jobID: nil, now: Date())
                    steps.append(Step(name: "authentication", ok: false, detail: error.description, fix: nil))
                }
                if let skew {
                    let ok = abs(skew) < 240
                    steps.append(Step(name: "clock", ok: ok, detail: String(format: "local clock %+.0f s from the server's", skew),
                                      fix: ok ? nil : "synchronise this machine's clock (NTP): tokens are refused beyond 5 minutes of skew"))
                }
                return steps.allSatisfy(\.ok) ? 0 : 1
            }
        }
    }

    private static func blockingSend(transport: CurlTransport, tokens: TokenProvider, url: String) -> Result<HTTPResponse, TransportError> {
        let box = Mutex<Result<HTTPResponse, TransportError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            let auth = (try? await tokens.authorizationValue()) ?? ""
            let request = HTTPRequest(method: "GET", url: url, headers: [HTTPHeader("Authorization", auth)], timeout: 30)
            let r: Result<HTTPResponse, TransportError>
            do throws(TransportError) { r = .success(try await transport.send(request)) } catch { r = .failure(error) }
            box.withLock { $0 = r }
            done.signal()
        }
        done.wait()
        return box.withLock { $0! }
    }

}
