import XCTest
#if canImport(Glibc)
import Glibc
#endif
import CNcurses
import TerminalKit
@testable import NcursesTerminal

/// A pseudo-terminal pair: the terminal under test runs on `slave`; the test reads what it
/// wrote and types into it through `master`.
private final class PseudoTerminal {
    let master: Int32
    let slave: Int32

    // posix_openpt & co. need _XOPEN_SOURCE, which Swift's Glibc module is not built with:
    // look them up by name in the C library instead.
    private typealias FDCall = @convention(c) (Int32) -> Int32
    private typealias NameCall = @convention(c) (Int32) -> UnsafeMutablePointer<CChar>?
    private static func libc<T>(_ name: String, as: T.Type) -> T? {
        guard let sym = dlsym(dlopen(nil, RTLD_NOW), name) else { return nil }
        return unsafeBitCast(sym, to: T.self)
    }

    init(width: Int, height: Int) throws {
        guard let openpt = Self.libc("posix_openpt", as: FDCall.self), let grant = Self.libc("grantpt", as: FDCall.self),
              let unlock = Self.libc("unlockpt", as: FDCall.self), let ptsname = Self.libc("ptsname", as: NameCall.self)
        else { throw NcursesTerminalError("no pseudo-terminal functions in libc") }
        let m = openpt(O_RDWR | O_NOCTTY)
        guard m >= 0, grant(m) == 0, unlock(m) == 0, let name = ptsname(m) else {
            throw NcursesTerminalError("cannot open a pseudo-terminal")
        }
        let s = open(name, O_RDWR | O_NOCTTY)
        guard s >= 0 else { throw NcursesTerminalError("cannot open \(String(cString: name))") }
        master = m
        slave = s
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        resize(width: width, height: height)
    }

    deinit {
        close(slave)
        close(master)
    }

    func resize(width: Int, height: Int) {
        var ws = winsize(ws_row: UInt16(height), ws_col: UInt16(width), ws_xpixel: 0, ws_ypixel: 0)
        _ = ioctl(slave, UInt(TIOCSWINSZ), &ws)
    }

    /// Everything written so far, waiting until nothing more arrives for `quietMilliseconds`.
    func drain(quietMilliseconds: Int32 = 80) -> [UInt8] {
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while true {
            var pfd = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            if poll(&pfd, 1, quietMilliseconds) <= 0 { break }
            let n = read(master, &buf, buf.count)
            if n <= 0 { break }
            out += buf[0..<n]
        }
        return out
    }

    func type(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }
}

private extension Array where Element == UInt8 {
    func contains(_ text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= count else { return needle.isEmpty }
        for i in 0...(count - needle.count) where self[i] == needle[0] {
            if Array(self[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }
    var text: String { String(decoding: self, as: UTF8.self) }
}

final class NcursesTerminalTests: XCTestCase {
    private let size = (width: 80, height: 24)

    override func setUp() {
        super.setUp()
        // ncurses lets LINES/COLUMNS override the tty size; the pty's size must win here.
        unsetenv("LINES")
        unsetenv("COLUMNS")
    }

    // MARK: - Key decoding (no terminal)

    func testDecodesCharacterCodes() {
        let table: [(Int32, TerminalEvent?)] = [
            (0x6A, .key(.char("j"))), (0x20, .key(.char(" "))), (0x7E, .key(.char("~"))),
            (0x5C71, .key(.char("山"))), (0xE9, .key(.char("é"))), (0x1F600, .key(.char("😀"))),
            (1, .key(.ctrl("a"))), (3, .key(.ctrl("c"))), (18, .key(.ctrl("r"))), (26, .key(.ctrl("z"))),
            (9, .key(.tab)), (10, .key(.enter)), (13, .key(.enter)), (27, .key(.escape)),
            (127, .key(.backspace)), (8, .key(.backspace)),
            (0, nil), (28, nil), (31, nil), (0x85, nil), (0xD800, nil), (-1, nil),
        ]
        for (code, expected) in table {
            XCTAssertEqual(KeyDecoder.decode(code, isKeyCode: false, size: size), expected, "code \(code)")
        }
    }

    func testDecodesKeypadCodes() {
        let table: [(Int32, TerminalEvent?)] = [
            (KEY_UP, .key(.up)), (KEY_DOWN, .key(.down)), (KEY_LEFT, .key(.left)), (KEY_RIGHT, .key(.right)),
            (KEY_HOME, .key(.home)), (KEY_END, .key(.end)), (KEY_PPAGE, .key(.pageUp)), (KEY_NPAGE, .key(.pageDown)),
            (KEY_BTAB, .key(.backTab)), (KEY_IC, .key(.insert)), (KEY_DC, .key(.delete)),
            (KEY_BACKSPACE, .key(.backspace)), (KEY_ENTER, .key(.enter)),
            (cn_key_f(1), .key(.function(1))), (cn_key_f(5), .key(.function(5))), (cn_key_f(12), .key(.function(12))),
            (KEY_RESIZE, .resized(width: 80, height: 24)),
            (KEY_MOUSE, nil), (KEY_F0, nil), (0x1FFF, nil),
        ]
        for (code, expected) in table {
            XCTAssertEqual(KeyDecoder.decode(code, isKeyCode: true, size: size), expected, "key code \(code)")
        }
        // The same number means different things as a character and as a key code.
        XCTAssertEqual(KeyDecoder.decode(KEY_UP, isKeyCode: false, size: size), .key(.char(Character(Unicode.Scalar(UInt32(KEY_UP))!))))
    }

    func testEscapeFollowedAtOnceByACharacterIsAnAltKey() {
        XCTAssertEqual(KeyDecoder.afterEscape(.key(.char("x"))), [.key(.alt("x"))])
        XCTAssertEqual(KeyDecoder.afterEscape(.key(.char("山"))), [.key(.alt("山"))])
        XCTAssertEqual(KeyDecoder.afterEscape(nil), [.key(.escape)], "nothing within the delay: a lone Esc")
        XCTAssertEqual(KeyDecoder.afterEscape(.key(.escape)), [.key(.escape), .key(.escape)])
        XCTAssertEqual(KeyDecoder.afterEscape(.key(.up)), [.key(.escape), .key(.up)])
        XCTAssertEqual(KeyDecoder.afterEscape(.resized(width: 80, height: 24)), [.key(.escape), .resized(width: 80, height: 24)])
        XCTAssertEqual(Key.alt("x").description, "Alt-x")
    }

    // MARK: - Start-up errors

    func testRefusesInputThatIsNotATerminal() throws {
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        let pty = try PseudoTerminal(width: 40, height: 10)
        XCTAssertThrowsError(try NcursesTerminal(colors: false, input: fds[0], output: pty.slave, restoreOnSignals: false)) {
            XCTAssertEqual(($0 as? NcursesTerminalError)?.message, "input (fd \(fds[0])) is not a terminal")
        }
        XCTAssertThrowsError(try NcursesTerminal(colors: false, input: pty.slave, output: fds[1], restoreOnSignals: false)) {
            XCTAssertEqual(($0 as? NcursesTerminalError)?.message, "output (fd \(fds[1])) is not a terminal")
        }
    }

    func testUnknownTerminalTypeThrowsInsteadOfExiting() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        XCTAssertThrowsError(try NcursesTerminal(colors: true, input: pty.slave, output: pty.slave,
                                                 terminalType: "no-such-terminal-zz", restoreOnSignals: false)) {
            XCTAssertEqual(($0 as? NcursesTerminalError)?.message, "not a terminal: TERM=no-such-terminal-zz unknown")
        }
    }

    // MARK: - Drawing over a pseudo-terminal

    private func makeTerminal(_ pty: PseudoTerminal, colors: Bool = true) throws -> NcursesTerminal {
        try NcursesTerminal(colors: colors, input: pty.slave, output: pty.slave,
                            terminalType: "xterm-256color", restoreOnSignals: false)
    }

    func testPresentDrawsTextWideCharactersAndOnlyTheDifference() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        let term = try makeTerminal(pty)
        defer { term.restore() }
        XCTAssertEqual(term.size.width, 40)
        XCTAssertEqual(term.size.height, 10)

        var frame = ScreenBuffer(width: 40, height: 10)
        frame.put("Import users", x: 0, y: 0, style: Style.plain.bolded)
        frame.put("name: 山田太郎 ok", x: 2, y: 3)
        frame.put("cafe\u{301}", x: 2, y: 5)
        term.present(frame)
        let first = pty.drain()
        XCTAssertTrue(first.contains("Import users"), first.text)
        XCTAssertTrue(first.contains("山田太郎"), first.text)
        // The wide characters take two columns each: " ok" follows right after them, no padding.
        XCTAssertTrue(first.contains("山田太郎 ok"), first.text)
        XCTAssertTrue(first.contains("cafe\u{301}"), first.text)
        XCTAssertTrue(first.contains("\u{1b}[1m") || first.contains(";1m"), "bold: \(first.text.debugDescription)")

        var second = frame
        second.put("X", x: 10, y: 7)
        term.present(second)
        let diff = pty.drain()
        XCTAssertTrue(diff.contains("X"), diff.text)
        XCTAssertFalse(diff.contains("Import"), diff.text)
        XCTAssertLessThan(diff.count * 4, first.count, "diff \(diff.count) bytes vs first \(first.count)")

        term.present(second)
        XCTAssertEqual(pty.drain().count, 0, "an unchanged frame writes nothing")

        // Replacing a wide character in place redraws it from its first column.
        var third = second
        third.put("鈴木", x: 8, y: 3)
        term.present(third)
        let wide = pty.drain()
        XCTAssertTrue(wide.contains("鈴木"), wide.text)
        XCTAssertFalse(wide.contains("name:"), wide.text)
    }

    func testColoursAreDrawnOnlyWhenEnabled() throws {
        var frame = ScreenBuffer(width: 30, height: 5)
        frame.put("failed", x: 0, y: 0, style: Style(foreground: .red))
        frame.put("ok", x: 0, y: 1, style: Style(foreground: .green, background: .blue))

        let coloured = try PseudoTerminal(width: 30, height: 5)
        let t1 = try makeTerminal(coloured, colors: true)
        t1.present(frame)
        let withColour = coloured.drain()
        t1.restore()
        XCTAssertTrue(withColour.contains("\u{1b}[31m"), withColour.text.debugDescription)
        XCTAssertTrue(withColour.contains("\u{1b}[44m"), withColour.text.debugDescription)

        let plain = try PseudoTerminal(width: 30, height: 5)
        let t2 = try makeTerminal(plain, colors: false)
        t2.present(frame)
        let without = plain.drain()
        t2.restore()
        XCTAssertTrue(without.contains("failed"), without.text)
        XCTAssertFalse(without.contains("\u{1b}[31m") || without.contains("\u{1b}[32m") || without.contains("\u{1b}[44m"),
                       without.text.debugDescription)
    }

    func testCursorIsShownOnlyWhenTheFrameHasOne() throws {
        let pty = try PseudoTerminal(width: 20, height: 5)
        let term = try makeTerminal(pty)
        defer { term.restore() }
        var frame = ScreenBuffer(width: 20, height: 5)
        frame.put("> ab", x: 0, y: 2)
        term.present(frame)
        let hidden = pty.drain()
        XCTAssertFalse(hidden.contains("\u{1b}[?25h"), hidden.text.debugDescription)
        frame.cursor = ScreenBuffer.Point(x: 15, y: 4)
        term.present(frame)
        let shown = pty.drain()
        XCTAssertTrue(shown.contains("\u{1b}[?25h"), shown.text.debugDescription)
        XCTAssertTrue(shown.contains("\u{1b}[5;16H"), "cursor at row 5, column 16: \(shown.text.debugDescription)")
        frame.cursor = nil
        term.present(frame)
        XCTAssertTrue(pty.drain().contains("\u{1b}[?25l"))
    }

    // MARK: - Input over a pseudo-terminal

    func testNextEventReadsKeysTypedIntoTheTerminal() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        let term = try makeTerminal(pty)
        defer { term.restore() }
        term.present(ScreenBuffer(width: 40, height: 10))
        _ = pty.drain()
        XCTAssertNil(term.nextEvent(timeoutMilliseconds: 0), "nothing typed yet")

        pty.type("j")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.char("j")))
        pty.type("\u{1b}[A")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.up))
        pty.type("\u{1b}OB")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.down))
        pty.type("\u{03}\r\u{7f}\t")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.ctrl("c")), "raw mode: Ctrl-C is a key")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.enter))
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.backspace))
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.tab))
        pty.type("山")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.char("山")))
        pty.type("\u{1b}")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.escape), "a lone Esc after the escape delay")
        pty.type("\u{1b}[3~")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.delete))
        pty.type("\u{1b}x")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.alt("x")), "Esc and x in one write: Alt-x")
        pty.type("\u{1b}\u{1b}[A")
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.escape))
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 1000), .key(.up), "the key after an Esc is kept, in order")
        XCTAssertNil(term.nextEvent(timeoutMilliseconds: 20))
    }

    func testWindowSizeChangeArrivesAsResizeEvent() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        let term = try makeTerminal(pty)
        defer { term.restore() }
        term.present(ScreenBuffer(width: 40, height: 10))
        _ = pty.drain()
        pty.resize(width: 50, height: 12)
        raise(SIGWINCH)
        let asked = Date()
        XCTAssertEqual(term.nextEvent(timeoutMilliseconds: 2000), .resized(width: 50, height: 12))
        XCTAssertLessThan(Date().timeIntervalSince(asked), 0.5, "reported at once, not after the read timeout")
        XCTAssertNil(term.nextEvent(timeoutMilliseconds: 50), "one resize is reported once")
        XCTAssertEqual(term.size.width, 50)
        XCTAssertEqual(term.size.height, 12)
        var frame = ScreenBuffer(width: 50, height: 12)
        frame.put("after resize", x: 0, y: 11)
        term.present(frame)
        let out = pty.drain()
        XCTAssertTrue(out.contains("after resize"), out.text)
        XCTAssertTrue(out.contains("\u{1b}[H\u{1b}[2J") || out.contains("\u{1b}[2J"), "full redraw clears: \(out.text.debugDescription)")
    }

    // MARK: - Restoring the terminal

    func testRestoreLeavesTheAlternateScreenOnce() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        let term = try makeTerminal(pty)
        term.present(ScreenBuffer(width: 40, height: 10))
        let start = pty.drain()
        XCTAssertTrue(start.contains("\u{1b}[?1049h"), "entered the alternate screen: \(start.text.debugDescription)")
        term.restore()
        let exit = pty.drain()
        XCTAssertTrue(exit.contains("\u{1b}[?1049l"), "left the alternate screen: \(exit.text.debugDescription)")
        XCTAssertTrue(exit.contains("\u{1b}[?25h"), "cursor shown again: \(exit.text.debugDescription)")
        term.restore()
        XCTAssertEqual(pty.drain().count, 0, "a second restore writes nothing")
        XCTAssertEqual(endwin(), ERR, "no screen is left current, so a late signal handler's endwin is a no-op")
        XCTAssertNil(term.nextEvent(timeoutMilliseconds: 0))
        term.present(ScreenBuffer(width: 40, height: 10))
        XCTAssertEqual(pty.drain().count, 0, "a restored terminal draws nothing")
    }

    func testSignalRestoresTheTerminalAndDiesOfTheSignal() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        var frame = ScreenBuffer(width: 40, height: 10)
        frame.put("running", x: 0, y: 0)
        // Warm up in the parent so the child, forked from a possibly multi-threaded test process,
        // needs no first-use runtime work (type metadata) that could wait on a lock held elsewhere.
        let warmPty = try PseudoTerminal(width: 40, height: 10)
        let warm = try makeTerminal(warmPty)
        warm.present(frame)
        warm.restore()
        let pid = fork()
        XCTAssertGreaterThanOrEqual(pid, 0)
        if pid == 0 {
            // Child: start the UI with the signal handlers installed, then be terminated.
            guard let term = try? NcursesTerminal(colors: true, input: pty.slave, output: pty.slave,
                                                  terminalType: "xterm-256color", restoreOnSignals: true) else { _exit(90) }
            term.present(frame)
            kill(getpid(), SIGTERM)
            _exit(91)
        }
        var status: Int32 = 0
        var output: [UInt8] = []
        for _ in 0..<100 {
            output += pty.drain(quietMilliseconds: 20)
            if waitpid(pid, &status, WNOHANG) == pid { break }
            if output.count > 1_000_000 { break }
        }
        output += pty.drain()
        if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); XCTFail("child did not exit") }
        XCTAssertEqual(status & 0x7F, SIGTERM, "child died of SIGTERM (status \(status))")
        XCTAssertTrue(output.contains("running"), output.text)
        XCTAssertTrue(output.contains("\u{1b}[?1049l"), "the handler ran endwin: \(output.text.debugDescription)")
    }

    func testRestoreOnSignalsInstallsHandlers() {
        NcursesTerminal.restoreOnSignals()
        XCTAssertEqual(cn_signal_has_handler(SIGTERM), 1)
        XCTAssertEqual(cn_signal_has_handler(SIGHUP), 1)
        XCTAssertEqual(cn_signal_has_handler(SIGINT), 1)
        for sig in [SIGTERM, SIGHUP, SIGINT] { signal(sig, SIG_DFL) }
        XCTAssertEqual(cn_signal_has_handler(SIGTERM), 0)
    }
}
