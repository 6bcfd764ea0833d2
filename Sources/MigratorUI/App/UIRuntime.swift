import Foundation
import Synchronization
import TerminalKit

/// The one mailbox of the UI: background work posts messages here from any thread; the UI
/// thread drains it between key reads.
public final class Mailbox: Sendable {
    private let queue = Mutex<[Message]>([])
    public init() {}
    public func post(_ message: Message) { queue.withLock { $0.append(message) } }
    public func drain() -> [Message] { queue.withLock { q in defer { q.removeAll() }; return q } }
}

/// Performs effects. The live one (MigratorLive) starts threads and tasks that post
/// messages back; tests use a recording one.
public protocol EffectHandler: AnyObject {
    func perform(_ effect: Effect, state: AppState, mailbox: Mailbox)
}

/// The event loop: one thread owns the state and the terminal. It waits for a key (at most one
/// frame's time), drains the mailbox, runs `update`, performs effects, and renders when
/// something changed — at most every 33 ms, and never when idle. A live run gets a tick every
/// 250 ms so ages and rates move.
public final class UIRuntime {
    public private(set) var state: AppState
    public let mailbox: Mailbox
    private let terminal: any Terminal
    private let handler: any EffectHandler
    private var dirty = true
    private var lastRender = Date.distantPast
    private var lastTick = Date.distantPast
    /// Frame render times (seconds), kept for the benchmark.
    public private(set) var renderTimes: [Double] = []

    public init(terminal: any Terminal, state: AppState, handler: any EffectHandler, mailbox: Mailbox = Mailbox()) {
        self.terminal = terminal
        self.state = state
        self.handler = handler
        self.mailbox = mailbox
        let size = terminal.size
        self.state.size = (size.width, size.height)
    }

    /// Runs until the state says quit; the terminal is restored on the way out.
    public func run(startingWith effects: [Effect] = []) {
        defer { terminal.restore() }
        for e in effects { handler.perform(e, state: state, mailbox: mailbox) }
        while !state.quitting {
            let waitMs = dirty ? max(0, 33 - Int(Date().timeIntervalSince(lastRender) * 1000)) : (state.runInFlight ? 50 : 100)
            if let event = terminal.nextEvent(timeoutMilliseconds: waitMs) {
                handle(event)
                // Coalesce a burst of keys (held arrow key) into one frame.
                var burst = 0
                while burst < 64, !state.quitting, let more = terminal.nextEvent(timeoutMilliseconds: 0) {
                    handle(more)
                    burst += 1
                }
            }
            pump()
            renderIfDue()
        }
    }

    /// Drains the mailbox and sends a tick when due. Tests call this directly.
    public func pump(now: Date = Date()) {
        for m in mailbox.drain() { dispatch(m) }
        if state.runInFlight || state.loading.map({ !$0.validationComplete }) == true, now.timeIntervalSince(lastTick) >= 0.25 {
            lastTick = now
            dispatch(.tick(now))
        }
    }

    /// Renders and presents when something changed and a frame is due (or `force`).
    public func renderIfDue(force: Bool = false) {
        guard dirty || force else { return }
        let now = Date()
        guard force || now.timeIntervalSince(lastRender) >= 0.033 else { return }
        let start = DispatchTime.now().uptimeNanoseconds
        let frame = AppView.render(state)
        terminal.present(frame)
        renderTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        if renderTimes.count > 10_000 { renderTimes.removeFirst(5_000) }
        lastRender = now
        dirty = false
    }

    /// Runs one message through update and performs its effects.
    public func dispatch(_ message: Message) {
        if case .resized(let w, let h) = message, (w, h) == state.size { return }
        state.now = Date()
        let bells = state.bells
        let effects = Update.update(&state, message)
        if state.bells != bells { terminal.bell() }
        dirty = true
        for e in effects { handler.perform(e, state: state, mailbox: mailbox) }
    }

    /// A terminal event: keys and resizes go through update; a redraw (back from Ctrl-Z) only
    /// makes the next frame due.
    public func handle(_ event: TerminalEvent) {
        switch event {
        case .key(let k): dispatch(.key(k))
        case .resized(let w, let h): dispatch(.resized(width: w, height: h))
        case .redraw: dirty = true
        }
    }
}
