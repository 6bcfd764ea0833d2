import AuthgearAPI

/// Where the passphrase of an encrypted Admin API key comes from.
///
/// Asked only when the key turns out to be encrypted. Never a command-line argument: argv is
/// visible to every user of the machine through `ps`.
public struct PassphraseSource: Sendable {
    /// Name of the environment variable holding the passphrase.
    public static let environmentVariable = "AUTHGEAR_KEY_PASSPHRASE"

    private let obtain: @Sendable (_ keyPath: String) -> [UInt8]?

    /// A source that returns the passphrase bytes for the key at `keyPath`, or `nil` when it has none.
    public init(_ obtain: @escaping @Sendable (_ keyPath: String) -> [UInt8]?) {
        self.obtain = obtain
    }

    /// The passphrase bytes for the key at `keyPath`, or `nil` if this source has none.
    public func passphrase(forKeyAt keyPath: String) -> [UInt8]? { obtain(keyPath) }

    /// No passphrase: encrypted keys fail with ``TokenSigningError/passphraseRequired(path:)``.
    public static let none = PassphraseSource { _ in nil }

    /// A fixed passphrase (tests, or a caller that obtained it elsewhere).
    public static func fixed(_ passphrase: String) -> PassphraseSource {
        PassphraseSource { _ in Array(passphrase.utf8) }
    }

    /// The value of `AUTHGEAR_KEY_PASSPHRASE` in `environment`, if set and non-empty.
    public static func environment(_ environment: [String: String]) -> PassphraseSource {
        let value = environment[environmentVariable]
        return PassphraseSource { _ in
            guard let value, !value.isEmpty else { return nil }
            return Array(value.utf8)
        }
    }

    /// Asks on the controlling terminal (`/dev/tty`) with echo off; `nil` without a terminal
    /// or when the user presses Ctrl-C / Ctrl-D.
    public static let terminalPrompt = PassphraseSource { path in
        TerminalPassphrasePrompt.ask(prompt: "Passphrase for \(path): ")
    }

    /// The environment variable first, then the terminal prompt.
    public static func standard(environment: [String: String]) -> PassphraseSource {
        let fromEnvironment = PassphraseSource.environment(environment)
        return PassphraseSource { path in
            fromEnvironment.passphrase(forKeyAt: path) ?? terminalPrompt.passphrase(forKeyAt: path)
        }
    }
}
