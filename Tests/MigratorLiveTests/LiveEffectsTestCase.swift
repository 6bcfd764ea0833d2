import Foundation
import XCTest
import MigrationCore
@testable import MigratorLive
import MigratorUI

/// What the live handler's suites share: a scratch directory per test that also holds the
/// state directory (the handler remembers opened files, edits and mappings there), a handler
/// whose connection is never used, and draining the mailbox until what a test waits for arrived.
class LiveEffectsTestCase: XCTestCase {
    var work = ""
    private var oldState: String?

    override func setUpWithError() throws {
        work = NSTemporaryDirectory() + "\(type(of: self))-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        oldState = ProcessInfo.processInfo.environment["XDG_STATE_HOME"]
        setenv("XDG_STATE_HOME", work + "/state", 1)
    }

    override func tearDownWithError() throws {
        if let oldState { setenv("XDG_STATE_HOME", oldState, 1) } else { unsetenv("XDG_STATE_HOME") }
        try? FileManager.default.removeItem(atPath: work)
    }

    /// A handler on this test's journal and log; `check` answers the connection check.
    func handler(check: @escaping @Sendable (ImportSettings, _ warn: @escaping @Sendable (String) -> Void) -> [CheckStep] = { _, _ in [] }) -> LiveEffects {
        let target = LiveTarget(loaded: ImportSettings(), connect: { _, _ in throw CocoaError(.featureUnsupported) }, check: check)
        return LiveEffects(target: target, journalPath: work + "/journal.sqlite", log: TUILog(path: work + "/tui.log"), format: nil)
    }

    /// Drains the mailbox until `done` says so (or `timeout` seconds pass), returning everything posted.
    func messages(_ mailbox: Mailbox, timeout: TimeInterval = 20, until done: ([Message]) -> Bool) -> [Message] {
        var all: [Message] = []
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            all += mailbox.drain()
            if done(all) { break }
            usleep(10_000)
        }
        return all
    }

    /// Writes `text` to `name` in the scratch directory and returns its path.
    func write(_ name: String, _ text: String) throws -> String {
        let path = work + "/" + name
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }
}
