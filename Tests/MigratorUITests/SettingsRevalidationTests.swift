import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// Import settings: identifier/upsert changes re-validate at once and the counts follow; a launch
/// after a failed connection check asks first.
final class SettingsRevalidationTests: XCTestCase {
    func testChangingTheIdentifierRevalidatesAtOnceAndTheCountsFollowWhenItEnds() throws {
        var s = try Fixture.state()
        press(&s, .char("L"))
        XCTAssertTrue(AppView.render(s).text.contains("Will send 10 records · left out: 2 invalid"))
        s.settings.selected = SettingsField.allCases.firstIndex(of: .identifier)!
        XCTAssertEqual(press(&s, .enter), [.validateInBackground], "the pass starts with the change, not at L")
        XCTAssertEqual(s.settings.identifier, .phoneNumber)
        XCTAssertEqual(s.loading?.validationComplete, false)
        var text = AppView.render(s).text
        XCTAssertTrue(text.contains("Re-validating for identifier phone_number, upsert off… 0% (the counts follow)"), text)
        XCTAssertFalse(text.contains("Will send 10 records"), "the old counts are not shown as current: \(text)")
        // The live handler sets the workspace's settings and runs the pass; its report comes back.
        let session = s.session!
        session.workspace.settings.identifier = .phoneNumber
        let report = session.workspace.pass.run()
        let effects = Update.update(&s, .validationFinished(ValidationReportBox(report: report, edits: session.workspace.edits)))
        XCTAssertEqual(effects, [.countDelta(s.settings)], "the launch delta is counted again for the new report")
        text = AppView.render(s).text
        // With phone_number as the identifier, only the record with a phone number is sendable.
        let t = session.totals!
        XCTAssertTrue(text.contains("Will send \(t.sendable) records · left out: \(t.errors) invalid"), text)
        XCTAssertNotEqual(t.sendable, 10)
        // Upsert too.
        s.settings.selected = SettingsField.allCases.firstIndex(of: .upsert)!
        XCTAssertEqual(press(&s, .enter), [.validateInBackground])
        XCTAssertTrue(AppView.render(s).text.contains("upsert on…"))
    }

    func testLaunchAfterAFailedConnectionCheckAsksFirstAndSaysWhy() throws {
        var s = try Fixture.state()
        press(&s, .char("L"))
        _ = Update.update(&s, .checkFinished([
            CheckStep(name: "settings", ok: true, detail: "resolved"),
            CheckStep(name: "token", ok: false, detail: "the server refused the Admin API token (HTTP 403 Forbidden)"),
        ]))
        XCTAssertEqual(press(&s, .char("L")), [])
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no question") }
        XCTAssertEqual(c.title, "The connection check failed — launch anyway?")
        XCTAssertEqual(c.action, .launchDespiteFailedCheck)
        let rendered = AppView.render(s).text
        XCTAssertTrue(rendered.contains("✗ token: the server refused the Admin API token (HTTP 403 Forbidden)"), rendered)
        // Esc: nothing launched.
        press(&s, .escape)
        XCTAssertNil(s.overlay)
        XCTAssertFalse(s.runInFlight)
        // y: on to the usual confirmation with the counts, which needs its own y.
        press(&s, .char("L"), .char("y"))
        guard case .confirm(let launch)? = s.overlay else { return XCTFail("no launch confirmation") }
        XCTAssertEqual(launch.action, .launch)
        XCTAssertEqual(press(&s, .char("y")), [.launch(s.settings)])
        // A passed check asks nothing more.
        var ok = try Fixture.state()
        press(&ok, .char("L"))
        _ = Update.update(&ok, .checkFinished([CheckStep(name: "token", ok: true, detail: "accepted")]))
        press(&ok, .char("L"))
        guard case .confirm(let direct)? = ok.overlay else { return XCTFail("no launch confirmation") }
        XCTAssertEqual(direct.action, .launch)
    }

    func testTheAnswerHoldsWhileEarlierRunsAreCounted() throws {
        var s = try Fixture.state()
        s.launchDelta = nil
        press(&s, .char("L"))
        _ = Update.update(&s, .checkFinished([CheckStep(name: "request", ok: false, detail: "HTTP 503")]))
        press(&s, .char("L"))
        XCTAssertEqual(press(&s, .char("y")), [.countDelta(s.settings)], "counting first, as every launch")
        _ = Update.update(&s, .deltaCounted(LaunchDelta(endpoint: s.settings.endpoint, projectID: s.settings.projectID, identifier: .email,
                                                         done: 0, sendable: 10, text: "")))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no launch confirmation") }
        XCTAssertEqual(c.action, .launch, "not asked twice about the same check")
    }
}
