import ArgumentParser
import AuthgearAPI
import ConnectionSetup
import CurlTransport
import Foundation

/// Where to import to, and with which key. Precedence: flags > environment > profile file.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Admin API endpoint, e.g. https://myapp.authgear.cloud (env AUTHGEAR_ENDPOINT).", valueName: "url"))
    var endpoint: String?
    @Option(help: ArgumentHelp("Project ID, used as the token's audience (env AUTHGEAR_PROJECT_ID).", valueName: "id"))
    var projectID: String?
    @Option(help: ArgumentHelp("Admin API key ID, the JWT `kid` (env AUTHGEAR_KEY_ID).", valueName: "kid"))
    var keyID: String?
    @Option(help: ArgumentHelp("Admin API private key, PEM (env AUTHGEAR_KEY_FILE). Encrypted keys: passphrase from AUTHGEAR_KEY_PASSPHRASE, else a prompt on the terminal (tui: AUTHGEAR_KEY_PASSPHRASE only, never a prompt).", valueName: "file"))
    var keyFile: String?
    @Option(help: ArgumentHelp("CA certificates to trust for a private CA (env AUTHGEAR_CA_FILE).", valueName: "file"))
    var caFile: String?
    @Option(help: ArgumentHelp("Named profile in $XDG_CONFIG_HOME/authgear-migrate/profiles.json (env AUTHGEAR_PROFILE; default `default`).", valueName: "name"))
    var profile: String?
    @Flag(help: "Use a key file that group or others can read, or that another user owns (not recommended).")
    var allowInsecureKeyFile = false
    @Flag(help: "Allow plain http:// to a host other than this machine (env AUTHGEAR_ALLOW_INSECURE_HTTP=1): the token and password hashes then travel unencrypted (not recommended; warns on every run).")
    var allowInsecureHTTP = false

    /// The settings, or a usage error (exit 2). An insecure-http override is reported through
    /// `warn` every time (standard error by default; the TUI, which owns the screen, logs it).
    func resolve(warn: (String) -> Void = ConnectionOptions.warnOnStandardError) throws -> ConnectionSettings {
        let settings: ConnectionSettings
        do { settings = try resolveSettings() } catch { throw CLIError.usage(error.description) }
        if let warning = settings.insecureHTTPWarning { warn(warning) }
        return settings
    }

    /// The settings or why they cannot be resolved (nothing printed).
    func resolveSettings() throws(ConnectionSettingsError) -> ConnectionSettings {
        try ConnectionSettings.resolve(
            flags: .init(endpoint: endpoint, projectID: projectID, keyID: keyID, keyFile: keyFile, caFile: caFile, profile: profile,
                         allowInsecureHTTP: allowInsecureHTTP),
            environment: ProcessInfo.processInfo.environment)
    }

    static func warnOnStandardError(_ warning: String) {
        FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
    }

    /// The import client for resolved settings (token signer, libcurl transport).
    /// `passphrase`: how an encrypted key's passphrase is obtained (the TUI, which owns the
    /// terminal, takes it from AUTHGEAR_KEY_PASSPHRASE only; the commands may also prompt).
    func client(_ settings: ConnectionSettings,
                passphrase: PassphraseSource = .standard(environment: ProcessInfo.processInfo.environment)) throws -> ImportClient {
        let signer: AdminTokenSigner
        do {
            signer = try AdminTokenSigner(keyFile: settings.keyFile.value, keyID: settings.keyID.value, projectID: settings.projectID.value,
                                          passphrase: passphrase,
                                          allowInsecureKeyFile: allowInsecureKeyFile)
        } catch {
            throw CLIError.usage(error.description)
        }
        let transport = CurlTransport(userAgent: "authgear-migrate/\(AuthgearMigrate.version)", caFile: settings.caFile?.value)
        return ImportClient(endpoint: settings.endpoint.value, projectID: settings.projectID.value,
                            tokens: TokenProvider(minter: signer), transport: transport,
                            userAgent: "authgear-migrate/\(AuthgearMigrate.version)")
    }
}
