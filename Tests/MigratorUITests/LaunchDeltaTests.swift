import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// The launch dialog says how many records earlier runs into the target already imported and sends
/// only the rest (unless all are asked for), and offers a canary whose end is a go / no-go.
final class LaunchDeltaTests: XCTestCase {
    func testTheLaunchWaitsForTheCountThenSaysWhatIsAlreadyImported() throws {
        var s = try Fixture.state()
        s.launchDelta = nil
        XCTAssertEqual(press(&s, .char("L")), [.countDelta(s.settings)], "the settings screen counts what is already imported")
        XCTAssertEqual(press(&s, .char("L")), [.countDelta(s.settings)])
        XCTAssertNil(s.overlay, "no confirmation before the count")
        XCTAssertEqual(s.status, SettingsUpdate.countingDelta)
        let delta = LaunchDelta(endpoint: s.settings.endpoint, projectID: s.settings.projectID, identifier: .email, done: 7, sendable: 10,
                                text: "7 of the 10 sendable records already have a successful outcome")
        XCTAssertEqual(Update.update(&s, .deltaCounted(delta)), [])
        XCTAssertNil(s.status, "the counting line does not stay up over the launch it led to")
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation once counted") }
        let text = c.lines.joined(separator: "\n")
        XCTAssertTrue(text.contains("Will send 3 records"), text)
        XCTAssertTrue(text.contains("7 of the 10 sendable records already have a successful outcome in earlier runs into this target;"), text)
        XCTAssertTrue(text.contains("sending only the other 3"), text)
        XCTAssertTrue(text.contains("Canary: none"), text)
        press(&s, .escape)
        // "Send: all records" sends every sendable record.
        s.settings.selected = SettingsField.allCases.firstIndex(of: .sendAll)!
        press(&s, .enter)
        XCTAssertTrue(s.settings.sendAll)
        XCTAssertTrue(AppView.render(s).text.contains("Will send all 10 records (7 already imported)"))
        press(&s, .char("L"))
        guard case .confirm(let all)? = s.overlay else { return XCTFail() }
        XCTAssertTrue(all.lines.joined(separator: "\n").contains("Will send 10 records"))
        XCTAssertTrue(all.lines.joined(separator: "\n").contains("sending all of them again (upsert off: they are skipped)"))
        XCTAssertEqual(press(&s, .char("y")), [.launch(s.settings)])
    }

    func testEverythingAlreadyImportedIsNotLaunchedAgainByDefault() throws {
        var s = try Fixture.state()
        s.launchDelta?.done = 10
        press(&s, .char("L"), .char("L"))
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.status?.text.contains("all 10 sendable records already have a successful outcome") ?? false, "\(String(describing: s.status))")
    }

    func testACanaryIsOfferedAndItsEndIsAGoNoGo() throws {
        var s = try Fixture.state()
        press(&s, .char("L"))
        s.settings.selected = SettingsField.allCases.firstIndex(of: .canary)!
        press(&s, .enter)
        XCTAssertEqual(s.prompt?.text.text, "10", "the canary defaults to 10 records")
        press(&s, .enter)
        XCTAssertEqual(s.settings.canary, 10)
        press(&s, .char("L"))
        guard case .confirm(let c)? = s.overlay else { return XCTFail() }
        XCTAssertTrue(c.lines.joined(separator: "\n").contains("Canary: the first 10 records go first; the run stops for a go / no-go before the rest."))
        XCTAssertEqual(press(&s, .char("y")), [.launch(s.settings)])
        _ = Update.update(&s, .runStarted(runID: "r1", batches: [], base: OutcomeCounts()))
        var t = RunProgressTotals()
        t.planned = 10
        t.settled.inserted = 9
        t.settled.failed = 1
        t.failedByReason = [.init(reason: "InvariantViolated", count: 1)]
        _ = Update.update(&s, .progressTotals(runID: "r1", t))
        var c10 = OutcomeCounts()
        c10.inserted = 9
        c10.failed = 1
        _ = Update.update(&s, .runEnded(.failure(.canary(c10))))
        XCTAssertEqual(s.bells, 1)
        guard case .banner(let b)? = s.overlay else { return XCTFail("no go / no-go") }
        XCTAssertEqual(b.title, "Canary done: go or no-go?")
        XCTAssertTrue(b.lines.contains("failed by reason: InvariantViolated 1"), "\(b.lines)")
        // Enter: no-go for now, the run stays paused; P is the go.
        press(&s, .enter)
        XCTAssertFalse(s.runInFlight)
        XCTAssertEqual(press(&s, .char("P")), [.resume(runID: "r1", settings: s.settings)])
    }
}
