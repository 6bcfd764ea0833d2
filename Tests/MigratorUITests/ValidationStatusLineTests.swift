import MigrationCore
@testable import MigratorUI
import TerminalKit
import XCTest

/// The status line while the background pass runs: a percentage while records are judged, then
/// "finding duplicates…" once every record is (the file-wide login-ID comparison that follows
/// used to sit at "validating 99%"), then the counts when the report is installed.
final class ValidationStatusLineTests: XCTestCase {
    private func statusLine(_ state: AppState) -> String {
        AppView.render(state).text.split(separator: "\n").last { $0.contains(" records") }.map(String.init) ?? ""
    }

    func testPercentThenDuplicatesThenCounts() throws {
        let session = try Fixture.session(validate: false)
        var state = try Fixture.state(session: session)
        state.loading?.validationComplete = false
        state.loading?.validated = 0
        state.loading?.validationTotal = 0
        XCTAssertTrue(statusLine(state).contains("validating…"), statusLine(state))

        _ = Update.update(&state, .validationProgress(done: 6, total: 12))
        XCTAssertTrue(statusLine(state).contains("validating 50%"), statusLine(state))
        XCTAssertFalse(statusLine(state).contains("finding duplicates"))

        _ = Update.update(&state, .validationProgress(done: 12, total: 12))
        XCTAssertTrue(statusLine(state).contains("finding duplicates…"), statusLine(state))
        XCTAssertFalse(statusLine(state).contains("validating"), statusLine(state))

        let report = session.workspace.pass.run()
        _ = Update.update(&state, .validationFinished(ValidationReportBox(report: report, edits: session.workspace.edits)))
        XCTAssertTrue(statusLine(state).contains("invalid"), statusLine(state))
        XCTAssertFalse(statusLine(state).contains("finding duplicates"), statusLine(state))
    }

    /// While the index is still scanning, every record found so far being judged is not the end.
    func testAllIndexedSoFarIsNotYetTheDuplicateCheck() throws {
        let session = try Fixture.session(validate: false)
        var state = try Fixture.state(session: session)
        state.loading?.validationComplete = false
        state.loading?.indexComplete = false
        _ = Update.update(&state, .validationProgress(done: 12, total: 12))
        XCTAssertTrue(statusLine(state).contains("validating 100%"), statusLine(state))
    }
}
