import XCTest
import AuthgearAPI
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// A refused 403's checklist is readable in full (banner, progress screen, events), the status
/// line says where it is, and the refused batch does not stay "sending".
final class StopReasonTests: XCTestCase {
    /// The engine's own words for a 403 (ImportAPIError.forbidden → RunStop.forbidden).
    let checklist = ImportAPIError.forbidden(clockSkew: nil).description

    func stoppedState(width: Int, height: Int) throws -> AppState {
        var s = try Fixture.state(width: width, height: height)
        s.screen = .progress
        s.run.active = true
        _ = Update.update(&s, .runStarted(runID: "run-1", batches: [], base: OutcomeCounts()))
        _ = Update.update(&s, .engine(.batchSending(batch: 1, records: 10, attempt: 1)))
        XCTAssertEqual(s.run.batches.map(\.state), ["sending"])
        _ = Update.update(&s, .engine(.paused(reason: checklist)))
        _ = Update.update(&s, .runEnded(.failure(.forbidden(checklist))))
        return s
    }

    /// Every word of `text` appears, in order, in the screen's text (wrapping moves words to later lines).
    func assertWhole(_ text: String, in screen: String, file: StaticString = #filePath, line: UInt = #line) {
        var rest = Substring(screen)
        for word in text.split(separator: " ") {
            guard let r = rest.range(of: word) else { return XCTFail("\"\(word)\" is missing after what was found:\n\(screen)", file: file, line: line) }
            rest = rest[r.upperBound...]
        }
    }

    func testTheBannerShowsTheWholeChecklistAt80x24And120x36() throws {
        for (w, h) in [(80, 24), (120, 36)] {
            let s = try stoppedState(width: w, height: h)
            guard case .banner? = s.overlay else { return XCTFail("no banner") }
            // The banner alone (the progress screen under it says it too).
            var buffer = ScreenBuffer(width: w, height: h)
            OverlayView.banner(&buffer, s.run.endBanner!)
            let screen = buffer.text
            assertWhole(checklist, in: screen)
            assertWhole("P resumes · Enter closes", in: screen)
            XCTAssertNotNil(buffer.find("(4) the key file"), "each item on its own line: \(screen)")
        }
    }

    func testTheStatusLineSaysWhereTheWholeReasonIsAndTheProgressScreenShowsIt() throws {
        var s = try stoppedState(width: 120, height: 36)
        XCTAssertEqual(s.status?.text, "stopped: the server refused the Admin API token (HTTP 403 Forbidden) · b: why")
        press(&s, .enter)   // closes the banner
        XCTAssertNil(s.overlay)
        let screen = AppView.render(s).text
        assertWhole(checklist, in: screen)
        // b shows the banner again.
        press(&s, .char("b"))
        guard case .banner? = s.overlay else { return XCTFail("b does not show the banner") }
    }

    func testLongEventsAreWrappedNotCut() throws {
        var s = try Fixture.state(width: 80, height: 24)
        s.screen = .progress
        s.run.runID = "run-1"
        s.run.active = true
        let reason = "HTTP 503 Service Unavailable from the proxy in front of the server (upstream connect error or disconnect/reset before headers; reset reason: connection termination): the run waits and sends the batch again"
        _ = Update.update(&s, .engine(.retrying(batch: 1, after: 1.5, reason: reason)))
        assertWhole("batch 1: retrying in 1.5 s — " + reason, in: AppView.render(s).text)
        // The stop's own pause event names it briefly: the whole text is above the batches.
        var stopped = try stoppedState(width: 80, height: 24)
        press(&stopped, .enter)
        let screen = AppView.render(stopped)
        XCTAssertNotNil(screen.find("paused: the server refused the Admin API token (HTTP 403 Forbidden) — above"), screen.text)
        XCTAssertNotNil(screen.find("‖ the server refused the Admin API token (HTTP 403 Forbidden). Check:"), screen.text)
        assertWhole(checklist, in: screen.text)
        // The status line fits 80 columns whole.
        stopped.status = .error(RunViewState.statusText(stopped: checklist))
        let status = AppView.render(stopped).line(22)
        XCTAssertTrue(status.contains("stopped: the server refused the Admin API token (HTTP 403 Forbidden) · b: why"), status)
    }

    func testTheRefusedBatchShowsWhatTheJournalSays() throws {
        var s = try stoppedState(width: 120, height: 36)
        let planned = RunViewState.BatchRow(id: 1, number: 1, records: 10, state: "planned", jobID: nil, attempts: 1, since: s.now, note: checklist)
        _ = Update.update(&s, .batchesLoaded(runID: "run-1", batches: [planned]))
        XCTAssertEqual(s.run.batches.map(\.state), ["planned"])
        _ = Update.update(&s, .batchesLoaded(runID: "other", batches: []))
        XCTAssertEqual(s.run.batches.count, 1, "another run's batches are not this run's")
        press(&s, .enter)
        XCTAssertFalse(AppView.render(s).text.contains("sending"))
    }

    func testChecklistLines() {
        XCTAssertEqual(RunViewState.checklistLines("stopped: x. Check: (1) a; (2) b; (3) c."),
                       ["stopped: x. Check:", "  (1) a;", "  (2) b;", "  (3) c."])
        XCTAssertEqual(RunViewState.checklistLines("no list (here)"), ["no list (here)"])
        XCTAssertEqual(RunViewState.statusText(stopped: "interrupted by the operator"), "stopped: interrupted by the operator — P resumes")
    }
}
