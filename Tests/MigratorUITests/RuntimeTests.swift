import XCTest
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// The event loop against an in-memory terminal: keys in, frames out, effects performed.
final class RuntimeTests: XCTestCase {
    func testKeysMessagesAndFrames() throws {
        let terminal = MemoryTerminal(width: 80, height: 24)
        let handler = RecordingHandler()
        let state = try Fixture.state(width: 80, height: 24)
        let runtime = UIRuntime(terminal: terminal, state: state, handler: handler)
        runtime.renderIfDue(force: true)
        let first = terminal.cellsWritten
        XCTAssertEqual(first, 80 * 24, "the first frame is drawn whole")
        runtime.dispatch(.key(.char("j")))
        runtime.renderIfDue(force: true)
        XCTAssertLessThan(terminal.cellsWritten - first, 80 * 24 / 2, "moving the cursor redraws only what changed")
        XCTAssertEqual(runtime.state.records.cursor, 1)
        // Messages posted from other threads arrive through the mailbox.
        let box = runtime.mailbox
        let t = Thread { box.post(.done("from a worker")) }
        t.start()
        while !t.isFinished { usleep(1000) }
        runtime.pump()
        XCTAssertEqual(runtime.state.status?.text, "from a worker")
        runtime.dispatch(.key(.char("x")))
        XCTAssertEqual(handler.effects, [.edit(.exclude(1))])
    }

    func testRunLoopQuitsAndRestoresTheTerminal() throws {
        let terminal = MemoryTerminal(width: 80, height: 24, events: [.key(.char("j")), .resized(width: 100, height: 30), .key(.char("q"))])
        let handler = RecordingHandler()
        let runtime = UIRuntime(terminal: terminal, state: try Fixture.state(width: 80, height: 24), handler: handler)
        runtime.run(startingWith: [.loadRecent])
        XCTAssertTrue(terminal.restored)
        XCTAssertEqual(handler.effects, [.loadRecent, .quit])
        XCTAssertEqual(runtime.state.size.width, 100)
        XCTAssertEqual(runtime.state.records.cursor, 1)
    }

    func testTheEndOfARunRingsTheTerminalsBellOnce() throws {
        let terminal = MemoryTerminal(width: 80, height: 24)
        var state = try Fixture.state(width: 80, height: 24)
        state.run.runID = "r1"
        state.run.active = true
        let runtime = UIRuntime(terminal: terminal, state: state, handler: RecordingHandler())
        runtime.dispatch(.tick(Date()))
        XCTAssertEqual(terminal.bells, 0)
        runtime.dispatch(.runEnded(.success(OutcomeCounts())))
        XCTAssertEqual(terminal.bells, 1)
        runtime.dispatch(.key(.enter))
        XCTAssertEqual(terminal.bells, 1)
    }
}
