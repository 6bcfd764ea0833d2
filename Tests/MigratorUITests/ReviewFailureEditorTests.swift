import XCTest
import MigrationCore
import MigrationEngine
@testable import MigratorUI
import TerminalKit

/// Review → editor: a failed record opens with the server's failure, edits since it failed are
/// marked, and `r` retries them through the one confirmation.
final class ReviewFailureEditorTests: XCTestCase {
    let failedAt = Date(timeIntervalSince1970: 1_799_999_000)

    func reviewState() throws -> AppState {
        var s = try Fixture.state(width: 120, height: 36)
        s.run.runID = "run-1"
        s.screen = .review
        _ = Update.update(&s, .reviewLoaded(tab: .failed, groups: [
            ReviewState.Group(key: "DuplicatedIdentity", records: [
                ReviewState.Item(record: 4, identifier: "edsger@example.com", reason: "DuplicatedIdentity", message: "identity already exists",
                                 cause: "DuplicatedIdentity", clash: "the record's email login ID clashes with an existing login_id (email) identity of another user",
                                 recordedAt: failedAt),
                ReviewState.Item(record: 6, identifier: "ken@example.com", reason: "DuplicatedIdentity", message: "identity already exists",
                                 cause: "DuplicatedIdentity", recordedAt: failedAt),
            ]),
        ]))
        return s
    }

    func testEnterOnAFailedRecordShowsTheServersFailureNotNoProblems() throws {
        var s = try reviewState()
        press(&s, .enter, .enter)
        XCTAssertEqual(s.screen, .editor)
        XCTAssertEqual(s.editor.failure?.record, 4)
        let text = AppView.render(s).text
        XCTAssertTrue(text.contains("FAILED on the server: DuplicatedIdentity"), text)
        XCTAssertTrue(text.contains("✗ server: DuplicatedIdentity: identity already exists"), text)
        XCTAssertTrue(text.contains("cause: DuplicatedIdentity"), text)
        XCTAssertTrue(text.contains("clashes with an existing login_id (email) identity of another user"), text)
        XCTAssertTrue(text.contains("Server failure · here: no problems"), text)
        XCTAssertFalse(text.contains("─ No problems"), "the box is not titled as if all were well: \(text)")
        // The next record of the group carries its own failure; a record opened from the table carries none.
        press(&s, .char("]"))
        XCTAssertEqual(s.editor.failure?.record, 6)
        press(&s, .escape, .escape)
        XCTAssertEqual(s.screen, .records)
        press(&s, .enter)
        XCTAssertNil(s.editor.failure)
        XCTAssertFalse(AppView.render(s).text.contains("FAILED on the server"))
    }

    func testARecordEditedSinceItFailedIsMarkedAndRRetriesIt() throws {
        var s = try reviewState()
        press(&s, .enter, .enter)
        XCTAssertTrue(AppView.render(s).text.contains("not edited since it failed"))
        // An edit in the editor (the prompt's value) is stamped after the failure.
        s.editor.selected = 0
        press(&s, .enter, .ctrl("u"))
        type(&s, "edsger.d@example.com")
        let effects = press(&s, .enter)
        XCTAssertEqual(effects, [.edit(.set(record: 4, pointer: "/email", value: .string("edsger.d@example.com")))])
        XCTAssertEqual(s.review.editedAt[4], s.now)
        XCTAssertTrue(AppView.render(s).text.contains("✎ edited since it failed — r retries it"))
        // r in the editor: the retry confirmation, then the existing retry path.
        press(&s, .char("r"))
        guard case .confirm(let c)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c.action, .retryFailed([4]))
        XCTAssertTrue(c.lines.contains("All of it edited since it failed."), "\(c.lines)")
        press(&s, .escape, .escape)
        XCTAssertEqual(s.screen, .review)
        // Review marks it ✎ and says how many; e marks them, r retries the marked ones.
        let review = AppView.render(s)
        XCTAssertTrue(review.text.contains("✎ 1 edited since they failed (e marks them)"), review.text)
        XCTAssertNotNil(review.find("✎       4  edsger@example.com"), review.text)
        XCTAssertNil(review.find("✎       6"), "record 6 was not edited")
        press(&s, .char("e"))
        XCTAssertEqual(s.review.marked, [4])
        press(&s, .char("r"))
        guard case .confirm(let c2)? = s.overlay else { return XCTFail("no confirmation") }
        XCTAssertEqual(c2.action, .retryFailed([4]))
        XCTAssertEqual(press(&s, .char("y")), [.retryFailed([4])])
        XCTAssertEqual(s.screen, .progress)
    }

    func testAnEditBeforeTheFailureDoesNotCount() throws {
        var s = try reviewState()
        s.review.editedAt[6] = failedAt.addingTimeInterval(-60)
        XCTAssertEqual(s.review.editedSinceFailureRecords, [])
        s.review.editedAt[6] = failedAt.addingTimeInterval(60)
        XCTAssertEqual(s.review.editedSinceFailureRecords, [6])
        // Not on the skipped tab.
        s.review.tab = .skipped
        XCTAssertEqual(s.review.editedSinceFailureRecords, [])
    }

    func testRInTheEditorNeedsAServerFailure() throws {
        var s = try Fixture.state()
        press(&s, .enter)
        XCTAssertEqual(press(&s, .char("r")), [])
        XCTAssertNil(s.overlay)
        XCTAssertTrue(s.status?.text.contains("only for a record that failed on the server") ?? false, "\(String(describing: s.status))")
    }
}
