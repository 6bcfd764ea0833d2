#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
