#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

/// Reads one line from `/dev/tty` with echo off, like BSD `readpassphrase`.
enum TerminalPassphrasePrompt {
    private static let maximumLength = 1024

    static func ask(prompt: String) -> [UInt8]? {
        let fd = open("/dev/tty", O_RDWR | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var original = termios()
        guard tcgetattr(fd, &original) == 0 else { return nil }
        var silent = original
        // No echo, no line editing, no signal keys: bytes arrive one by one, so Ctrl-C is seen
        // as a byte and the terminal is always restored (a SIGINT with echo off would leave
        // the user's shell mute). Backspace is handled here.
        silent.c_lflag &= ~tcflag_t(ECHO | ECHONL | ISIG | ICANON)
        withUnsafeMutableBytes(of: &silent.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(fd, TCSAFLUSH, &silent) == 0 else { return nil }
        defer {
            _ = tcsetattr(fd, TCSAFLUSH, &original)
            _ = write(fd, "\n", 1)
        }
        _ = prompt.withCString { write(fd, $0, strlen($0)) }

        var line: [UInt8] = []
        var byte: UInt8 = 0
        while true {
            let n = readByte(fd, &byte)
            if n <= 0 { return line.isEmpty ? nil : line }
            switch byte {
            case 0x0A, 0x0D: return line
            case 0x03, 0x04:  // Ctrl-C, Ctrl-D: give up
                for i in line.indices { line[i] = 0 }
                return nil
            case 0x7F, 0x08:  // Backspace / Delete: drop the last UTF-8 character
                while let last = line.popLast(), last & 0xC0 == 0x80 {}
            case 0x15:  // Ctrl-U: clear the line
                for i in line.indices { line[i] = 0 }
                line.removeAll()
            default:
                if line.count < maximumLength { line.append(byte) }
            }
        }
    }

    private static func readByte(_ fd: Int32, _ byte: inout UInt8) -> Int {
        withUnsafeMutablePointer(to: &byte) { pointer in
            while true {
                let n = read(fd, pointer, 1)
                if n < 0 && errno == EINTR { continue }
                return n
            }
        }
    }
}
