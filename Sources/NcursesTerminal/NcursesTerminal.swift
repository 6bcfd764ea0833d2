#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CNcurses
import TerminalKit

/// Why the ncurses terminal could not start.
public struct NcursesTerminalError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, in words for the user ("stdin is not a terminal").
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A `Terminal` over a real tty through ncurses: raw keyboard input and frames drawn by diff.
///
/// Owned by one thread (not `Sendable`). Uses `newterm`, never `initscr`, so an unknown
/// terminal is a thrown error instead of `exit(1)`. Wide (CJK) characters and combining marks
/// are drawn with `setcchar` + `wadd_wch`.
public final class NcursesTerminal: Terminal {
    private var screen: OpaquePointer?
    private let window: UnsafeMutablePointer<WINDOW>
    private let outputFile: UnsafeMutablePointer<FILE>
    private let inputFile: UnsafeMutablePointer<FILE>
    private let colorsEnabled: Bool
    private let defaultColorsAvailable: Bool
    private var pairs: [UInt16: Int16] = [:]
    private var nextPair: Int16 = 1
    private var lastFrame: ScreenBuffer?
    private var cursorShown: Bool?
    /// The size last reported (initially the start size): duplicate resize reports are dropped.
    private var reportedSize: (width: Int, height: Int) = (0, 0)
    private var glyph: [wchar_t]
    /// Events decoded ahead (the key read after an Esc that was not an Alt combination).
    private var queued: [TerminalEvent] = []
    /// How long a key may follow Esc to make an Alt combination (ms), as `set_escdelay`.
    private static let escapeDelay: Int32 = 25

    /// Starts ncurses on the tty at `input`/`output` (stdin/stdout by default).
    /// `colors` false (NO_COLOR, `--no-color`) draws attributes only. `terminalType` overrides
    /// `$TERM`. `restoreOnSignals` installs `NcursesTerminal.restoreOnSignals()`.
    public init(colors: Bool, input: Int32 = STDIN_FILENO, output: Int32 = STDOUT_FILENO,
                terminalType: String? = nil, restoreOnSignals: Bool = true) throws {
        NcursesTerminal.prepareLocale()
        guard isatty(input) == 1 else {
            throw NcursesTerminalError(input == STDIN_FILENO ? "stdin is not a terminal" : "input (fd \(input)) is not a terminal")
        }
        guard isatty(output) == 1 else {
            throw NcursesTerminalError(output == STDOUT_FILENO ? "stdout is not a terminal" : "output (fd \(output)) is not a terminal")
        }
        let envTerm = getenv("TERM").map { String(cString: $0) }
        guard let term = terminalType ?? envTerm, !term.isEmpty else {
            throw NcursesTerminalError("not a terminal: TERM is not set")
        }
        // Private FILEs on duplicated descriptors: closing them later leaves the caller's fds open.
        let outFD = dup(output), inFD = dup(input)
        guard outFD >= 0, inFD >= 0, let out = fdopen(outFD, "w"), let inp = fdopen(inFD, "r") else {
            if outFD >= 0 { close(outFD) }
            if inFD >= 0 { close(inFD) }
            throw NcursesTerminalError("cannot open the terminal: \(String(cString: strerror(errno)))")
        }
        guard let scr = newterm(term, out, inp) else {
            fclose(out)
            fclose(inp)
            throw NcursesTerminalError("not a terminal: TERM=\(term) unknown")
        }
        set_term(scr)
        guard let win = cn_stdscr() else {
            endwin()
            delscreen(scr)
            fclose(out)
            fclose(inp)
            throw NcursesTerminalError("ncurses has no screen window for TERM=\(term)")
        }
        screen = scr
        window = win
        outputFile = out
        inputFile = inp
        glyph = Array(repeating: 0, count: Int(cn_ccharw_max()) + 1)

        raw()                 // Ctrl-C arrives as a key; the app asks before quitting
        noecho()
        nonl()                // Enter arrives as 13, not translated
        keypad(win, true)
        meta(win, true)
        intrflush(win, false)
        set_escdelay(Self.escapeDelay)   // a lone Esc is reported after 25 ms, not a second
        curs_set(0)
        leaveok(win, true)
        cursorShown = false
        NcursesTerminal.defineNormalModeCursorKeys()

        if colors && has_colors() {
            start_color()
            colorsEnabled = true
            defaultColorsAvailable = use_default_colors() == OK
        } else {
            colorsEnabled = false
            defaultColorsAvailable = false
        }
        reportedSize = (Int(getmaxx(win)), Int(getmaxy(win)))
        if restoreOnSignals { NcursesTerminal.restoreOnSignals() }
    }

    deinit { restore() }

    /// Sets the locale from the environment, falling back to C.UTF-8 for the character type
    /// when the environment's codeset is not UTF-8 (ncurses needs it to draw wide characters).
    public static func prepareLocale() {
        setlocale(LC_ALL, "")
        let codeset = cn_codeset().map { String(cString: $0) } ?? ""
        if codeset.uppercased().filter({ $0 != "-" }) != "UTF8" {
            setlocale(LC_CTYPE, "C.UTF-8")
        }
    }

    /// Installs handlers for SIGTERM, SIGHUP and SIGINT that call `endwin()` and then die of the
    /// same signal (exit status 128+sig). `endwin` is not formally async-signal-safe; ncurses
    /// programs commonly call it from handlers because the alternative, a raw tty left on the
    /// alternate screen, is worse, and the process exits immediately after. When no screen is
    /// active `endwin` does nothing, so the handlers are harmless after `restore()`.
    public static func restoreOnSignals() {
        for sig in [SIGTERM, SIGHUP, SIGINT] { _ = cn_install_restore_handler(sig) }
    }

    /// Terminfo lists the application-mode cursor keys (`ESC O A`); terminals that ignore the
    /// keypad-transmit request send normal-mode ones (`ESC [ A`). Teach ncurses those too.
    private static func defineNormalModeCursorKeys() {
        let keys: [(String, Int32)] = [
            ("\u{1b}[A", KEY_UP), ("\u{1b}[B", KEY_DOWN), ("\u{1b}[C", KEY_RIGHT), ("\u{1b}[D", KEY_LEFT),
            ("\u{1b}[H", KEY_HOME), ("\u{1b}[F", KEY_END), ("\u{1b}OA", KEY_UP), ("\u{1b}OB", KEY_DOWN),
            ("\u{1b}OC", KEY_RIGHT), ("\u{1b}OD", KEY_LEFT), ("\u{1b}OH", KEY_HOME), ("\u{1b}OF", KEY_END),
        ]
        for (sequence, code) in keys where key_defined(sequence) == 0 {
            define_key(sequence, code)
        }
    }

    /// Columns and rows of the screen window now.
    public var size: (width: Int, height: Int) {
        guard screen != nil else { return (0, 0) }
        return (Int(getmaxx(window)), Int(getmaxy(window)))
    }

    /// Waits up to `timeoutMilliseconds` (0 polls, negative blocks) for a key or resize.
    /// Codes the UI does not use are skipped within the same time budget.
    public func nextEvent(timeoutMilliseconds: Int) -> TerminalEvent? {
        guard let scr = screen else { return nil }
        set_term(scr)
        if !queued.isEmpty { return queued.removeFirst() }
        let start = Self.nowMilliseconds()
        followTerminalSize()
        var wait = timeoutMilliseconds < 0 ? -1 : timeoutMilliseconds
        while true {
            wtimeout(window, Int32(clamping: wait))
            var ch: wint_t = 0
            let result = wget_wch(window, &ch)
            if result == ERR { return nil }
            let code = Int32(bitPattern: UInt32(ch))
            if let event = KeyDecoder.decode(code, isKeyCode: result == KEY_CODE_YES, size: size) {
                if event == .key(.escape) {
                    var events = KeyDecoder.afterEscape(readWithin(Self.escapeDelay))
                    let first = events.removeFirst()
                    queued += events
                    return first
                }
                if event == .key(.ctrl("z")) { return suspend() }
                guard case .resized(let w, let h) = event else { return event }
                lastFrame = nil   // the next frame redraws fully
                if (w, h) != reportedSize {
                    reportedSize = (w, h)
                    return event
                }
            }
            if timeoutMilliseconds >= 0 {
                wait = max(0, timeoutMilliseconds - (Self.nowMilliseconds() - start))
            }
        }
    }

    /// One more decoded event if it arrives within `milliseconds` (after an Esc), else nil.
    private func readWithin(_ milliseconds: Int32) -> TerminalEvent? {
        wtimeout(window, milliseconds)
        var ch: wint_t = 0
        let result = wget_wch(window, &ch)
        guard result != ERR else { return nil }
        return KeyDecoder.decode(Int32(bitPattern: UInt32(ch)), isKeyCode: result == KEY_CODE_YES, size: size)
    }

    /// Ctrl-Z: the shell gets the terminal back and the process stops; when it is continued
    /// the whole screen is drawn again (the shell drew over it meanwhile).
    private func suspend() -> TerminalEvent {
        cn_suspend()
        lastFrame = nil        // the next frame redraws every cell
        followTerminalSize()   // the window may have been resized meanwhile
        return .redraw
    }

    /// A SIGWINCH that arrived while no read was waiting is only seen by ncurses after its next
    /// read times out. Asking the tty directly reports the new size at once: `resizeterm`
    /// queues the KEY_RESIZE that the following read returns.
    private func followTerminalSize() {
        var ws = winsize()
        guard ioctl(fileno(outputFile), UInt(TIOCGWINSZ), &ws) == 0, ws.ws_row > 0, ws.ws_col > 0 else { return }
        if Int32(ws.ws_row) != getmaxy(window) || Int32(ws.ws_col) != getmaxx(window) {
            resizeterm(Int32(ws.ws_row), Int32(ws.ws_col))
        }
    }

    /// Draws the cells that differ from the last frame, places or hides the cursor, and updates the tty.
    public func present(_ frame: ScreenBuffer) {
        guard let scr = screen else { return }
        set_term(scr)
        let rows = Int(getmaxy(window)), cols = Int(getmaxx(window))
        let resized = lastFrame.map { $0.width != frame.width || $0.height != frame.height } ?? true
        if resized {
            werase(window)
            clearok(window, true)
        }
        for run in FrameDiff.runs(from: resized ? nil : lastFrame, to: frame) where run.y < rows {
            draw(run, rows: rows, cols: cols)
        }
        placeCursor(frame.cursor, rows: rows, cols: cols)
        wnoutrefresh(window)
        doupdate()
        lastFrame = frame
    }

    /// Rings the bell (ncurses falls back to a visible flash where the terminal has no bell).
    public func bell() {
        guard let scr = screen else { return }
        set_term(scr)
        beep()
    }

    /// Leaves curses mode (`endwin`) and frees the screen. Safe to call twice.
    public func restore() {
        guard let scr = screen else { return }
        screen = nil
        set_term(scr)
        endwin()
        delscreen(scr)
        fclose(outputFile)
        fclose(inputFile)
    }

    // MARK: - Drawing

    private func draw(_ run: FrameDiff.Run, rows: Int, cols: Int) {
        let y = Int32(run.y)
        wmove(window, y, Int32(run.x))
        var coveredByWide = false
        for (i, cell) in run.cells.enumerated() {
            let x = run.x + i
            if x >= cols { break }
            if cell.isContinuation {
                // Covered by the wide character before it; an orphan (no wide char drawn) becomes a blank.
                if coveredByWide { coveredByWide = false; continue }
                if getcurx(window) != Int32(x) { wmove(window, y, Int32(x)) }
                write(" ", style: cell.style)
                continue
            }
            let wide = i + 1 < run.cells.count && run.cells[i + 1].isContinuation
            if getcurx(window) != Int32(x) || getcury(window) != y { wmove(window, y, Int32(x)) }
            write(cell.text, style: cell.style)
            coveredByWide = wide
            // The C library thought it narrow: blank the column the layout reserved for it.
            if wide, x + 1 < cols, getcury(window) == y, getcurx(window) == Int32(x + 1) {
                write(" ", style: cell.style)
            }
        }
    }

    /// Writes one grapheme (a spacing character plus up to CCHARW_MAX-1 combining marks).
    private func write(_ text: String, style: Style) {
        let capacity = glyph.count - 1
        var n = 0
        for scalar in text.unicodeScalars {
            if n == capacity { break }
            var v = scalar.value
            if n == 0, v < 0x20 || (0x7F...0x9F).contains(v) { v = 0xFFFD }   // never send controls
            glyph[n] = wchar_t(bitPattern: v)
            n += 1
        }
        if n == 0 { glyph[0] = 0x20; n = 1 }
        glyph[n] = 0
        let (attrs, pair) = rendition(for: style)
        var cc = cchar_t()
        let ok = glyph.withUnsafeBufferPointer { setcchar(&cc, $0.baseAddress, attrs, pair, nil) }
        if ok == ERR {
            // setcchar refuses some sequences: draw the spacing character alone.
            var single: [wchar_t] = [glyph[0], 0]
            if single[0] < 0x20 { single[0] = 0x20 }
            _ = setcchar(&cc, &single, attrs, pair, nil)
        }
        wadd_wch(window, &cc)
    }

    private func rendition(for style: Style) -> (attr_t, Int16) {
        let style = colorsEnabled ? style : style.monochrome
        var attrs = cn_a_normal()
        if style.bold { attrs |= cn_a_bold() }
        if style.reverse { attrs |= cn_a_reverse() }
        if style.underline { attrs |= cn_a_underline() }
        if style.dim { attrs |= cn_a_dim() }
        return (attrs, colorsEnabled ? pair(style.foreground, style.background) : 0)
    }

    /// The colour pair for (fg, bg), allocated on first use; pair 0 is the terminal default.
    private func pair(_ fg: Color, _ bg: Color) -> Int16 {
        if fg == .default && bg == .default { return 0 }
        let key = UInt16(fg.rawValue) << 8 | UInt16(bg.rawValue)
        if let p = pairs[key] { return p }
        let p = nextPair
        guard init_pair(p, ncursesColor(fg, isForeground: true), ncursesColor(bg, isForeground: false)) == OK else {
            pairs[key] = 0
            return 0
        }
        nextPair += 1
        pairs[key] = p
        return p
    }

    /// TerminalKit colours map to COLOR_BLACK…COLOR_WHITE in order; default is -1
    /// (or white on black when the terminal cannot keep its own default colours).
    private func ncursesColor(_ color: Color, isForeground: Bool) -> Int16 {
        if color == .default {
            if defaultColorsAvailable { return -1 }
            return isForeground ? Int16(COLOR_WHITE) : Int16(COLOR_BLACK)
        }
        return Int16(color.rawValue) - 1
    }

    private func placeCursor(_ cursor: ScreenBuffer.Point?, rows: Int, cols: Int) {
        if let c = cursor, c.x >= 0, c.y >= 0, c.x < cols, c.y < rows {
            if cursorShown != true { curs_set(1); cursorShown = true }
            leaveok(window, false)
            wmove(window, Int32(c.y), Int32(c.x))
        } else {
            if cursorShown != false { curs_set(0); cursorShown = false }
            leaveok(window, true)
        }
    }

    private static func nowMilliseconds() -> Int {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return ts.tv_sec * 1000 + ts.tv_nsec / 1_000_000
    }
}
